namespace Fp4Sim.Numerics.Formats;

/// <summary>
/// The three fields of an IEEE binary32 or binary64 value: sign, biased exponent field and trailing significand. The
/// one place the host formats are taken apart; every unpacker of the core builds on it.
/// </summary>
/// <param name="Negative">The sign bit.</param>
/// <param name="Field">The biased exponent field (0: zero or subnormal; all ones: ∞ or NaN).</param>
/// <param name="Trailing">The trailing significand (without the implicit bit).</param>
/// <param name="MantissaBits">Trailing significand width: 23 or 52.</param>
/// <param name="Bias">Exponent bias: 127 or 1023.</param>
public readonly record struct IeeeFields(bool Negative, int Field, ulong Trailing, int MantissaBits, int Bias)
{
    /// <summary>The fields of a binary32 value.</summary>
    public static IeeeFields Of(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        return new((bits >> 31) != 0, (int)((bits >> 23) & 0xFF), bits & 0x7FFFFF, 23, 127);
    }

    /// <summary>The fields of a binary64 value.</summary>
    public static IeeeFields Of(double x)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        return new((bits >> 63) != 0, (int)((bits >> 52) & 0x7FF), bits & 0xF_FFFF_FFFF_FFFFUL, 52, 1023);
    }

    /// <summary>The all-ones exponent field of ∞ and NaN.</summary>
    public int MaxField => (2 * Bias) + 1;

    /// <summary>A nonzero finite value (normal or subnormal).</summary>
    public bool IsFiniteNonzero => Field != MaxField && (Field != 0 || Trailing != 0);

    /// <summary>
    /// A finite value's significand with the implicit bit (none for subnormals, which share the lowest normal exponent).
    /// </summary>
    public ulong Significand => Field == 0 ? Trailing : Trailing | (1UL << MantissaBits);

    /// <summary>A finite value's exponent: |x| = <see cref="Significand"/> · 2^Exponent.</summary>
    public int Exponent => Math.Max(Field, 1) - Bias - MantissaBits;
}
