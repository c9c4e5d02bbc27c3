using System.Numerics;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Rounding;

/// <summary>
/// The single rounding primitive (SoftFloat's roundPack): every encode of a finite nonzero value funnels
/// through <see cref="RoundFinite"/>. It rounds |x| = significand · 2^exponent onto the format's grid, then packs
/// the result into a code, handling carry into the next binade, underflow and overflow in one place.
/// </summary>
internal static class RoundPack
{
    /// <summary>
    /// Rounds a finite nonzero magnitude and packs it with its sign. Contract: <paramref name="significand"/> ≠ 0;
    /// the value is exact (no bits were dropped before this call); the format is signed or the value positive.
    /// </summary>
    public static uint RoundFinite(FormatInfo f, bool negative, ulong significand, int exponent, in RoundingContext ctx)
    {
        int log2 = exponent + 63 - BitOperations.LeadingZeroCount(significand); // floor(log2 |x|)
        int quantum = QuantumExponent(f, log2);
        DiscardedBits split = DiscardedBits.At(significand, quantum - exponent);

        UInt128 truncatedCode = GridCode(f, split.Quotient, quantum);
        bool roundAway = ctx.Mode switch
        {
            RoundingMode.Rne => split.VersusHalf > 0 || (split.VersusHalf == 0 && (truncatedCode & 1) == 1),
            RoundingMode.Rna => split.VersusHalf >= 0,
            RoundingMode.Rtz => false,
            RoundingMode.Rup => split.Inexact && !negative,
            RoundingMode.Rdn => split.Inexact && negative,
            RoundingMode.Sr => (ulong)split.Fraction32 + ctx.RandomBits >= 1UL << 32,
            _ => throw new ArgumentOutOfRangeException(nameof(ctx)),
        };
        UInt128 magnitude = split.Quotient + (roundAway ? 1u : 0u);
        if (magnitude == 0) return Zero(f, negative);

        UInt128 code = GridCode(f, magnitude, quantum);
        UInt128 limit = f.IsInteger && negative && !SymmetricIntegers(ctx) ? f.MaxFiniteMagnitude + 1u : f.MaxFiniteMagnitude;
        if (code > limit) return Overflow(f, negative, ctx);
        return Sign(f, negative, (uint)code);
    }

    /// <summary>
    /// The exponent of the grid spacing (one unit in the last place) for a value with floor(log2|x|) = log2:
    /// 2^(log2 − M) in a normal binade; 2^(emin − M) below the normal range with subnormals, and 2^emin without
    /// them (the gap between 0 and the smallest normal is then one step). Integers always step by 1.
    /// </summary>
    public static int QuantumExponent(FormatInfo f, int log2)
    {
        if (f.IsInteger) return 0;
        int emin = f.MinNormalExponent;
        if (log2 >= emin) return log2 - f.MantissaBits;
        return f.Subnormals || !f.HasZero ? emin - f.MantissaBits : emin;
    }

    /// <summary>
    /// The (unbounded) magnitude code of the grid value n · 2^quantum: the code the format would give it if its
    /// exponent field were wide enough. Codes are monotonic in value, so overflow is "code &gt; max finite".
    /// </summary>
    private static UInt128 GridCode(FormatInfo f, UInt128 n, int quantum)
    {
        if (f.IsInteger || n == 0) return n;
        int m = f.MantissaBits;
        UInt128 implicitBit = (UInt128)1 << m;
        while (n >= implicitBit << 1) { n >>= 1; quantum++; }                      // carry into the next binade
        while (n < implicitBit && quantum > f.MinNormalExponent - m) { n <<= 1; quantum--; } // the flush gap's one step
        if (n < implicitBit) return n;                                              // subnormal: field 0
        int field = quantum + m + f.Bias;
        if (field < 0) return 0;
        return ((UInt128)(uint)field << m) + (n - implicitBit);
    }

    /// <summary>The zero of the given sign (+0 where −0 does not exist; the smallest code where zero does not exist).</summary>
    public static uint Zero(FormatInfo f, bool negative) =>
        negative && f.HasNegativeZero ? f.SignMask : 0u;

    /// <summary>Applies the sign to a magnitude code (two's complement for integers).</summary>
    public static uint Sign(FormatInfo f, bool negative, uint magnitude)
    {
        if (!negative) return magnitude;
        if (f.IsInteger) return (uint)-magnitude & f.CodeMask;
        if (magnitude == 0) return Zero(f, negative);
        return f.SignMask | magnitude;
    }

