using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Codec;

/// <summary>Walking a format's code space: limits, canonical codes, successor and predecessor in value order.</summary>
public static class CodeSpace
{
    /// <summary>Every code, 0 .. 2^bits − 1.</summary>
    public static IEnumerable<uint> AllCodes(FormatInfo f)
    {
        for (ulong c = 0; c < f.CodeCount; c++) yield return (uint)c;
    }

    /// <summary>
    /// Whether encoding the code's value gives the code back: false only for the non-canonical zeros of a format
    /// without subnormals (field 0, mantissa ≠ 0, which read as ±0).
    /// </summary>
    public static bool IsCanonical(FormatInfo f, uint code) =>
        f.IsInteger || !(Decoder.Classify(f, code) == CodeClass.Zero && (code & f.MagnitudeMask) != 0 && f.HasZero);

    /// <summary>Largest finite value.</summary>
    public static double MaxFinite(FormatInfo f) => Decoder.Decode(f, f.MaxFiniteMagnitude);

    /// <summary>Smallest positive normal value (1 for integers).</summary>
    public static double MinNormal(FormatInfo f) => f.IsInteger ? 1 : Math.ScaleB(1.0, f.MinNormalExponent);

    /// <summary>Smallest positive value: the least subnormal, or the least normal when there are no subnormals.</summary>
    public static double MinSubnormal(FormatInfo f) =>
        f.IsInteger || !f.Subnormals || f.MantissaBits == 0 || !f.HasZero
            ? MinNormal(f)
            : Math.ScaleB(1.0, f.MinNormalExponent - f.MantissaBits);

    /// <summary>
    /// The code of the next larger value (IEEE nextUp): NaN stays; +Inf stays; +max goes to +Inf, or stays where
    /// there is no Inf; ±0 go to the least positive value; −(least positive) goes to −0 (+0 without −0).
    /// </summary>
    public static uint NextUp(FormatInfo f, uint code) => Step(f, code, up: true);

    /// <summary>The code of the next smaller value (IEEE nextDown), the mirror of <see cref="NextUp"/>.</summary>
    public static uint NextDown(FormatInfo f, uint code) => Step(f, code, up: false);

    private static uint Step(FormatInfo f, uint code, bool up)
    {
        code &= f.CodeMask;
        if (f.IsInteger)
        {
            long v = (long)Decoder.Decode(f, code), next = up ? v + 1 : v - 1;
            long max = (long)f.MaxFiniteMagnitude, min = f.IsSigned ? -max - 1 : 0;
            return next > max || next < min ? code : (uint)next & f.CodeMask;
        }
        CodeClass cls = Decoder.Classify(f, code);
        if (cls == CodeClass.NaN) return code;
        bool negative = (code & f.SignMask) != 0 && cls != CodeClass.Zero;
        if (cls == CodeClass.Zero) negative = !up;                          // leave zero toward the step's direction
        uint magnitude = cls == CodeClass.Zero ? 0 : code & f.MagnitudeMask;
        bool grow = up != negative;                                        // moving away from zero?
        uint top = f.HasInfinity ? f.PositiveInfinity : f.MaxFiniteMagnitude;
        if (grow)
        {
            if (magnitude >= top) return code;                            // +Inf / max without Inf: nowhere to go
            if (!f.IsSigned && !up) return code;
            magnitude = magnitude == 0 && !f.Subnormals && f.HasZero ? 1u << f.MantissaBits : magnitude + 1;
            return negative ? f.SignMask | magnitude : magnitude;
        }
        if (!f.HasZero && magnitude == 0) return code;                    // E8M0: 2^−127 is the bottom
        if (!f.IsSigned && magnitude == 0) return code;
        magnitude = !f.Subnormals && f.HasZero && magnitude == 1u << f.MantissaBits ? 0 : magnitude - 1;
        if (magnitude == 0) return negative && f.HasNegativeZero ? f.SignMask : 0u;
        return negative ? f.SignMask | magnitude : magnitude;
    }
}
