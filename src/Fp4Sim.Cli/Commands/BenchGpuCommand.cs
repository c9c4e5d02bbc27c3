using System.Globalization;
using Fp4Sim.Gpu;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench gpu [--accelerator cuda|cpu] [--count N] [--repeats R]</c>: <see cref="GpuBench"/>'s kernels next to the
/// stream yardstick on the same accelerator, one line each, then the slowest kernel's fraction of the yardstick (and, on
/// CUDA, of the device's theoretical bandwidth).
/// </summary>
public static class BenchGpuCommand
{
    private const int CudaDefaultCount = 1 << 26, CpuDefaultCount = 1 << 22;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("bench gpu", argv, "accelerator", "count", "repeats");
        long? givenCount = args.Optional("count") is null ? null : args.Integer("count", 0, 32, 1L << 30, "an element count 32..2^30");
        int repeats = (int)args.Integer("repeats", 5, 1, 1000, "a repeat count 1..1000");
        AcceleratorKind kind = GpuCommand.Accelerator(args, "bench gpu", stderr,
            givenCount is null ? $"default --count {CpuDefaultCount}" : "--count as given");
        int count = (int)(givenCount ?? (kind == AcceleratorKind.Cuda ? CudaDefaultCount : CpuDefaultCount));
        IReadOnlyList<GpuBenchResult> results = [];
        string device = "";
        double? bandwidth = null;
        try
        {
            StageProgress.Run(stderr, "opening the accelerator", stage =>
            {
                using IlgpuSession session = IlgpuSession.Open(kind);
                device = session.DeviceName;
                bandwidth = kind == AcceleratorKind.Cuda ? GpuCommand.DeviceBandwidth() : null;
                results = GpuBench.Run(session, count, repeats, stage);
                return 0;
            });
        }
        catch (GpuException e)
        {
            throw new EnvironmentException($"bench gpu: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            stderr.Write($"fp4sim: bench gpu: {e.Message}\n");
            return 1;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.Write(string.Format(c, "{0} (ILGPU {1} accelerator){2}; {3} elements, best of {4}\n", device, kind.ToString().ToLowerInvariant(),
            bandwidth is { } b ? string.Format(c, ", theoretical bandwidth {0:F0} GB/s", b) : "", results[0].Elements, repeats));
        stdout.Write(string.Format(c, "{0,-22} {1,10} {2,12} {3,10}{4}\n", "kernel", "GB/s", "stream GB/s", "of stream",
            bandwidth is null ? "" : "  of device"));
        foreach (GpuBenchResult r in results)
            stdout.Write(string.Format(c, "{0,-22} {1,10:F2} {2,12:F2} {3,10:F2}{4}\n", r.Kernel, r.GigabytesPerSecond, r.StreamGigabytesPerSecond,
                r.OfStream, bandwidth is { } d ? string.Format(c, " {0,11:F2}", r.GigabytesPerSecond / d) : ""));
        GpuBenchResult slowest = results.MinBy(r => r.OfStream)!;
        stdout.Write(string.Format(c, "slowest {0}: {1:F2} of stream{2}\n", slowest.Kernel, slowest.OfStream,
            bandwidth is { } bw ? string.Format(c, ", {0:F2} of the device's bandwidth", slowest.GigabytesPerSecond / bw) : ""));
        stdout.Flush();
        return 0;
    }
}
