using System.Globalization;
using Fp4Sim.Gpu;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim gpu info</c> and <c>fp4sim gpu check</c>. <c>gpu info</c> prints <see cref="GpuInfo.Query"/> (CUDA device 0
/// as ILGPU sees it); <c>gpu check</c> runs the ILGPU kernels on CUDA (the default) or on ILGPU's CPU accelerator
/// (<c>--accelerator cpu</c>, and the fallback, announced by one stderr line, where ILGPU finds no CUDA device). Without a
/// CUDA device for <c>gpu info</c>, or when ILGPU cannot set up an accelerator, the <see cref="GpuException"/>'s one line
/// becomes <c>fp4sim: gpu: …</c> with exit code 3 (the machine).
/// </summary>
public static class GpuCommand
{
    private const long DefaultCount = 100_000_000;

    /// <summary>The default random count on ILGPU's CPU accelerator, which emulates GPU threads (about 0.5 M elements/s).</summary>
    public const long CpuDefaultCount = 16_384;

    /// <summary>Runs <c>gpu info</c> or <c>gpu check</c>; returns the exit code.</summary>
    public static int Run(string action, string[] argv, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return action == "info" ? Info(argv, stdout) : Check(argv, stdout, stderr);
        }
        catch (GpuException e)
        {
            throw new EnvironmentException($"gpu: {e.Message}");
        }
    }

    private static int Info(string[] argv, TextWriter stdout)
    {
        _ = new ArgumentReader("gpu info", argv);
        GpuInfo info = GpuInfo.Query();
        var c = CultureInfo.InvariantCulture;
        stdout.Write($"device: {info.Name}\n");
        stdout.Write($"compute capability: {info.ComputeCapabilityMajor}.{info.ComputeCapabilityMinor}\n");
        stdout.Write(string.Format(c, "memory: {0:F1} GiB\n", info.TotalMemoryBytes / (double)(1L << 30)));
        stdout.Write($"multiprocessors: {info.Multiprocessors}\n");
        stdout.Write($"driver (CUDA version): {info.DriverVersion}\n");
        stdout.Write($"ilgpu: {info.IlgpuVersion}\n");
        stdout.Write(string.Format(c, "theoretical bandwidth: {0:F0} GB/s\n", info.BandwidthGBps));
        stdout.Flush();
        return 0;
    }

    private static int Check(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("gpu check", argv, "count", "seed", "accelerator");
        AcceleratorKind kind = args.Optional("accelerator") switch
        {
            null or "cuda" => AcceleratorKind.Cuda,
            "cpu" => AcceleratorKind.Cpu,
            string other => throw new CliException($"gpu check: unknown --accelerator '{ErrorText.Quote(other)}' (expected cuda or cpu)"),
        };
        long? givenCount = args.Optional("count") is null ? null : args.Integer("count", 0, 1, 1L << 29, "a random input count per format 1..2^29");
        int seed = (int)args.Integer("seed", 1, int.MinValue, int.MaxValue, "a 32-bit integer");
        if (kind == AcceleratorKind.Cuda && IlgpuCast.CudaUnavailableReason() is { } reason)
        {
            kind = AcceleratorKind.Cpu;
            stderr.Write($"fp4sim: gpu check: {reason}; running on ILGPU's CPU accelerator instead " +
                $"(slow: {(givenCount is null ? $"default --count {CpuDefaultCount}" : "--count as given")})\n");
            stderr.Flush();
        }
        long count = givenCount ?? (kind == AcceleratorKind.Cpu ? CpuDefaultCount : DefaultCount);
        using IlgpuCast cast = IlgpuCast.Open(kind);
        double? bandwidth = kind == AcceleratorKind.Cuda ? DeviceBandwidth() : null;
        var c = CultureInfo.InvariantCulture;
        stdout.Write(string.Format(c, "{0} (ILGPU {1} accelerator){2}; {3} random inputs per format, seed {4}\n", cast.DeviceName,
            kind.ToString().ToLowerInvariant(), bandwidth is { } b ? string.Format(c, ", theoretical bandwidth {0:F0} GB/s", b) : "", count, seed));
        stdout.Flush();
        long failed = 0, kernels = 0;
        GpuCastCheck.Run(cast, count, seed, r =>
        {
            kernels++;
            if (r.Mismatches > 0) failed++;
            stdout.Write(string.Format(c, "{0,-44} {1,11} elements {2,9} mismatches {3,8:F1} GB/s{4}\n",
                r.Kernel, r.Elements, r.Mismatches, r.GigabytesPerSecond, bandwidth is { } b ? string.Format(c, " of {0:F0}", b) : ""));
            foreach (string example in r.FirstCounterexamples) stdout.Write($"    {example}\n");
            stdout.Flush();
        });
        stdout.Write($"{kernels - failed} of {kernels} kernel runs match the CPU reference bit for bit\n");
        stdout.Flush();
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Device 0's theoretical bandwidth (<see cref="GpuInfo.Query"/>), or null where ILGPU cannot say.</summary>
    private static double? DeviceBandwidth()
    {
        try
        {
            double bandwidth = GpuInfo.Query().BandwidthGBps;
            return bandwidth > 0 ? bandwidth : null;
        }
        catch (GpuException)
        {
            return null;
        }
    }
}
