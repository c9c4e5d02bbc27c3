using System.Runtime.InteropServices;
using System.Text;

namespace Fp4Sim.Gpu.Native;

/// <summary>
/// The CUDA driver API calls the GPU path uses (libcuda.so.1), as unmanaged function pointers resolved once. Every
/// call goes through <see cref="Check"/>, which turns a CUresult into a one-line <see cref="GpuException"/>.
/// </summary>
internal sealed unsafe class CudaDriver
{
    /// <summary>CUdevice_attribute values (cuda.h).</summary>
    public const int AttributeMultiprocessorCount = 16, AttributeMemoryClockKHz = 36, AttributeBusWidthBits = 37,
        AttributeComputeCapabilityMajor = 75, AttributeComputeCapabilityMinor = 76;

    private const int CudaErrorOutOfMemory = 2;

    public readonly delegate* unmanaged<uint, int> cuInit;
    public readonly delegate* unmanaged<int*, int> cuDriverGetVersion;
    public readonly delegate* unmanaged<int*, int> cuDeviceGetCount;
    public readonly delegate* unmanaged<int*, int, int> cuDeviceGet;
    public readonly delegate* unmanaged<byte*, int, int, int> cuDeviceGetName;
    public readonly delegate* unmanaged<int*, int, int, int> cuDeviceGetAttribute;
    public readonly delegate* unmanaged<nuint*, int, int> cuDeviceTotalMem;
    public readonly delegate* unmanaged<nint*, uint, int, int> cuCtxCreate;
    public readonly delegate* unmanaged<nint, int> cuCtxDestroy;
    public readonly delegate* unmanaged<int> cuCtxSynchronize;
    public readonly delegate* unmanaged<nint*, void*, int> cuModuleLoadData;
    public readonly delegate* unmanaged<nint, int> cuModuleUnload;
    public readonly delegate* unmanaged<nint*, nint, byte*, int> cuModuleGetFunction;
    public readonly delegate* unmanaged<ulong*, nuint, int> cuMemAlloc;
    public readonly delegate* unmanaged<ulong, int> cuMemFree;
    public readonly delegate* unmanaged<ulong, void*, nuint, int> cuMemcpyHtoD;
    public readonly delegate* unmanaged<void*, ulong, nuint, int> cuMemcpyDtoH;
    public readonly delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int> cuLaunchKernel;
    public readonly delegate* unmanaged<nint*, uint, int> cuEventCreate;
    public readonly delegate* unmanaged<nint, nint, int> cuEventRecord;
    public readonly delegate* unmanaged<nint, int> cuEventSynchronize;
    public readonly delegate* unmanaged<float*, nint, nint, int> cuEventElapsedTime;
    public readonly delegate* unmanaged<nint, int> cuEventDestroy;
    private readonly delegate* unmanaged<int, byte**, int> cuGetErrorName;
    private readonly delegate* unmanaged<int, byte**, int> cuGetErrorString;

    private static CudaDriver? _instance;
    private static string? _loadFailure;

