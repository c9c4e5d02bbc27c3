using System.Numerics;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Codec;

/// <summary>
/// The inputs a peer library's convention settles differently from Fp4Sim's (docs/semantics.md §7.1). Every finite value
/// still rounds through <see cref="RoundPack"/>; these rules only choose a special code, or the rounding mode ml_dtypes
/// ends up using for M = 0 formats. Overflow differences live in <see cref="RoundPack.Overflow"/>.
/// </summary>
internal static class PeerConventions
{
    /// <summary>True with the code when the convention settles <paramref name="x"/> itself; false to encode as Fp4Sim does.</summary>
    /// <exception cref="ArgumentException">The convention has no such rounding mode, or does not model the format.</exception>
    /// <exception cref="NotRepresentableException">gfloat raises for this input.</exception>
    public static bool TrySettle(FormatInfo f, in Unpacked x, in RoundingContext ctx, out uint code)
    {
        if (CastConventions.Unsupported(f, ctx) is { } why) throw new ArgumentException(why, nameof(ctx));
        code = 0;
        return ctx.Convention switch
        {
            CastConvention.MlDtypes => MlDtypes(f, x, ctx, out code),
            CastConvention.Gfloat => Gfloat(f, x, ctx, out code),
            CastConvention.Microxcaling => Microxcaling(f, x, out code),
            _ => false,
        };
    }

    /// <summary>
    /// ml_dtypes' ConvertImpl: Inf → <c>infinity()</c> and NaN → <c>quiet_NaN()</c>, each negated by the type's own
    /// negation; no zero (E8M0): ±0 → NaN (saturating: 0x00); negative into unsigned → NaN (saturating: 0x00). With
    /// M = 0 its round-to-nearest-even keeps the implicit bit as the "even" bit, so ties go up (rna), and E8M0's lowest
    /// binade rounds as if 0x00 were zero: (2^−127, 2^−126) → 0x01.
    /// </summary>
    private static bool MlDtypes(FormatInfo f, in Unpacked x, in RoundingContext ctx, out uint code)
    {
        bool saturate = ctx.Overflow == OverflowMode.Saturate;
        code = x.Kind switch
        {
            InputKind.NaN => Negate(f, f.Specials == SpecialsPolicy.None ? f.SignMask : f.CanonicalNaN, x.Negative),
            InputKind.Infinity => Negate(f, Infinity(f), x.Negative),
            InputKind.Zero when !f.HasZero => saturate ? 0u : f.CanonicalNaN,
            _ when x.Kind != InputKind.Zero && x.Negative && !f.IsSigned => saturate ? 0u : f.CanonicalNaN,
            _ => uint.MaxValue,
        };
        if (code != uint.MaxValue) return true;
        if (x.Kind != InputKind.Finite || f.MantissaBits != 0 || ctx.Mode != RoundingMode.Rne) { code = 0; return false; }
        code = !f.HasZero && x.Log2 == f.MinNormalExponent && !BitOperations.IsPow2(x.Significand)
            ? 1u
            : RoundPack.RoundFinite(f, x.Negative, x.Significand, x.Exponent, ctx with { Mode = RoundingMode.Rna });
        return true;
    }

    /// <summary>ml_dtypes' <c>infinity()</c>: Inf (ieee), the NaN (fn, fnuz, unsigned), max finite (FP4/FP6: no specials).</summary>
    private static uint Infinity(FormatInfo f) => f.Specials switch
    {
        SpecialsPolicy.Ieee => f.PositiveInfinity,
        SpecialsPolicy.None => f.MaxFiniteMagnitude,
        _ => f.CanonicalNaN,
    };

    /// <summary>ml_dtypes' unary minus: flips the sign bit, except fnuz's 0x00 and 0x80 stay; unsigned types give NaN (0 stays 0).</summary>
    private static uint Negate(FormatInfo f, uint code, bool negative)
    {
        if (!negative) return code;
        if (!f.IsSigned) return code == 0 && f.HasZero ? 0u : f.CanonicalNaN;
        if (f.Specials == SpecialsPolicy.Fnuz && (code & f.MagnitudeMask) == 0) return code;
        return code ^ f.SignMask;
    }

    /// <summary>
    /// gfloat: NaN → <c>code_of_nan</c> (all ones, or 0x80 for fnuz), raising where the format has no NaN; a
    /// non-saturating Inf into a format without Inf → <c>code_of_nan</c>, raising where it has no NaN either.
    /// </summary>
    private static bool Gfloat(FormatInfo f, in Unpacked x, in RoundingContext ctx, out uint code)
    {
        code = 0;
        if (x.Kind == InputKind.NaN)
        {
            code = f.HasNaN ? RoundPack.GfloatNaN(f) : throw new NotRepresentableException($"gfloat raises: NaN into {f.Name}, which has no NaN");
            return true;
        }
        if (x.Kind != InputKind.Infinity || ctx.Overflow == OverflowMode.Saturate || f.HasInfinity) return false;
        code = f.HasNaN ? RoundPack.GfloatNaN(f) : throw new NotRepresentableException($"gfloat raises: Inf into {f.Name}, which has no Inf or NaN");
        return true;
    }

    /// <summary>microxcaling restores ±Inf after quantizing, saturating or not: the format's Inf, its NaN, or ±max where it has neither.</summary>
    private static bool Microxcaling(FormatInfo f, in Unpacked x, out uint code)
    {
        code = 0;
        if (x.Kind != InputKind.Infinity) return false;
        code = f.HasNaN ? RoundPack.InfinityOrNaN(f, x.Negative) : RoundPack.MaxFinite(f, x.Negative, symmetric: true);
        return true;
    }
}
