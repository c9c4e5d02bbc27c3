using System.Diagnostics;
using System.Globalization;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// The lines <c>bench cast</c> and <c>bench decode</c> share: the stream baseline, the fast path, their ratio, the
/// reference, and the machine-readable last line <c>fast &lt;e/s&gt; reference &lt;e/s&gt; stream &lt;e/s&gt; ratio &lt;r&gt;</c>.
/// </summary>
internal static class BenchReport
{
    /// <summary>
    /// Rounds of the interleaved timing (the fast path, then the stream baseline with each store kind); each reports
    /// its best. A 2^24-element pass takes 3–20 ms, so ten rounds cost little and ride out a shared machine's bursts.
    /// </summary>
    public const int Repetitions = 10;

    /// <summary>The scalar reference is 50–100x slower than the fast path: it is timed on a prefix of this length.</summary>
    public const int ReferenceLimit = 1 << 22;

    /// <summary>The thread count as printed: a number, or <c>all (n)</c> for T ≤ 0.</summary>
    public static string Workers(int threads) => threads <= 0 ? $"all ({Environment.ProcessorCount})" : Num(threads);

    /// <summary>Writes the timing lines; <paramref name="traffic"/> names the bytes moved per element.</summary>
    public static void Write(TextWriter stdout, int count, int checkedCount, double fastSeconds, StreamTiming stream,
                             double refSeconds, int bytesPerElement, string traffic)
    {
        // The reference is timed once, not by BestOf: a tiny prefix may take under a tick, which counts as one.
        refSeconds = Math.Max(refSeconds, 1.0 / Stopwatch.Frequency);
        double fastRate = count / fastSeconds, streamRate = count / stream.Seconds, refRate = checkedCount / refSeconds;
        string stores = stream.NonTemporal ? "non-temporal" : "cached";
        stdout.Write($"stream: {Num(1e9 / streamRate, "F3")} ns/element, {Num(streamRate * bytesPerElement / 1e9, "F2")} GB/s " +
                     $"({traffic} per element, no arithmetic; {StreamBaseline.VectorWidth}, {stores} stores, same threads)\n");
        stdout.Write($"fast: {Num(1e9 / fastRate, "F3")} ns/element, {Num(fastRate * bytesPerElement / 1e9, "F2")} GB/s\n");
        stdout.Write($"fast/stream {Ratio(fastRate / streamRate)}\n");
        stdout.Write($"reference: {Num(1e9 / refRate, "F3")} ns/element over {Num(checkedCount)} elements, 1 thread; " +
                     $"all {Num(checkedCount)} results identical\n");
        stdout.Write($"fast {Num(Math.Round(fastRate), "F0")} reference {Num(Math.Round(refRate), "F0")} " +
                     $"stream {Num(Math.Round(streamRate), "F0")} ratio {Ratio(fastRate / streamRate)}\n");
        stdout.Flush();
    }

    private static string Ratio(double r) => Num(r, "F2");

    private static string Num(double v, string format = "G") => v.ToString(format, CultureInfo.InvariantCulture);
}
