using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// LLM-FP4's pre-shifted exponent bias (§4.2, Eqs. 14–19) as real arithmetic. An activation in input channel j is
/// stored as a code c_j of the bias-free format A (e&lt;E&gt;m&lt;M&gt;, no specials, bias 0) and means
/// 2^−ρ̃ · 2^−b_j · A(c_j): a tensor-wise real bias ρ̃ (its scale 2^−ρ̃ factors out of the dot, Eq. 19) and an
/// integer channel offset b_j ∈ [0, 2^E − 1]. The reduction Σ_j 2^−b_j · A(c_j) · W(w_j) is computed three ways:
/// <list type="bullet">
/// <item><b>fake-quant</b> (the released code): dequantize each activation, 2^−b_j · A(c_j), then an ordinary MAC;</item>
/// <item><b>form (a)</b>: the MAC subtracts b_j from each product's exponent before alignment;</item>
/// <item><b>form (b)</b>: b_j is folded into the weight ahead of time — the weight's exponent bias becomes
/// bias_W + b_j for row j (<see cref="FoldIntoBias"/>: exact, codes unchanged), or the folded value is re-encoded in a
/// fixed weight format (<see cref="FoldIntoFormat"/>: exact only while it stays on that format's grid).</item>
/// </list>
/// </summary>
public static class PreShiftedBias
{
    /// <summary>The bias-free FP format LLM-FP4 uses for (E, M): every exponent code normal, field 0 subnormal, bias 0.</summary>
    public static FormatInfo BiasFree(int exponentBits, int mantissaBits) =>
        FormatSpec.Parse($"e{exponentBits}m{mantissaBits}:specials=none:bias=0");

    /// <summary>Eq. 14: the real bias b̃_j = 2^E − log2(max_j) + log2(2 − 2^−M) − 1 that maps a channel's max to the format's max.</summary>
    public static double ChannelBias(FormatInfo format, double channelMax) =>
        (1 << format.ExponentBits) - Math.Log2(channelMax) + Math.Log2(2 - Math.ScaleB(1, -format.MantissaBits)) - 1;

    /// <summary>
    /// The integer channel offsets b_j = clip(round(b̃_j) − round(ρ̃), 0, 2^E − 1) (the released code's variant of
    /// Eq. 15; round is half-to-even, as torch.round).
    /// </summary>
    public static int[] ChannelOffsets(FormatInfo format, ReadOnlySpan<double> channelBiases, double rho)
    {
        var offsets = new int[channelBiases.Length];
        int top = (1 << format.ExponentBits) - 1;
        for (int j = 0; j < offsets.Length; j++)
            offsets[j] = (int)Math.Clamp(Math.Round(channelBiases[j]) - Math.Round(rho), 0, top);
        return offsets;
    }

    /// <summary>
    /// Quantizes activation x of channel j: the code of x / (2^−ρ̃ · 2^−b_j) in <paramref name="format"/>, rounded once
    /// (RNE, clipped at the format's max — LLM-FP4's clamp then round-half-even).
    /// </summary>
    public static uint QuantizeActivation(FormatInfo format, double x, double rho, int offset) =>
        Encoder.EncodeQuotient(format, x, ActivationScale(rho, offset), RoundingContext.Default);

    /// <summary>The scale 2^−ρ̃ · 2^−b_j that divides an activation of channel j before it is rounded into the bias-free format.</summary>
    public static double ActivationScale(double rho, int offset) => Math.ScaleB(RealBiasScale(rho), -offset);

    /// <summary>
    /// The scale α̃ = 2^−b̃ of a real exponent bias b̃ (LLM-FP4 Eq. 6): x is quantized as x / α̃ rounded into the bias-free format.
    /// </summary>
    public static double RealBiasScale(double realBias) => Math.Pow(2, -realBias);

    /// <summary>Fake-quant: dequantize each activation to 2^−b_j · A(c_j), then sum the exact products with the accumulator.</summary>
    public static MacResult FakeQuant(FormatInfo a, ReadOnlySpan<uint> codes, ReadOnlySpan<int> offsets, FormatInfo w, ReadOnlySpan<uint> weights,
        Accumulator accumulator)
    {
        Check(codes.Length, offsets.Length, weights.Length);
        var terms = new MacTerm[codes.Length];
        for (int j = 0; j < terms.Length; j++)
        {
            ExactValue activation = Decoder.DecodeExact(a, codes[j]).ScaleB(-offsets[j]); // a wide-format dequantized value
            ExactValue product = ExactValue.Multiply(activation, Decoder.DecodeExact(w, weights[j]));
            int exponent = activation.Kind == ValueKind.Finite ? (int)activation.Log2 : 0;
            terms[j] = new MacTerm(product, exponent + MacTerm.OperandExponent(w, weights[j]));
        }
        return accumulator.Accumulate(terms);
    }