    /// <summary>
    /// A finite value beyond max finite: ±max when saturating, when the format has no specials, or when the rounding
    /// direction points toward zero for this sign (IEEE 754 §7.4); otherwise ±Inf, the signed NaN (fn) or 0x80 (fnuz).
    /// Under a peer <see cref="CastConvention"/>: ml_dtypes and microxcaling ignore the direction (their overflow test looks
    /// at the rounded magnitude only); gfloat gives its one NaN code (all ones) where the format has NaN but no Inf, and
    /// raises where it has neither.
    /// </summary>
    /// <exception cref="NotRepresentableException">gfloat, a non-saturating overflow into a format without Inf and NaN.</exception>
    public static uint Overflow(FormatInfo f, bool negative, in RoundingContext ctx)
    {
        bool towardZero = ctx.RoundsTowardZero(negative) && ctx.Convention is CastConvention.Fp4Sim or CastConvention.Gfloat;
        if (ctx.Overflow == OverflowMode.Saturate || towardZero) return MaxFinite(f, negative, SymmetricIntegers(ctx));
        if (ctx.Convention == CastConvention.Gfloat && f.Specials != SpecialsPolicy.Ieee)
            return f.HasNaN ? GfloatNaN(f) : throw new NotRepresentableException($"gfloat raises: overflow in {f.Name}, which has no Inf or NaN");
        return f.HasNaN ? InfinityOrNaN(f, negative) : MaxFinite(f, negative, SymmetricIntegers(ctx));
    }

    /// <summary>±max finite (for integers, −2^(b−1) when negative, or −(2^(b−1) − 1) when <paramref name="symmetric"/>).</summary>
    public static uint MaxFinite(FormatInfo f, bool negative, bool symmetric = false) =>
        Sign(f, negative, f.IsInteger && negative && !symmetric ? f.MaxFiniteMagnitude + 1 : f.MaxFiniteMagnitude);

    /// <summary>microxcaling clamps integers to ±(2^(b−1) − 1): its int8 (MXINT8) never produces −128.</summary>
    public static bool SymmetricIntegers(in RoundingContext ctx) => ctx.Convention == CastConvention.Microxcaling;

    /// <summary>gfloat's <c>code_of_nan</c>: the all-ones code (sign bit included) where NaNs sit at the top, 0x80 for fnuz.</summary>
    public static uint GfloatNaN(FormatInfo f) => f.Specials == SpecialsPolicy.Fnuz ? f.CanonicalNaN : f.CodeMask;

    /// <summary>What an infinite result becomes: ±Inf (ieee), signed NaN (fn), the NaN 0x80 (fnuz).</summary>
    public static uint InfinityOrNaN(FormatInfo f, bool negative) => f.Specials switch
    {
        SpecialsPolicy.Ieee => (negative ? f.SignMask : 0) | f.PositiveInfinity,
        SpecialsPolicy.Fn => (negative ? f.SignMask : 0) | f.CanonicalNaN,
        _ => f.CanonicalNaN,
    };

    /// <summary>
    /// The bits below the quantum: <see cref="Quotient"/> = ⌊|x| / 2^quantum⌋; <see cref="VersusHalf"/> compares the
    /// remainder with half a quantum (−1, 0, +1); <see cref="Fraction32"/> is the remainder's top 32 bits as a
    /// fraction of one quantum (truncated), which stochastic rounding compares against its random bits.
    /// </summary>
    private readonly record struct DiscardedBits(UInt128 Quotient, int VersusHalf, bool Inexact, uint Fraction32)
    {
        public static DiscardedBits At(ulong significand, int shift)
        {
            if (shift <= 0) return new((UInt128)significand << -shift, -1, false, 0);
            if (shift > 64) // the whole significand is below half a quantum (2^(shift−1) > 2^64 > significand)
                return new(0, -1, true, shift - 32 >= 64 ? 0u : (uint)(significand >> (shift - 32)));
            UInt128 remainder = significand & (((UInt128)1 << shift) - 1);
            UInt128 half = (UInt128)1 << (shift - 1);
            uint fraction32 = shift >= 32 ? (uint)(remainder >> (shift - 32)) : (uint)(remainder << (32 - shift));
            return new((UInt128)significand >> shift, remainder.CompareTo(half), remainder != 0, fraction32);
        }
    }
}
