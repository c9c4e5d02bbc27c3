using System.Globalization;
using Fp4Sim.Gpu;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim gpu info</c> and <c>fp4sim gpu check</c>. Without a usable driver, NVRTC or device, or when a kernel does
/// not compile, the <see cref="GpuException"/>'s one line becomes <c>fp4sim: gpu: …</c> with exit code 3 (the machine).
/// </summary>
public static class GpuCommand
{
    private const long DefaultCount = 100_000_000;

    /// <summary>Runs <c>gpu info</c> or <c>gpu check</c>; returns the exit code.</summary>
    public static int Run(string action, string[] argv, TextWriter stdout)
    {
        try
        {
            return action == "info" ? Info(argv, stdout) : Check(argv, stdout);
        }
        catch (GpuException e)
        {
            throw new EnvironmentException($"gpu: {e.Message}");
        }
    }

    private static int Info(string[] argv, TextWriter stdout)
    {
        _ = new ArgumentReader("gpu info", argv);
        GpuInfo info = GpuSession.QueryInfo();
        var c = CultureInfo.InvariantCulture;
        stdout.Write($"device: {info.Name}\n");
        stdout.Write($"compute capability: {info.ComputeCapabilityMajor}.{info.ComputeCapabilityMinor}\n");
        stdout.Write(string.Format(c, "memory: {0:F1} GiB\n", info.TotalMemoryBytes / (double)(1L << 30)));
        stdout.Write($"multiprocessors: {info.Multiprocessors}\n");
        stdout.Write($"driver (CUDA version): {info.DriverVersion}\n");
        stdout.Write($"nvrtc: {info.NvrtcVersion}\n");
        stdout.Write(string.Format(c, "theoretical bandwidth: {0:F0} GB/s\n", info.BandwidthGBps));
        stdout.Flush();
        return 0;
    }

    private static int Check(string[] argv, TextWriter stdout)
    {
        var args = new ArgumentReader("gpu check", argv, "count", "seed");
        long count = args.Integer("count", DefaultCount, 1, 1L << 29, "a random input count per format 1..2^29");
        int seed = (int)args.Integer("seed", 1, int.MinValue, int.MaxValue, "a 32-bit integer");
        using GpuSession session = GpuSession.Open();
        var c = CultureInfo.InvariantCulture;
        stdout.Write(string.Format(c, "{0} (sm_{1}{2}), theoretical bandwidth {3:F0} GB/s; {4} random inputs per format, seed {5}\n",
            session.Info.Name, session.Info.ComputeCapabilityMajor, session.Info.ComputeCapabilityMinor, session.Info.BandwidthGBps, count, seed));
        stdout.Flush();
        long failed = 0, kernels = 0;
        GpuCastCheck.Run(session, count, seed, r =>
        {
            kernels++;
            if (r.Mismatches > 0) failed++;
            stdout.Write(string.Format(c, "{0,-44} {1,11} elements {2,9} mismatches {3,8:F1} GB/s of {4:F0}\n",
                r.Kernel, r.Elements, r.Mismatches, r.GigabytesPerSecond, session.Info.BandwidthGBps));
            foreach (string example in r.FirstCounterexamples) stdout.Write($"    {example}\n");
            stdout.Flush();
        });
        stdout.Write($"{kernels - failed} of {kernels} kernel runs match the CPU reference bit for bit\n");
        stdout.Flush();
        return failed == 0 ? 0 : 1;
    }
}
