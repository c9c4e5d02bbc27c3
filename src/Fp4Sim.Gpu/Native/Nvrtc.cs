using System.Runtime.InteropServices;

namespace Fp4Sim.Gpu.Native;

/// <summary>
/// NVRTC (libnvrtc): compiles the embedded CUDA C++ at run time for the present GPU, so no nvcc is needed at build
/// time and the binary runs on any architecture the installed toolkit knows.
/// </summary>
internal sealed unsafe class Nvrtc
{
    private readonly delegate* unmanaged<int*, int*, int> _version;
    private readonly delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> _createProgram;
    private readonly delegate* unmanaged<nint, int, byte**, int> _compileProgram;
    private readonly delegate* unmanaged<nint, nuint*, int> _getProgramLogSize;
    private readonly delegate* unmanaged<nint, byte*, int> _getProgramLog;
    private readonly delegate* unmanaged<nint, nuint*, int> _getCubinSize;
    private readonly delegate* unmanaged<nint, byte*, int> _getCubin;
    private readonly delegate* unmanaged<nint*, int> _destroyProgram;
    private readonly delegate* unmanaged<int, byte*> _getErrorString;

    private static Nvrtc? _instance;

    /// <summary>Library names tried in order: the unversioned link, then the sonames of CUDA 13, 12 and 11.2+.</summary>
    private static readonly string[] Candidates =
    [
        "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2",
        "/usr/local/cuda/lib64/libnvrtc.so", "/usr/local/cuda/lib64/libnvrtc.so.13", "/usr/local/cuda/lib64/libnvrtc.so.12",
    ];

    private Nvrtc(nint lib)
    {
        const string name = "libnvrtc";
        _version = (delegate* unmanaged<int*, int*, int>)NativeLoader.Export(lib, name, "nvrtcVersion");
        _createProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int>)NativeLoader.Export(lib, name, "nvrtcCreateProgram");
        _compileProgram = (delegate* unmanaged<nint, int, byte**, int>)NativeLoader.Export(lib, name, "nvrtcCompileProgram");
        _getProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)NativeLoader.Export(lib, name, "nvrtcGetProgramLogSize");
        _getProgramLog = (delegate* unmanaged<nint, byte*, int>)NativeLoader.Export(lib, name, "nvrtcGetProgramLog");
        _getCubinSize = (delegate* unmanaged<nint, nuint*, int>)NativeLoader.Export(lib, name, "nvrtcGetCUBINSize");
        _getCubin = (delegate* unmanaged<nint, byte*, int>)NativeLoader.Export(lib, name, "nvrtcGetCUBIN");
        _destroyProgram = (delegate* unmanaged<nint*, int>)NativeLoader.Export(lib, name, "nvrtcDestroyProgram");
        _getErrorString = (delegate* unmanaged<int, byte*>)NativeLoader.Export(lib, name, "nvrtcGetErrorString");
    }

    /// <summary>The loaded library; throws <see cref="GpuException"/> naming the files tried.</summary>
    public static Nvrtc Instance
    {
        get
        {
            lock (typeof(Nvrtc))
            {
                if (_instance is not null) return _instance;
                nint lib = NativeLoader.TryLoadAny(Candidates, out string tried);
                if (lib == 0) throw new GpuException($"NVRTC not found (tried {tried}; install the CUDA toolkit's nvrtc)");
                return _instance = new Nvrtc(lib);
            }
        }
    }

    /// <summary>NVRTC's version as "major.minor".</summary>
    public string Version
    {
        get
        {
            int major, minor;
            Check(_version(&major, &minor), "nvrtcVersion");
            return $"{major}.{minor}";
        }
    }

    /// <summary>
    /// Compiles <paramref name="source"/> (with the embedded headers available to #include) into a CUBIN for
    /// sm_<paramref name="computeCapability"/>; a compile error becomes "kernel compile error: &lt;first log line&gt;".
    /// </summary>
    public byte[] CompileToCubin(string sourceName, string source, IReadOnlyDictionary<string, string> headers, int computeCapability)
    {
        var pinned = new List<GCHandle>();
        nint Pin(string s)
        {
            var handle = GCHandle.Alloc(CudaDriver.Utf8(s), GCHandleType.Pinned);
            pinned.Add(handle);
            return handle.AddrOfPinnedObject();
        }
        nint program = 0;
        try
        {
            nint[] headerTexts = headers.Values.Select(Pin).ToArray();
            nint[] headerNames = headers.Keys.Select(Pin).ToArray();
            nint[] options = new[] { $"--gpu-architecture=sm_{computeCapability}", "-std=c++17" }.Select(Pin).ToArray();
            fixed (nint* texts = headerTexts)
            fixed (nint* names = headerNames)
            fixed (nint* opts = options)
            {
                Check(_createProgram(&program, (byte*)Pin(source), (byte*)Pin(sourceName), headers.Count, (byte**)texts, (byte**)names),
                    "nvrtcCreateProgram");
                int result = _compileProgram(program, options.Length, (byte**)opts);
                if (result != 0)
                {
                    string log = Log(program);
                    string first = log.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? log.Split('\n')[0];
                    throw new GpuException($"kernel compile error: {first.Trim()}");
                }
            }
            nuint size;
            Check(_getCubinSize(program, &size), "nvrtcGetCUBINSize");
            var cubin = new byte[size];
            fixed (byte* c = cubin) Check(_getCubin(program, c), "nvrtcGetCUBIN");
            return cubin;
        }
        finally
        {
            if (program != 0) _destroyProgram(&program);
            foreach (GCHandle h in pinned) h.Free();
        }
    }

    private string Log(nint program)
    {
        nuint size;
        if (_getProgramLogSize(program, &size) != 0 || size == 0) return "";
        var log = new byte[size];
        fixed (byte* l = log)
        {
            if (_getProgramLog(program, l) != 0) return "";
            return Marshal.PtrToStringUTF8((nint)l) ?? "";
        }
    }

    private void Check(int result, string call)
    {
        if (result != 0) throw new GpuException($"{Marshal.PtrToStringUTF8((nint)_getErrorString(result))} in {call}");
    }
}
