using System.Collections.Concurrent;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Quantization.Quantizers;

/// <summary>
/// A format's finite values on one side of zero, as the scale-free part of a threshold quantizer: magnitudes in
/// ascending order with their codes, the midpoints between neighbours, and which way the core's round-to-nearest-even
/// sends an exact midpoint. The tie directions are taken from <see cref="Encoder"/> itself (each midpoint is encoded
/// once), so the table holds no rounding rule of its own.
/// </summary>
internal sealed class GridSide
{
    /// <summary>Magnitudes |v_0| &lt; |v_1| &lt; … (|v_0| = 0).</summary>
    public required double[] Magnitudes { get; init; }

    /// <summary>The code of each magnitude on this side.</summary>
    public required uint[] Codes { get; init; }

    /// <summary>Midpoint between magnitude i and i+1.</summary>
    public required double[] Midpoints { get; init; }

    /// <summary>Whether an exact midpoint i rounds up to magnitude i+1.</summary>
    public required bool[] TiesUp { get; init; }
}

/// <summary>Both sides of a format's value grid (cached per format).</summary>
internal sealed class GridTable
{
    private static readonly ConcurrentDictionary<FormatInfo, GridTable> Cache = new();

    public required FormatInfo Format { get; init; }

    public required GridSide Positive { get; init; }

    public required GridSide Negative { get; init; }

    public static GridTable For(FormatInfo format) => Cache.GetOrAdd(format, Build);

    private static GridTable Build(FormatInfo f)
    {
        if (f.TotalBits > 12) throw new ArgumentException($"{f.Name}: threshold tables are for formats of at most 12 bits");
        return new GridTable { Format = f, Positive = Side(f, negative: false), Negative = Side(f, negative: true) };
    }

    private static GridSide Side(FormatInfo f, bool negative)
    {
        var byMagnitude = new SortedDictionary<double, uint>();
        for (uint code = 0; code < f.CodeCount; code++)
        {
            if (Decoder.Classify(f, code) is CodeClass.NaN or CodeClass.Infinity) continue;
            double v = Decoder.Decode(f, code);
            bool isNegative = v < 0 || (v == 0 && double.IsNegative(v));
            if (v == 0 && !f.HasNegativeZero) isNegative = negative; // one zero serves both sides
            if (isNegative != negative) continue;
            byMagnitude.TryAdd(Math.Abs(v), code);
        }
        double[] magnitudes = [.. byMagnitude.Keys];
        uint[] codes = [.. byMagnitude.Values];
        var midpoints = new double[magnitudes.Length - 1];
        var tiesUp = new bool[midpoints.Length];
        for (int i = 0; i < midpoints.Length; i++)
        {
            midpoints[i] = (magnitudes[i] + magnitudes[i + 1]) / 2; // exact: neighbours differ by at most a few bits
            double tie = negative ? -midpoints[i] : midpoints[i];
            tiesUp[i] = Encoder.Encode(f, tie, RoundingContext.Default) == codes[i + 1];
        }
        return new GridSide { Magnitudes = magnitudes, Codes = codes, Midpoints = midpoints, TiesUp = tiesUp };
    }
}
