using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Fp4Sim.Gpu.Host;

/// <summary>
/// The portable cast functions (kernels/*.cuh) built for the CPU with g++ into a shared library and loaded in-process:
/// the same arithmetic the CUDA kernels run, checkable bit for bit against the C# reference without a GPU.
/// The library is built once per source text (a content hash names its directory under the temp folder).
/// </summary>
public sealed unsafe class HostCastLibrary : IDisposable
{
    private readonly nint _handle;
    private readonly delegate* unmanaged<CastParameters*, uint*, uint*, uint*, nuint, void> _encode;
    private readonly delegate* unmanaged<FormatParameters*, uint*, uint*, nuint, void> _decode;

    private HostCastLibrary(string path)
    {
        _handle = NativeLibrary.Load(path);
        _encode = (delegate* unmanaged<CastParameters*, uint*, uint*, uint*, nuint, void>)NativeLibrary.GetExport(_handle, "fp4sim_encode_f32_array");
        _decode = (delegate* unmanaged<FormatParameters*, uint*, uint*, nuint, void>)NativeLibrary.GetExport(_handle, "fp4sim_decode_f32_array");
        var size = (delegate* unmanaged<nuint>)NativeLibrary.GetExport(_handle, "fp4sim_cast_params_size");
        if (size() != (nuint)sizeof(CastParameters))
            throw new InvalidOperationException($"fp4sim_cast_params is {size()} bytes in C++ but {sizeof(CastParameters)} in C#");
    }

    /// <summary>Builds (or reuses) the library with g++ and loads it. Throws <see cref="GpuException"/> when g++ is missing or fails.</summary>
    public static HostCastLibrary Build()
    {
        string hash = SourceHash();
        string directory = Path.Combine(Path.GetTempPath(), $"fp4sim-host-{hash}");
        string library = Path.Combine(directory, "libfp4sim_host.so");
        if (!File.Exists(library))
        {
            string staging = directory + $".{Environment.ProcessId}.tmp";
            // An interrupted build leaves no half-built folder.
            Fp4Sim.Numerics.IO.Temporaries.Create(staging, () => Directory.CreateDirectory(staging));
            KernelSources.WriteAll(staging);
            Compile(staging, Path.Combine(staging, "libfp4sim_host.so"));
            try { Directory.Move(staging, directory); }
            catch (IOException) when (File.Exists(library)) { Directory.Delete(staging, recursive: true); } // a parallel build won
            Fp4Sim.Numerics.IO.Temporaries.Forget(staging);
        }
        return new HostCastLibrary(library);
    }

    /// <summary>Encodes float32 bit patterns; <paramref name="randomBits"/> is needed for stochastic rounding only.</summary>
    public void Encode(in CastParameters parameters, ReadOnlySpan<uint> inputBits, ReadOnlySpan<uint> randomBits, Span<uint> codes)
    {
        if (codes.Length < inputBits.Length) throw new ArgumentException("codes is shorter than the input");
        if (!randomBits.IsEmpty && randomBits.Length < inputBits.Length) throw new ArgumentException("randomBits is shorter than the input");
        CastParameters p = parameters;
        fixed (uint* input = inputBits)
        fixed (uint* random = randomBits)
        fixed (uint* output = codes)
            _encode(&p, input, randomBits.IsEmpty ? null : random, output, (nuint)inputBits.Length);
    }

    /// <summary>Decodes codes to float32 bit patterns.</summary>
    public void Decode(in FormatParameters format, ReadOnlySpan<uint> codes, Span<uint> outputBits)
    {
        if (outputBits.Length < codes.Length) throw new ArgumentException("outputBits is shorter than the codes");
        FormatParameters f = format;
        fixed (uint* input = codes)
        fixed (uint* output = outputBits)
            _decode(&f, input, output, (nuint)codes.Length);
    }

    /// <inheritdoc/>
    public void Dispose() => NativeLibrary.Free(_handle);

    private static void Compile(string directory, string output)
    {
        var start = new ProcessStartInfo("g++")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        foreach (string arg in new[] { "-O2", "-std=c++17", "-shared", "-fPIC", "-Wall", "-Werror", "-o", output, KernelSources.HostExports })
            start.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(start) ?? throw new GpuException("g++ did not start"); }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new GpuException("g++ not found: the host build of the kernels needs a C++ compiler (Debian/Ubuntu package: g++)");
        }
        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string first = stderr.Result.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? stderr.Result.Trim();
                throw new GpuException($"g++ failed to build the host kernels: {first}");
            }
        }
    }

    private static string SourceHash()
    {
        var text = new StringBuilder();
        foreach (string name in KernelSources.Names) text.Append(name).Append('\0').Append(KernelSources.Text(name)).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }
}
