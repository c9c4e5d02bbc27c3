using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Codec;

/// <summary>
/// The scalar reference encoder: float32/float64 → code. Readable and exact; every fast path is tested against it.
/// Special inputs are settled here; every finite nonzero value goes through <see cref="RoundPack.RoundFinite"/>.
/// </summary>
public static class Encoder
{
    /// <summary>Encodes a binary32 value.</summary>
    public static uint Encode(FormatInfo format, float value, in RoundingContext ctx) => Encode(format, Unpacked.From(value), ctx);

    /// <summary>Encodes a binary64 value.</summary>
    public static uint Encode(FormatInfo format, double value, in RoundingContext ctx) => Encode(format, Unpacked.From(value), ctx);

    /// <summary>Encodes with RNE and saturation.</summary>
    public static uint Encode(FormatInfo format, float value) => Encode(format, value, RoundingContext.Default);

    private static uint Encode(FormatInfo f, Unpacked x, in RoundingContext ctx)
    {
        if (x.Kind == InputKind.NaN) return NaN(f, x.Negative, x.NaNPayload);
        if (x.Kind == InputKind.Zero) return RoundPack.Zero(f, x.Negative);
        if (x.Negative && !f.IsSigned) return f.HasNaN ? f.CanonicalNaN : 0u; // below the range of an unsigned format
        if (x.Kind == InputKind.Infinity)
            return ctx.Overflow == OverflowMode.Saturate || !f.HasNaN
                ? RoundPack.MaxFinite(f, x.Negative)
                : RoundPack.InfinityOrNaN(f, x.Negative);
        return RoundPack.RoundFinite(f, x.Negative, x.Significand, x.Exponent, ctx);
    }

    /// <summary>
    /// NaN policy. ieee: a quiet NaN keeping the sign and the top M−1 payload bits below the quiet bit (as IEEE 754
    /// and System.Half do); fn: the all-ones code of the same sign; fnuz: 0x80. Formats without NaN: +max finite
    /// (NVIDIA's cvt convention for FP4/FP6).
    /// </summary>
    private static uint NaN(FormatInfo f, bool negative, ulong payload)
    {
        if (!f.HasNaN) return RoundPack.MaxFinite(f, negative: false);
        uint sign = negative ? f.SignMask : 0u;
        return f.Specials switch
        {
            SpecialsPolicy.Ieee => sign | f.CanonicalNaN | (f.MantissaBits > 1 ? (uint)(payload >> (64 - (f.MantissaBits - 1))) : 0u),
            SpecialsPolicy.Fn => sign | f.CanonicalNaN,
            _ => f.CanonicalNaN,
        };
    }
}
