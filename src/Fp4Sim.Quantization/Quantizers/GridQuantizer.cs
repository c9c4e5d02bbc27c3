using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Quantization.Quantizers;

/// <summary>
/// The pipeline's element quantizer: float32 x → the code of x / scale rounded once into a format (round to nearest,
/// ties to even, saturating), exactly as <see cref="Encoder.EncodeQuotient"/> defines it, and the dequantized value
/// code · scale. LLM-FP4's FP quantizer is this with the bias-free format (E, M) and scale 2^−b̃ (a real exponent
/// bias, Eq. 6–9); the INT baselines use int&lt;N&gt; with scale max / (2^(N−1) − 1).
/// <para>
/// The fast path precomputes, per scale, the smallest float32 that reaches each next value: x reaches magnitude i+1
/// when |x| &gt; μ_i · scale, or equals it exactly and the core sends that tie up (μ_i the midpoint; the sign of
/// fma(μ_i, scale, −|x|) is the sign of the exact difference). Quantizing is then a search over those thresholds.
/// The tests prove codes equal to <see cref="Encoder.EncodeQuotient"/> on every threshold, its neighbours and random
/// inputs across formats and scales.
/// </para>
/// </summary>
public sealed class GridQuantizer
{
    private readonly float[] _positiveThresholds, _negativeThresholds;
    private readonly float[] _positiveValues, _negativeValues;
    private readonly uint[] _positiveCodes, _negativeCodes;

    /// <summary>The format codes are rounded into.</summary>
    public FormatInfo Format { get; }

    /// <summary>The divisor applied before rounding (finite, positive).</summary>
    public double Scale { get; }

    private GridQuantizer(FormatInfo format, double scale, GridTable table)
    {
        Format = format; Scale = scale;
        (_positiveThresholds, _positiveValues, _positiveCodes) = Side(table.Positive, scale, negative: false);
        (_negativeThresholds, _negativeValues, _negativeCodes) = Side(table.Negative, scale, negative: true);
    }

    /// <summary>A quantizer for <paramref name="format"/> (at most 12 bits, finite values) with divisor <paramref name="scale"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not finite and positive.</exception>
    public static GridQuantizer Create(FormatInfo format, double scale)
    {
        if (!double.IsFinite(scale) || scale <= 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be finite and positive");
        return new GridQuantizer(format, scale, GridTable.For(format));
    }

    /// <summary>Whether the grid is the same on both sides of zero (FP element formats; INT is not).</summary>
    internal bool IsSymmetric => _positiveThresholds.AsSpan().SequenceEqual(_negativeThresholds) && _positiveValues.Length == _negativeValues.Length;

    /// <summary>Ascending thresholds of the positive side.</summary>
    internal float[] PositiveThresholds => _positiveThresholds;

    /// <summary>Dequantized values of the positive side, by level.</summary>
    internal float[] PositiveValues => _positiveValues;

    /// <summary>The code of x / scale (equal to <see cref="Encoder.EncodeQuotient"/> with RNE and saturation).</summary>
    public uint Encode(float x)
    {
        if (float.IsNaN(x)) return Encoder.EncodeQuotient(Format, x, Scale, RoundingContext.Default);
        return float.IsNegative(x) ? _negativeCodes[Count(_negativeThresholds, -x)] : _positiveCodes[Count(_positiveThresholds, x)];
    }

    /// <summary>The dequantized value code · scale, rounded to float32.</summary>
    public float Quantize(float x)
    {
        if (float.IsNaN(x)) return (float)(Decoder.Decode(Format, Encode(x)) * Scale);
        return float.IsNegative(x) ? _negativeValues[Count(_negativeThresholds, -x)] : _positiveValues[Count(_positiveThresholds, x)];
    }

    /// <summary>Fake-quantizes a span: <c>y[i] = Quantize(x[i])</c> (AVX2 where the grid allows, proven equal in the tests).</summary>
    public void Quantize(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"output holds {y.Length} values, input {x.Length}");
        _bank ??= ThresholdBank.TryCreate([this], shared: true) ?? (object)this;
        if (_bank is ThresholdBank bank) { bank.Apply(x, y[..x.Length]); return; }
        for (int i = 0; i < x.Length; i++) y[i] = Quantize(x[i]);
    }

    private object? _bank; // the vector path's tables, or this when there is none

    /// <summary>How many thresholds are ≤ magnitude (binary search over the ascending thresholds).</summary>
    private static int Count(float[] thresholds, float magnitude)
    {
        int lo = 0, hi = thresholds.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (thresholds[mid] <= magnitude) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static (float[] Thresholds, float[] Values, uint[] Codes) Side(GridSide side, double scale, bool negative)
    {
        var thresholds = new float[side.Midpoints.Length];
        for (int i = 0; i < thresholds.Length; i++) thresholds[i] = SmallestReaching(side.Midpoints[i], side.TiesUp[i], scale);
        var values = new float[side.Magnitudes.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((negative ? -side.Magnitudes[i] : side.Magnitudes[i]) * scale);
        return (thresholds, values, side.Codes);
    }

    /// <summary>
    /// The positive side's thresholds at <paramref name="scale"/> without building a quantizer (a γ sweep needs them
    /// for every candidate): the same values as <see cref="PositiveThresholds"/> of <c>Create(format, scale)</c>.
    /// </summary>
    internal static void PositiveThresholdsAt(FormatInfo format, double scale, Span<float> destination)
    {
        GridSide side = GridTable.For(format).Positive;
        if (destination.Length != side.Midpoints.Length)
            throw new ArgumentException($"{destination.Length} slots for {side.Midpoints.Length} thresholds");
        for (int i = 0; i < destination.Length; i++) destination[i] = SmallestReaching(side.Midpoints[i], side.TiesUp[i], scale);
    }

    /// <summary>The smallest float32 m ≥ 0 with m / scale past the midpoint (or on it, when ties go up); +∞ if none.</summary>
    private static float SmallestReaching(double midpoint, bool tieUp, double scale)
    {
        double estimate = midpoint * scale;
        if (estimate > float.MaxValue) return float.PositiveInfinity;
        float m = (float)estimate;
        while (m > 0 && Reaches(float.BitDecrement(m), midpoint, tieUp, scale)) m = float.BitDecrement(m);
        while (!Reaches(m, midpoint, tieUp, scale))
        {
            m = float.BitIncrement(m);
            if (float.IsPositiveInfinity(m)) return m;
        }
        return m;
    }

    private static bool Reaches(float magnitude, double midpoint, bool tieUp, double scale)
    {
        double difference = Math.FusedMultiplyAdd(midpoint, scale, -(double)magnitude); // exact sign of μ·scale − |x|
        return difference < 0 || (difference == 0 && tieUp);
    }
}
