using System.Diagnostics;
using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench cast</c>: times <see cref="FastCast.Encode"/> and <see cref="StreamBaseline.Narrow"/> in turn (best
/// of several rounds) on the same seeded data and threads, and the scalar <see cref="Encoder"/> on a prefix; checks
/// fast and reference agree, and ends with
/// <c>fast &lt;elements/s&gt; reference &lt;elements/s&gt; stream &lt;elements/s&gt; ratio &lt;fast/stream&gt;</c>.
/// </summary>
public static class BenchCastCommand
{
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
        double fastSeconds = 0, refSeconds = 0;
        StreamTiming stream = default;
        int checkedCount = Math.Min(count, BenchReport.ReferenceLimit);
        StageProgress.Run(stderr, "generating seeded data", stage =>
        {
            source = BenchData.Generate(format, count);
            fast = new byte[count];
            stage("timing the fast path and the stream baseline");
            (fastSeconds, stream) = StreamBaseline.CompareNarrow(() => FastCast.Encode(format, source, fast, ctx, threads),
                source, new byte[count], threads, BenchReport.Repetitions);
            stage("timing the scalar reference");
            reference = new uint[checkedCount];
            Reference(format, source.AsSpan(0, Math.Min(checkedCount, 1 << 16)), reference, ctx); // warm-up
            long refStart = Stopwatch.GetTimestamp();
            Reference(format, source.AsSpan(0, checkedCount), reference, ctx);
            refSeconds = Stopwatch.GetElapsedTime(refStart).TotalSeconds;
            return 0;
        });

        if (ReportMismatches(format, source, fast, reference, stderr)) return 1;

        stdout.Write($"format {format.Name} ({format.TotalBits} bits), rounding {RoundingNames.Name(ctx.Mode)}, " +
                     $"overflow {ctx.Overflow.ToString().ToLowerInvariant()}\n");
        stdout.Write($"count {count.ToString(CultureInfo.InvariantCulture)}, threads {BenchReport.Workers(threads)}, " +
                     $"best of {BenchReport.Repetitions}, fast and stream interleaved\n");
        BenchReport.Write(stdout, count, checkedCount, fastSeconds, stream, refSeconds, 5, "read 4 B, write 1 B");
        return 0;
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
}