    private CudaDriver(nint lib)
    {
        const string name = "libcuda";
        cuInit = (delegate* unmanaged<uint, int>)NativeLoader.Export(lib, name, "cuInit");
        cuDriverGetVersion = (delegate* unmanaged<int*, int>)NativeLoader.Export(lib, name, "cuDriverGetVersion");
        cuDeviceGetCount = (delegate* unmanaged<int*, int>)NativeLoader.Export(lib, name, "cuDeviceGetCount");
        cuDeviceGet = (delegate* unmanaged<int*, int, int>)NativeLoader.Export(lib, name, "cuDeviceGet");
        cuDeviceGetName = (delegate* unmanaged<byte*, int, int, int>)NativeLoader.Export(lib, name, "cuDeviceGetName");
        cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)NativeLoader.Export(lib, name, "cuDeviceGetAttribute");
        cuDeviceTotalMem = (delegate* unmanaged<nuint*, int, int>)NativeLoader.Export(lib, name, "cuDeviceTotalMem_v2");
        cuCtxCreate = (delegate* unmanaged<nint*, uint, int, int>)NativeLoader.Export(lib, name, "cuCtxCreate_v2");
        cuCtxDestroy = (delegate* unmanaged<nint, int>)NativeLoader.Export(lib, name, "cuCtxDestroy_v2");
        cuCtxSynchronize = (delegate* unmanaged<int>)NativeLoader.Export(lib, name, "cuCtxSynchronize");
        cuModuleLoadData = (delegate* unmanaged<nint*, void*, int>)NativeLoader.Export(lib, name, "cuModuleLoadData");
        cuModuleUnload = (delegate* unmanaged<nint, int>)NativeLoader.Export(lib, name, "cuModuleUnload");
        cuModuleGetFunction = (delegate* unmanaged<nint*, nint, byte*, int>)NativeLoader.Export(lib, name, "cuModuleGetFunction");
        cuMemAlloc = (delegate* unmanaged<ulong*, nuint, int>)NativeLoader.Export(lib, name, "cuMemAlloc_v2");
        cuMemFree = (delegate* unmanaged<ulong, int>)NativeLoader.Export(lib, name, "cuMemFree_v2");
        cuMemcpyHtoD = (delegate* unmanaged<ulong, void*, nuint, int>)NativeLoader.Export(lib, name, "cuMemcpyHtoD_v2");
        cuMemcpyDtoH = (delegate* unmanaged<void*, ulong, nuint, int>)NativeLoader.Export(lib, name, "cuMemcpyDtoH_v2");
        cuLaunchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int>)
            NativeLoader.Export(lib, name, "cuLaunchKernel");
        cuEventCreate = (delegate* unmanaged<nint*, uint, int>)NativeLoader.Export(lib, name, "cuEventCreate");
        cuEventRecord = (delegate* unmanaged<nint, nint, int>)NativeLoader.Export(lib, name, "cuEventRecord");
        cuEventSynchronize = (delegate* unmanaged<nint, int>)NativeLoader.Export(lib, name, "cuEventSynchronize");
        cuEventElapsedTime = (delegate* unmanaged<float*, nint, nint, int>)NativeLoader.Export(lib, name, "cuEventElapsedTime");
        cuEventDestroy = (delegate* unmanaged<nint, int>)NativeLoader.Export(lib, name, "cuEventDestroy_v2");
        cuGetErrorName = (delegate* unmanaged<int, byte**, int>)NativeLoader.Export(lib, name, "cuGetErrorName");
        cuGetErrorString = (delegate* unmanaged<int, byte**, int>)NativeLoader.Export(lib, name, "cuGetErrorString");
    }

    /// <summary>Why the driver is unusable (library missing, cuInit failing, no device), or null when it works.</summary>
    public static string? Unavailable()
    {
        try { _ = Instance; return null; }
        catch (GpuException e) { return e.Message; }
    }

    /// <summary>The loaded, initialised driver; throws <see cref="GpuException"/> naming why not.</summary>
    public static CudaDriver Instance
    {
        get
        {
            lock (typeof(CudaDriver))
            {
                if (_instance is not null) return _instance;
                if (_loadFailure is not null) throw new GpuException(_loadFailure);
                try { _instance = Load(); return _instance; }
                catch (GpuException e) { _loadFailure = e.Message; throw; }
            }
        }
    }

    private static CudaDriver Load()
    {
        nint lib = NativeLoader.TryLoadAny(["libcuda.so.1", "libcuda.so", "nvcuda.dll"], out _);
        if (lib == 0) throw new GpuException("no CUDA driver found (libcuda.so.1 not loadable)");
        var driver = new CudaDriver(lib);
        driver.Check(driver.cuInit(0), "cuInit");
        int count;
        driver.Check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount");
        if (count == 0) throw new GpuException("no CUDA device found (the driver loads but reports 0 devices)");
        return driver;
    }

    /// <summary>Throws a one-line <see cref="GpuException"/> for a failed call: the error's name, text and the call.</summary>
    public void Check(int result, string call)
    {
        if (result == 0) return;
        byte* name = null, text = null;
        string errorName = cuGetErrorName(result, &name) == 0 && name != null ? Marshal.PtrToStringUTF8((nint)name)! : $"CUresult {result}";
        string errorText = cuGetErrorString(result, &text) == 0 && text != null ? Marshal.PtrToStringUTF8((nint)text)! : "unknown error";
        string hint = result == CudaErrorOutOfMemory ? " (out of device memory: try a smaller --count)" : "";
        throw new GpuException($"{errorName} in {call}: {errorText}{hint}");
    }

    /// <summary>A device's name (cuDeviceGetName).</summary>
    public string DeviceName(int device)
    {
        byte* buffer = stackalloc byte[256];
        Check(cuDeviceGetName(buffer, 256, device), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((nint)buffer) ?? "";
    }

    /// <summary>One device attribute (cuDeviceGetAttribute).</summary>
    public int Attribute(int device, int attribute)
    {
        int value;
        Check(cuDeviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    /// <summary>A NUL-terminated UTF-8 copy of a string for a native call.</summary>
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
