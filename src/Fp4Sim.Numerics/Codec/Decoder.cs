using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Codec;

/// <summary>The scalar reference decoder: code → exact value (double), class, and binary32.</summary>
public static class Decoder
{
    /// <summary>The exact value of a code (every supported format's values are exact in binary64). NaN codes give NaN.</summary>
    public static ExactValue DecodeExact(FormatInfo f, uint code) => ExactValue.FromDouble(Decode(f, code));

    /// <summary>The value of <paramref name="code"/> as a double (every element format of the catalogue decodes exactly).</summary>
    public static double Decode(FormatInfo f, uint code)
    {
        code &= f.CodeMask;
        if (f.IsInteger) return SignExtend(f, code);
        bool negative = (code & f.SignMask) != 0;
        uint magnitude = code & f.MagnitudeMask;
        double value = Classify(f, code) switch
        {
            CodeClass.NaN => double.NaN,
            CodeClass.Infinity => double.PositiveInfinity,
            CodeClass.Zero => 0.0,
            CodeClass.Subnormal => Math.ScaleB(magnitude, f.MinNormalExponent - f.MantissaBits),
            _ => Math.ScaleB((magnitude & f.TrailingSignificandMask) | (1u << f.MantissaBits),
                             (int)(magnitude >> f.MantissaBits) - f.Bias - f.MantissaBits),
        };
        return negative && !double.IsNaN(value) ? -value : value;
    }

    /// <summary>Classifies a code.</summary>
    public static CodeClass Classify(FormatInfo f, uint code)
    {
        code &= f.CodeMask;
        if (f.IsInteger) return code == 0 ? CodeClass.Zero : CodeClass.Normal;
        uint magnitude = code & f.MagnitudeMask;
        uint field = magnitude >> f.MantissaBits;
        uint trailing = magnitude & f.TrailingSignificandMask;
        switch (f.Specials)
        {
            case SpecialsPolicy.Ieee when field == f.MaxExponentField:
                return trailing == 0 ? CodeClass.Infinity : CodeClass.NaN;
            case SpecialsPolicy.Fn when magnitude == f.MagnitudeMask:
            case SpecialsPolicy.Fnuz when code == f.SignMask:
                return CodeClass.NaN;
        }
        if (field != 0 || !f.HasZero) return CodeClass.Normal;
        if (trailing == 0 || !f.Subnormals) return CodeClass.Zero;
        return CodeClass.Subnormal;
    }

    /// <summary>
    /// Decodes to binary32: the exact value rounded once (RNE) to float. NaN codes become quiet float NaNs with the
    /// sign and the payload bits below the quiet bit (ieee), or the canonical quiet NaN with the code's sign.
    /// </summary>
    public static float DecodeToSingle(FormatInfo f, uint code)
    {
        code &= f.CodeMask;
        if (Classify(f, code) != CodeClass.NaN) return (float)Decode(f, code);
        uint sign = (code & f.SignMask) != 0 && f.Specials != SpecialsPolicy.Fnuz ? 0x80000000u : 0u;
        uint payload = 0;
        if (f.Specials == SpecialsPolicy.Ieee)
        {
            uint below = code & (f.TrailingSignificandMask >> 1);
            payload = f.MantissaBits <= 23 ? below << (23 - f.MantissaBits) : below >> (f.MantissaBits - 23);
        }
        return BitConverter.UInt32BitsToSingle(sign | 0x7FC00000u | payload);
    }

    /// <summary>An integer code's value: two's complement when signed, the code itself when unsigned.</summary>
    private static double SignExtend(FormatInfo f, uint code) =>
        f.IsSigned && (code & (1u << f.MantissaBits)) != 0 ? (double)code - f.CodeCount : code;
}
