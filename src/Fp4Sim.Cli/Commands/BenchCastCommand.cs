using System.Diagnostics;
using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench cast</c>: times <see cref="FastCast.Encode"/> (best of several runs) and the scalar
/// <see cref="Encoder"/> on the same seeded data, checks they agree, and ends with
/// <c>fast &lt;elements/s&gt; reference &lt;elements/s&gt;</c>.
/// </summary>
public static class BenchCastCommand
{
    private const int Repetitions = 5;
    private const int ReferenceLimit = 1 << 22; // the scalar loop is ~100x slower: time a prefix only
    private const int MismatchesShown = 5;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("bench cast", argv, "format", "rounding", "overflow", "count", "threads");
        FormatInfo format = CommonOptions.Format(args);
        RoundingContext ctx = CommonOptions.Rounding(args, "bench cast");
        int count = (int)args.Integer("count", 1 << 24, 1, Array.MaxLength, "an element count 1..2^31-1");
        int threads = (int)args.Integer("threads", 1, int.MinValue, int.MaxValue, "an integer; <= 0 means all cores");
        if (format.TotalBits > 8)
            throw new CliException($"bench cast: format {format.Name} has {format.TotalBits} bits; the vector cast supports at most 8");
        if (ctx.Mode == RoundingMode.Sr)
            throw new CliException("bench cast: rounding sr is not supported; the vector cast has deterministic modes only");
        if (format.FlushToZero)
            throw new CliException($"bench cast: format {format.Name} flushes to zero; the vector cast has no kernel for :subnormals=ftz");

        float[] source = [];
        byte[] fast = [];
        uint[] reference = [];
        double fastSeconds = double.MaxValue, yardstickSeconds = 0, refSeconds = 0;
        int checkedCount = Math.Min(count, ReferenceLimit);
        StageProgress.Run(stderr, "generating seeded data", stage =>
        {
            source = BenchData.Generate(format, count);
            fast = new byte[count];
            stage("timing the fast path");
            FastCast.Encode(format, source, fast, ctx, threads); // warm-up: JIT and page faults
            for (int r = 0; r < Repetitions; r++)
            {
                long start = Stopwatch.GetTimestamp();
                FastCast.Encode(format, source, fast, ctx, threads);
                fastSeconds = Math.Min(fastSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            stage("timing the memory-traffic yardstick");
            yardstickSeconds = TimeYardstick(source, new byte[count], threads);
            stage("timing the scalar reference");
            reference = new uint[checkedCount];
            Reference(format, source.AsSpan(0, Math.Min(checkedCount, 1 << 16)), reference, ctx); // warm-up
            long refStart = Stopwatch.GetTimestamp();
            Reference(format, source.AsSpan(0, checkedCount), reference, ctx);
            refSeconds = Stopwatch.GetElapsedTime(refStart).TotalSeconds;
            return 0;
        });

        if (ReportMismatches(format, source, fast, reference, stderr)) return 1;

        double fastRate = count / fastSeconds, refRate = checkedCount / refSeconds;
        string workers = threads <= 0 ? $"all ({Environment.ProcessorCount})" : Num(threads);
        stdout.Write($"format {format.Name} ({format.TotalBits} bits), rounding {RoundingNames.Name(ctx.Mode)}, " +
                     $"overflow {ctx.Overflow.ToString().ToLowerInvariant()}\n");
        stdout.Write($"count {Num(count)}, threads {workers}, best of {Repetitions}\n");
        double yardstickRate = count / yardstickSeconds;
        stdout.Write($"yardstick (read 4 B, write 1 B per element, same threads): {Num(1e9 / yardstickRate, "F3")} ns/element, " +
                     $"{Num(yardstickRate * 5 / 1e9, "F2")} GB/s\n");
        stdout.Write($"fast: {Num(1e9 / fastRate, "F3")} ns/element, {Num(fastRate * 5 / 1e9, "F2")} GB/s (5 bytes/element), " +
                     $"{Num(100 * fastRate / yardstickRate, "F0")}% of the yardstick\n");
        stdout.Write($"reference: {Num(1e9 / refRate, "F3")} ns/element over {Num(checkedCount)} elements, 1 thread; " +
                     $"all {Num(checkedCount)} codes identical\n");
        stdout.Write($"fast {Num(Math.Round(fastRate), "F0")} reference {Num(Math.Round(refRate), "F0")}\n");
        stdout.Flush();
        return 0;
    }

    /// <summary>
    /// Best time of the memory-traffic bound: a loop that only reads each float and writes one byte, split over the
    /// same number of cores as the fast path.
    /// </summary>
    private static double TimeYardstick(float[] source, byte[] sink, int threads)
    {
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        int share = (source.Length + workers - 1) / workers;
        void Narrow(int w)
        {
            int end = Math.Min(source.Length, (w + 1) * share);
            for (int i = w * share; i < end; i++) sink[i] = (byte)BitConverter.SingleToInt32Bits(source[i]);
        }
        double best = double.MaxValue;
        for (int r = 0; r <= Repetitions; r++) // the first run warms up
        {
            long start = Stopwatch.GetTimestamp();
            if (workers == 1) Narrow(0); else Parallel.For(0, workers, Narrow);
            if (r > 0) best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    private static void Reference(FormatInfo format, ReadOnlySpan<float> source, Span<uint> codes, in RoundingContext ctx)
    {
        for (int i = 0; i < source.Length; i++) codes[i] = Encoder.Encode(format, source[i], ctx);
    }

    /// <summary>Prints the first few disagreements to stderr; true when there were any.</summary>
    private static bool ReportMismatches(FormatInfo format, float[] source, byte[] fast, uint[] reference, TextWriter stderr)
    {
        int digits = CodeText.Digits(format);
        (long total, IReadOnlyList<string> first) = Counterexamples.Scan(reference.Length, i => fast[i] != reference[i],
            i => $"mismatch at element {i}: input 0x{BitConverter.SingleToUInt32Bits(source[i]):x8} " +
                 $"({source[i].ToString("R", CultureInfo.InvariantCulture)}): fast {CodeText.Format(fast[i], digits)}, " +
                 $"reference {CodeText.Format(reference[i], digits)}", MismatchesShown);
        foreach (string line in first) stderr.Write($"fp4sim: bench cast: {line}\n");
        if (total > 0) stderr.Write($"fp4sim: bench cast: {total} of {reference.Length} codes differ\n");
        stderr.Flush();
        return total > 0;
    }

    private static string Num(double v, string format = "G") => v.ToString(format, CultureInfo.InvariantCulture);
}
