using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// One addend of a dot product: its exact value and the exponent hardware aligns it by. For a product of two ExMy
/// values that is e_a + e_b, the sum of the operands' unbiased exponents (subnormals count as e_min), so the product's
/// significand lies in [1, 4) and is not renormalised — the convention of the tensor-core models (Khattak &amp;
/// Mikaitis; MMA-Sim). Only <see cref="TensorCoreAccumulator"/> looks at <see cref="AlignExponent"/>; every other
/// accumulator sees the value alone.
/// </summary>
/// <param name="Value">The exact addend.</param>
/// <param name="AlignExponent">The exponent used for alignment (ignored for zeros and specials).</param>
public readonly record struct MacTerm(ExactValue Value, int AlignExponent)
{
    /// <summary>A term whose alignment exponent is floor(log2 |value|) (sums, block partials, the accumulator input C).</summary>
    public static MacTerm Of(ExactValue value) =>
        new(value, value.Kind == ValueKind.Finite ? (int)value.Log2 : 0);

    /// <summary>The exact product of code <paramref name="a"/> of <paramref name="fa"/> and <paramref name="b"/> of <paramref name="fb"/>.</summary>
    public static MacTerm Product(FormatInfo fa, uint a, FormatInfo fb, uint b)
    {
        ExactValue va = Decoder.DecodeExact(fa, a), vb = Decoder.DecodeExact(fb, b);
        return new(ExactValue.Multiply(va, vb), OperandExponent(fa, a) + OperandExponent(fb, b));
    }

    /// <summary>
    /// The exponent a multiplier sees for an operand: the unbiased exponent field of a normal, e_min for a subnormal
    /// (its significand is then 0.f), the bit length − 1 of an integer's magnitude. Zero and specials give 0.
    /// </summary>
    public static int OperandExponent(FormatInfo f, uint code)
    {
        CodeClass cls = Decoder.Classify(f, code);
        if (cls is CodeClass.Zero or CodeClass.NaN or CodeClass.Infinity) return 0;
        if (f.IsInteger) return (int)Decoder.DecodeExact(f, code).Log2;
        if (cls == CodeClass.Subnormal) return f.MinNormalExponent;
        return (int)((code & f.MagnitudeMask) >> f.MantissaBits) - f.Bias;
    }
}
