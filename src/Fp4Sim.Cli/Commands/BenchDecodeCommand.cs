using System.Diagnostics;
using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench decode</c>: times <see cref="FastCast.Decode"/> and <see cref="StreamBaseline.Widen"/> in turn
/// (best of several rounds) on the same seeded codes and threads, and the scalar <see cref="Decoder.DecodeToSingle"/> on
/// a prefix; checks fast and reference are bit-identical, and ends with
/// <c>fast &lt;elements/s&gt; reference &lt;elements/s&gt; stream &lt;elements/s&gt; ratio &lt;fast/stream&gt;</c>.
/// </summary>
public static class BenchDecodeCommand
{
    private const int MismatchesShown = 5;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("bench decode", argv, "format", "count", "threads");
        FormatInfo format = CommonOptions.Format(args);
        int count = (int)args.Integer("count", 1 << 24, 1, Array.MaxLength, "an element count 1..2^31-1");
        int threads = (int)args.Integer("threads", 1, int.MinValue, int.MaxValue, "an integer; <= 0 means all cores");
        if (format.TotalBits > 8)
            throw new CliException($"bench decode: format {format.Name} has {format.TotalBits} bits; the vector decode supports at most 8");

        byte[] codes = [];
        float[] fast = [];
        float[] reference = [];
        double fastSeconds = 0, refSeconds = 0;
        StreamTiming stream = default;
        int checkedCount = Math.Min(count, BenchReport.ReferenceLimit);
        StageProgress.Run(stderr, "generating seeded codes", stage =>
        {
            codes = BenchData.Codes(format, count);
            fast = new float[count];
            stage("timing the fast path and the stream baseline");
            (fastSeconds, stream) = StreamBaseline.CompareWiden(() => FastCast.Decode(format, codes, fast, threads),
                codes, new float[count], threads, BenchReport.Repetitions);
            stage("timing the scalar reference");
            reference = new float[checkedCount];
            Reference(format, codes.AsSpan(0, Math.Min(checkedCount, 1 << 16)), reference); // warm-up
            long refStart = Stopwatch.GetTimestamp();
            Reference(format, codes.AsSpan(0, checkedCount), reference);
            refSeconds = Stopwatch.GetElapsedTime(refStart).TotalSeconds;
            return 0;
        });

        if (ReportMismatches(format, codes, fast, reference, stderr)) return 1;

        stdout.Write($"format {format.Name} ({format.TotalBits} bits), codes uniform over all {1 << format.TotalBits}\n");
        stdout.Write($"count {count.ToString(CultureInfo.InvariantCulture)}, threads {BenchReport.Workers(threads)}, " +
                     $"best of {BenchReport.Repetitions}, fast and stream interleaved\n");
        BenchReport.Write(stdout, count, checkedCount, fastSeconds, stream, refSeconds, 5, "read 1 B, write 4 B");
        return 0;
    }

    private static void Reference(FormatInfo format, ReadOnlySpan<byte> codes, Span<float> values)
    {
        for (int i = 0; i < codes.Length; i++) values[i] = Decoder.DecodeToSingle(format, codes[i]);
    }

    /// <summary>Prints the first few disagreements (bits, so NaN payloads count) to stderr; true when there were any.</summary>
    private static bool ReportMismatches(FormatInfo format, byte[] codes, float[] fast, float[] reference, TextWriter stderr)
    {
        int digits = CodeText.Digits(format);
        static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);
        (long total, IReadOnlyList<string> first) = Counterexamples.Scan(reference.Length, i => Bits(fast[i]) != Bits(reference[i]),
            i => $"mismatch at element {i}: code {CodeText.Format(codes[i], digits)}: fast 0x{Bits(fast[i]):x8} " +
                 $"({fast[i].ToString("R", CultureInfo.InvariantCulture)}), reference 0x{Bits(reference[i]):x8} " +
                 $"({reference[i].ToString("R", CultureInfo.InvariantCulture)})", MismatchesShown);
        foreach (string line in first) stderr.Write($"fp4sim: bench decode: {line}\n");
        if (total > 0) stderr.Write($"fp4sim: bench decode: {total} of {reference.Length} values differ\n");
        stderr.Flush();
        return total > 0;
    }
}
