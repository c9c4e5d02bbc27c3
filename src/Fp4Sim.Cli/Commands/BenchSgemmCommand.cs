using System.Globalization;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench sgemm</c>: times our float32 <see cref="Sgemm"/> (C = A·B, row-major) on seeded Gaussian operands,
/// best of R runs after a warm-up, and ends with <c>sgemm &lt;GFLOP/s&gt; ms &lt;best ms&gt; threads &lt;T&gt;</c>
/// (2·M·N·K per second). <c>scripts/bench.sh</c> sets it beside OpenBLAS's sgemm on the same shape and threads.
/// </summary>
public static class BenchSgemmCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("bench sgemm", argv, "m", "n", "k", "threads", "rounds");
        int m = (int)args.Integer("m", 1024, 1, 1 << 16, "an integer 1..65536");
        int n = (int)args.Integer("n", 1024, 1, 1 << 16, "an integer 1..65536");
        int k = (int)args.Integer("k", 1024, 1, 1 << 16, "an integer 1..65536");
        if ((long)m * k > Array.MaxLength || (long)n * k > Array.MaxLength || (long)m * n > Array.MaxLength)
            throw new CliException($"bench sgemm: {m}x{n}x{k} is too large for one array");
        int threads = (int)args.Integer("threads", 0, int.MinValue, int.MaxValue, "an integer; <= 0 means all cores");
        int rounds = (int)args.Integer("rounds", 5, 1, 1000, "an integer 1..1000");

        double seconds = StageProgress.Run(stderr, "generating seeded operands", stage =>
        {
            float[] a = BenchData.Gaussian((long)m * k, k, 1), b = BenchData.Gaussian((long)k * n, n, 2);
            float[] c = new float[(long)m * n];
            stage("timing the float32 SGEMM");
            return StreamBaseline.BestOf(rounds, () => Sgemm.Multiply(a, b, c, m, n, k, threads));
        });

        int used = Sgemm.ThreadsFor(m, n, k, threads);
        string workers = used < (threads <= 0 ? Environment.ProcessorCount : threads)
            ? $"{Num(used, "D")} (asked {BenchReport.Workers(threads)}: below the parallel threshold or on the plain loop)"
            : BenchReport.Workers(threads);
        double gflops = 2.0 * m * n * k / seconds / 1e9;
        stdout.Write($"float32 SGEMM C = A·B, M {m} N {n} K {k}, threads {workers}, best of {rounds} after a warm-up; {Sgemm.PathName}\n");
        stdout.Write($"sgemm: {Num(seconds * 1e3, "F3")} ms, {Num(gflops, "F1")} GFLOP/s (2·M·N·K per second)\n");
        stdout.Write($"sgemm {Num(gflops, "F1")} ms {Num(seconds * 1e3, "F3")} threads {Num(used, "D")}\n");
        stdout.Flush();
        return 0;
    }

    private static string Num(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);

    private static string Num(int x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
}
