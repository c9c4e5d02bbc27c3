using System.Globalization;
using Fp4Sim.Gpu;
using Fp4Sim.Training.Quartet;
using Fp4Sim.Training.Quartet.Gpu;

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

    /// <summary>The default random count on ILGPU's CPU accelerator (its emulated GPU threads run about 20 M elements/s here).</summary>
    public const long CpuDefaultCount = 1_000_000;

    /// <summary>
    /// Elements per block-quantization case (format × mode × rule × policy) and per Quartet method at most: their scalar
    /// CPU references, not the kernels, set the pace. 2^16 on the CPU accelerator, 2^18 on CUDA.
    /// </summary>
    private static long BlockElementsCap(AcceleratorKind kind) => kind == AcceleratorKind.Cuda ? 1 << 18 : 1 << 16;

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
        long? givenCount = args.Optional("count") is null ? null : args.Integer("count", 0, 1, 1L << 29, "a random input count per format 1..2^29");
        int seed = (int)args.Integer("seed", 1, int.MinValue, int.MaxValue, "a 32-bit integer");
        AcceleratorKind kind = Accelerator(args, "gpu check", stderr, givenCount is null ? $"default --count {CpuDefaultCount}" : "--count as given");
        long count = givenCount ?? (kind == AcceleratorKind.Cpu ? CpuDefaultCount : DefaultCount);
        using IlgpuSession session = IlgpuSession.Open(kind);
        double? bandwidth = kind == AcceleratorKind.Cuda ? DeviceBandwidth() : null;
        var c = CultureInfo.InvariantCulture;
        stdout.Write(string.Format(c, "{0} (ILGPU {1} accelerator){2}; {3} random inputs per format, seed {4}\n", session.DeviceName,
            kind.ToString().ToLowerInvariant(), bandwidth is { } b ? string.Format(c, ", theoretical bandwidth {0:F0} GB/s", b) : "", count, seed));
        stdout.Flush();
        long failed = 0, kernels = 0;
        void Report(KernelCheckResult r)
        {
            kernels++;
            if (r.Mismatches > 0) failed++;
            stdout.Write(string.Format(c, "{0,-44} {1,11} elements {2,9} mismatches {3,8:F1} GB/s{4}{5}\n", r.Kernel, r.Elements, r.Mismatches,
                r.GigabytesPerSecond, bandwidth is { } b ? string.Format(c, " of {0:F0}", b) : "", r.Note is null ? "" : $" ({r.Note})"));
            foreach (string example in r.FirstCounterexamples) stdout.Write($"    {example}\n");
            stdout.Flush();
        }
        GpuCastCheck.Run(new IlgpuCast(session), count, seed, Report);
        GpuBlockCheck.Run(session, Math.Min(count, BlockElementsCap(kind)), kind == AcceleratorKind.Cuda ? 1024 : 256, seed, Report);
        QuartetGpuCheck.Run(session, (int)Math.Max(1, Math.Min(count, BlockElementsCap(kind)) / QuartetQuantizer.GroupSize), seed, Report);
        if (kind == AcceleratorKind.Cuda)
        {
            HardwareCvtCheck.Run(new HardwareCvtOracle(session), count, seed, r =>
            {
                kernels++;
                if (r.Unexplained > 0) failed++;
                foreach (string line in HardwareCvtCheck.Lines(r)) stdout.Write($"{line}\n");
                stdout.Flush();
            });
        }
        stdout.Write($"{kernels - failed} of {kernels} kernel runs match the CPU reference bit for bit\n");
        stdout.Flush();
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The --accelerator option (cuda, the default, or cpu); where cuda is asked but ILGPU finds no CUDA device, one
    /// <c>fp4sim: &lt;verb&gt;: …</c> line on stderr says so and the CPU accelerator is used (<paramref name="countNote"/>
    /// says which count then applies).
    /// </summary>
    internal static AcceleratorKind Accelerator(ArgumentReader args, string verb, TextWriter stderr, string countNote)
    {
        AcceleratorKind kind = args.Optional("accelerator") switch
        {
            null or "cuda" => AcceleratorKind.Cuda,
            "cpu" => AcceleratorKind.Cpu,
            string other => throw new CliException($"{verb}: unknown --accelerator '{ErrorText.Quote(other)}' (expected cuda or cpu)"),
        };
        if (kind == AcceleratorKind.Cuda && IlgpuSession.CudaUnavailableReason() is { } reason)
        {
            kind = AcceleratorKind.Cpu;
            stderr.Write($"fp4sim: {verb}: {reason}; running on ILGPU's CPU accelerator instead ({countNote})\n");
            stderr.Flush();
        }
        return kind;
    }

    /// <summary>Device 0's theoretical bandwidth (<see cref="GpuInfo.Query"/>), or null where ILGPU cannot say.</summary>
    internal static double? DeviceBandwidth()
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