    /// <summary>Form (a): exact products of the stored codes, each product's exponent lowered by b_j inside the MAC.</summary>
    public static MacResult ShiftInMac(FormatInfo a, ReadOnlySpan<uint> codes, ReadOnlySpan<int> offsets, FormatInfo w, ReadOnlySpan<uint> weights,
        Accumulator accumulator)
    {
        Check(codes.Length, offsets.Length, weights.Length);
        var terms = new MacTerm[codes.Length];
        for (int j = 0; j < terms.Length; j++) terms[j] = ShiftedProduct(a, codes[j], offsets[j], w, weights[j]);
        return accumulator.Accumulate(terms);
    }

    /// <summary>One term of form (a): the exact product of the two codes with its exponent lowered by <paramref name="offset"/>.</summary>
    public static MacTerm ShiftedProduct(FormatInfo a, uint code, int offset, FormatInfo w, uint weight)
    {
        MacTerm p = MacTerm.Product(a, code, w, weight);
        return new MacTerm(p.Value.ScaleB(-offset), p.AlignExponent - offset);
    }

    /// <summary>Form (b), exact: row j's weight format is <paramref name="w"/> with bias + b_j; the codes stay as they are.</summary>
    public static FormatInfo[] FoldIntoBias(FormatInfo w, ReadOnlySpan<int> offsets)
    {
        var formats = new FormatInfo[offsets.Length];
        for (int j = 0; j < formats.Length; j++) formats[j] = w with { Name = $"{w.Name}+{offsets[j]}", Bias = w.Bias + offsets[j] };
        return formats;
    }

    /// <summary>Form (b) with per-row formats: plain products of the activation codes and the folded weights.</summary>
    public static MacResult Folded(FormatInfo a, ReadOnlySpan<uint> codes, ReadOnlySpan<FormatInfo> rowFormats, ReadOnlySpan<uint> weights,
        Accumulator accumulator)
    {
        Check(codes.Length, rowFormats.Length, weights.Length);
        var terms = new MacTerm[codes.Length];
        for (int j = 0; j < terms.Length; j++) terms[j] = MacTerm.Product(a, codes[j], rowFormats[j], weights[j]);
        return accumulator.Accumulate(terms);
    }

    /// <summary>
    /// Form (b) stored in one fixed format: each folded weight W(w_j) · 2^−b_j re-encoded (RNE) in <paramref name="target"/>.
    /// Where the folded value leaves the target's grid (below its smallest normal exponent, into subnormals or zero)
    /// the code rounds: <paramref name="inexact"/> counts those weights, and the dot then differs from fake-quant.
    /// </summary>
    public static uint[] FoldIntoFormat(FormatInfo w, ReadOnlySpan<uint> weights, ReadOnlySpan<int> offsets, FormatInfo target, out int inexact)
    {
        Check(weights.Length, offsets.Length, weights.Length);
        var folded = new uint[weights.Length];
        inexact = 0;
        for (int j = 0; j < folded.Length; j++)
        {
            ExactValue shifted = Decoder.DecodeExact(w, weights[j]).ScaleB(-offsets[j]);
            folded[j] = Encoder.EncodeExact(target, shifted, RoundingContext.Default);
            if (Decoder.DecodeExact(target, folded[j]) != shifted && shifted.Kind != ValueKind.Zero) inexact++;
        }
        return folded;
    }

    /// <summary>
    /// The narrowest format with <paramref name="w"/>'s mantissa that holds every weight shifted down by up to
    /// <paramref name="maxOffset"/> binades exactly: the same top exponent, a smallest normal exponent lowered by
    /// <paramref name="maxOffset"/>, so the exponent field grows by ⌈log2⌉ of the extra binades.
    /// </summary>
    public static FormatInfo ExactFoldFormat(FormatInfo w, int maxOffset)
    {
        int binades = w.MaxExponentField - (w.HasZero ? 1 : 0) + 1 + maxOffset; // normal binades needed
        int exponentBits = w.ExponentBits;
        while ((1 << exponentBits) - 1 < binades) exponentBits++;
        int topExponent = w.MaxExponentField - w.Bias;
        int bias = (1 << exponentBits) - 1 - topExponent;
        return FormatSpec.Parse($"e{exponentBits}m{w.MantissaBits}:specials=none:bias={bias}");
    }

    private static void Check(int codes, int offsets, int weights)
    {
        if (codes != offsets || codes != weights)
            throw new ArgumentException($"activations ({codes}), channel offsets ({offsets}) and weights ({weights}) differ in length");
    }
}
