using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Quantization.Quantizers;

/// <summary>
/// An element format of the pipeline: LLM-FP4's sign + E exponent + M mantissa bits with no Inf/NaN and a real
/// exponent bias chosen per tensor or channel (the core's bias-free <c>e&lt;E&gt;m&lt;M&gt;:specials=none:bias=0</c>
/// divided by 2^−b̃), or a two's complement integer of N bits with a linear scale.
/// </summary>
public sealed record ElementFormat
{
    /// <summary>Exponent bits (0 for integers).</summary>
    public int ExponentBits { get; }

    /// <summary>Mantissa bits (for integers, bits − 1).</summary>
    public int MantissaBits { get; }

    /// <summary>True for the INT baselines.</summary>
    public bool IsInteger { get; }

    /// <summary>The core format codes are rounded into.</summary>
    public FormatInfo Core { get; }

    /// <summary>Total bits including the sign.</summary>
    public int Bits => IsInteger ? MantissaBits + 1 : 1 + ExponentBits + MantissaBits;

    /// <summary><c>E2M1</c>, <c>INT4</c>, …</summary>
    public string Name => IsInteger ? $"INT{Bits}" : $"E{ExponentBits}M{MantissaBits}";

    private ElementFormat(int e, int m, bool integer, FormatInfo core) { ExponentBits = e; MantissaBits = m; IsInteger = integer; Core = core; }

    /// <summary>The FP format E<paramref name="e"/>M<paramref name="m"/> (E ≥ 1).</summary>
    public static ElementFormat Fp(int e, int m)
    {
        if (e < 1 || m < 0 || e + m > 11) throw new ArgumentOutOfRangeException(nameof(e), $"E{e}M{m} is not a supported FP element format");
        return new ElementFormat(e, m, false, PreShiftedBias.BiasFree(e, m));
    }

    /// <summary>The two's complement integer of <paramref name="bits"/> bits.</summary>
    public static ElementFormat Int(int bits)
    {
        if (bits is < 2 or > 12) throw new ArgumentOutOfRangeException(nameof(bits), bits, "INT element formats have 2..12 bits");
        return new ElementFormat(0, bits - 1, true, FormatSpec.Parse($"int{bits}"));
    }

    /// <summary>
    /// The FP formats LLM-FP4's search tries at a bit width, as the released code builds them: mantissa bits
    /// {0,1,2} at 4 bits (E3M0, E2M1, E1M2), {0..4} at 6 bits, {2..6} at 8 bits (E5M2 … E1M6; E7M0 and E6M1 skipped).
    /// Other widths: every E ≥ 1 with at most 5 exponent bits.
    /// </summary>
    public static IReadOnlyList<ElementFormat> SearchSet(int bits)
    {
        (int lo, int hi) = bits switch { 4 => (0, 2), 6 => (0, 4), 8 => (2, 6), _ => (Math.Max(0, bits - 6), bits - 2) };
        return Enumerable.Range(lo, hi - lo + 1).Reverse().Select(m => Fp(bits - 1 - m, m)).ToArray();
    }

    /// <summary>The starting FP format at a bit width (the paper's MinMax FP row): E2M1 at 4, E3M2 at 6, E4M3 at 8 bits.</summary>
    public static ElementFormat Default(int bits) => bits switch
    {
        4 => Fp(2, 1),
        6 => Fp(3, 2),
        8 => Fp(4, 3),
        _ => bits >= 3
            ? Fp(Math.Min(bits - 2, 5), bits - 1 - Math.Min(bits - 2, 5))
            : throw new ArgumentOutOfRangeException(nameof(bits), bits, "at least 3 bits"),
    };

    /// <summary>
    /// LLM-FP4 Eq. 7: the real bias b̃ = 2^E − log2(max) + log2(2 − 2^−M) − 1 whose largest value is <paramref name="max"/>.
    /// </summary>
    public double BiasForMax(double max) => PreShiftedBias.ChannelBias(Core, max);

    /// <summary>The largest value with real bias b̃: (2 − 2^−M) · 2^(2^E − 1 − b̃) (Eq. 4).</summary>
    public double MaxForBias(double bias) => (2 - Math.ScaleB(1, -MantissaBits)) * Math.Pow(2, (1 << ExponentBits) - 1 - bias);

    /// <summary>The element quantizer for a real bias b̃ (FP formats).</summary>
    public GridQuantizer ForBias(double bias) => GridQuantizer.Create(Core, PreShiftedBias.RealBiasScale(bias));

    /// <summary>The INT quantizer whose largest positive level 2^(N−1) − 1 lands on <paramref name="max"/>.</summary>
    public GridQuantizer ForIntMax(double max) => GridQuantizer.Create(Core, IntScale(max));

    /// <summary>max / (2^(N−1) − 1), or 1 for an all-zero tensor.</summary>
    public double IntScale(double max) => max > 0 ? max / ((1 << (Bits - 1)) - 1) : 1;

    /// <inheritdoc />
    public override string ToString() => Name;
}
