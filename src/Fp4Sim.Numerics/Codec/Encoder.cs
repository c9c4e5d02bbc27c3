using Fp4Sim.Numerics.Exact;
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

    /// <summary>
    /// Encodes the exact quotient numerator / denominator with one rounding (no double rounding through binary64):
    /// the quotient's significand is computed to 64+ bits with the remainder jammed into its last bit (SoftFloat's
    /// sticky bit), which decides every rounding mode as the exact quotient would. The denominator must be finite and
    /// positive; a NaN, infinite or zero numerator is encoded as itself.
    /// </summary>
    public static uint EncodeQuotient(FormatInfo format, double numerator, double denominator, in RoundingContext ctx)
    {
        if (!double.IsFinite(denominator) || denominator <= 0)
            throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "the denominator must be finite and positive");
        Unpacked n = Unpacked.From(numerator), d = Unpacked.From(denominator);
        if (n.Kind != InputKind.Finite) return Encode(format, n, ctx);
        int normalise = System.Numerics.BitOperations.LeadingZeroCount(n.Significand); // ≥ 75 quotient bits whatever the inputs
        UInt128 dividend = (UInt128)(n.Significand << normalise) << 64;
        UInt128 quotient = dividend / d.Significand;
        bool sticky = dividend % d.Significand != 0;
        int shift = Math.Max(0, 128 - (int)UInt128.LeadingZeroCount(quotient) - 63); // keep at most 63 significant bits
        sticky |= (quotient & (((UInt128)1 << shift) - 1)) != 0;
        ulong significand = (ulong)(quotient >> shift) | (sticky ? 1UL : 0UL);
        var exact = new Unpacked(InputKind.Finite, n.Negative, significand, n.Exponent - normalise - d.Exponent - 64 + shift, 0);
        return Encode(format, exact, ctx);
    }

    /// <summary>
    /// Rounds an exact value of unbounded precision once into the format (the MAC engine's only way out of exact
    /// arithmetic). Specials follow <see cref="Encode(FormatInfo, double, in RoundingContext)"/>; a NaN becomes the
    /// format's canonical NaN (or +max without NaN).
    /// </summary>
    public static uint EncodeExact(FormatInfo format, ExactValue value, in RoundingContext ctx)
    {
        Unpacked x = value.Kind switch
        {
            ValueKind.NaN => new Unpacked(InputKind.NaN, false, 0, 0, 0),
            ValueKind.Infinity => new Unpacked(InputKind.Infinity, value.Negative, 0, 0, 0),
            ValueKind.Zero => new Unpacked(InputKind.Zero, value.Negative, 0, 0, 0),
            _ => Finite(value),
        };
        return Encode(format, x, ctx);

        static Unpacked Finite(ExactValue v)
        {
            (ulong significand, int exponent) = ExactValue.JammedSignificand(v.Magnitude, v.Exponent);
            return new Unpacked(InputKind.Finite, v.Negative, significand, exponent, 0);
        }
    }

    private static uint Encode(FormatInfo f, Unpacked x, in RoundingContext ctx)
    {
        if (f.FlushToZero && x.Kind == InputKind.Finite && BelowMinNormal(f, x)) x = x with { Kind = InputKind.Zero, Significand = 0 };
        if (ctx.Convention != CastConvention.Fp4Sim && PeerConventions.TrySettle(f, x, ctx, out uint settled)) return settled;
        if (x.Kind == InputKind.NaN) return NaN(f, x.Negative, x.NaNPayload);
        if (x.Kind == InputKind.Zero) return RoundPack.Zero(f, x.Negative);
        if (x.Negative && !f.IsSigned) return f.HasNaN ? f.CanonicalNaN : 0u; // below the range of an unsigned format
        if (x.Kind == InputKind.Infinity)
            return ctx.Overflow == OverflowMode.Saturate || !f.HasNaN
                ? RoundPack.MaxFinite(f, x.Negative, RoundPack.SymmetricIntegers(ctx))
                : RoundPack.InfinityOrNaN(f, x.Negative);
        return RoundPack.RoundFinite(f, x.Negative, x.Significand, x.Exponent, ctx);
    }

    /// <summary>Whether |x| is below the smallest normal, 2^emin (the flush of <see cref="FormatInfo.FlushToZero"/>).</summary>
    private static bool BelowMinNormal(FormatInfo f, in Unpacked x) => x.Log2 < f.MinNormalExponent;

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
