using Fp4Sim.Numerics.Rounding;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// The rounding primitive as ILGPU kernel code: <see cref="RoundPack"/> function by function, for the
/// <see cref="CastConvention.Fp4Sim"/> convention. The reference works in <see cref="UInt128"/>; here 64 bits are exact
/// because the inputs are float32 (see <see cref="RoundFinite"/>). Static functions on value types only: no allocation,
/// no exceptions, no <see cref="UInt128"/>.
/// </summary>
public static class KernelRoundPack
{
    /// <summary>
    /// Mirrors <see cref="RoundPack"/>.RoundFinite: rounds significand · 2^exponent (exact, nonzero) onto the grid and
    /// packs it with its sign. Exact in 64 bits for float32 inputs (significand &lt; 2^24): a float format's quantum
    /// follows the value's binade, so the quotient has at most M + 1 bits; an integer format's quotient is the integer
    /// part, and magnitudes of 2^32 or more overflow every integer format (at most 16 bits) before any shift, giving the
    /// same <see cref="Overflow"/> code the reference reaches through <c>code &gt; limit</c>.
    /// </summary>
    public static uint RoundFinite(KernelCast f, bool negative, ulong significand, int exponent, uint randomBits)
    {
        int log2 = exponent + 63 - IntrinsicMath.BitOperations.LeadingZeroCount(significand); // floor(log2 |x|)
        if (f.IsInteger != 0 && log2 >= 32) return Overflow(f, negative);
        int quantum = QuantumExponent(f, log2);
        int shift = quantum - exponent;
        ulong quotient = Quotient(significand, shift);
        int versusHalf = VersusHalf(significand, shift);
        bool inexact = Inexact(significand, shift);

        ulong truncatedCode = GridCode(f, quotient, quantum);
        bool roundAway;
        if (f.Mode == KernelCast.Rne) roundAway = versusHalf > 0 || (versusHalf == 0 && (truncatedCode & 1) == 1);
        else if (f.Mode == KernelCast.Rna) roundAway = versusHalf >= 0;
        else if (f.Mode == KernelCast.Rup) roundAway = inexact && !negative;
        else if (f.Mode == KernelCast.Rdn) roundAway = inexact && negative;
        else if (f.Mode == KernelCast.Sr) roundAway = (ulong)Fraction32(significand, shift) + randomBits >= 1UL << 32;
        else roundAway = false; // rtz
        ulong magnitude = quotient + (roundAway ? 1UL : 0UL);
        if (magnitude == 0) return Zero(f, negative);

        ulong code = GridCode(f, magnitude, quantum);
        ulong limit = (ulong)f.MaxFiniteMagnitude + (f.IsInteger != 0 && negative ? 1UL : 0UL);
        if (code > limit) return Overflow(f, negative);
        return Sign(f, negative, (uint)code);
    }

    /// <summary>Mirrors <see cref="RoundPack"/>.QuantumExponent: the exponent of the grid spacing for floor(log2|x|) = log2.</summary>
    public static int QuantumExponent(KernelCast f, int log2)
    {
        if (f.IsInteger != 0) return 0;
        int emin = f.MinNormalExponent;
        if (log2 >= emin) return log2 - f.MantissaBits;
        return f.Subnormals != 0 || f.HasZero == 0 ? emin - f.MantissaBits : emin;
    }

    /// <summary>Mirrors <see cref="RoundPack"/>.GridCode: the unbounded magnitude code of n · 2^quantum.</summary>
    public static ulong GridCode(KernelCast f, ulong n, int quantum)
    {
        if (f.IsInteger != 0 || n == 0) return n;
        int m = f.MantissaBits;
        ulong implicitBit = 1UL << m;
        while (n >= implicitBit << 1) { n >>= 1; quantum++; }                                  // carry into the next binade
        while (n < implicitBit && quantum > f.MinNormalExponent - m) { n <<= 1; quantum--; } // the flush gap's one step
        if (n < implicitBit) return n;                                                        // subnormal: field 0
        int field = quantum + m + f.Bias;
        if (field < 0) return 0;
        return ((ulong)(uint)field << m) + (n - implicitBit);
    }

    /// <summary>Mirrors <see cref="RoundPack"/>.Zero: the zero of the given sign (+0 where −0 does not exist).</summary>
    public static uint Zero(KernelCast f, bool negative) => negative && f.HasNegativeZero != 0 ? f.SignMask : 0u;

    /// <summary>Mirrors <see cref="RoundPack"/>.Sign: applies the sign to a magnitude code (two's complement for integers).</summary>
    public static uint Sign(KernelCast f, bool negative, uint magnitude)
    {
        if (!negative) return magnitude;
        if (f.IsInteger != 0) return (0u - magnitude) & f.CodeMask;
        if (magnitude == 0) return Zero(f, negative);
        return f.SignMask | magnitude;
    }

    /// <summary>Mirrors <see cref="RoundPack"/>.MaxFinite with symmetric = false (the fp4sim convention).</summary>
    public static uint MaxFinite(KernelCast f, bool negative) =>
        Sign(f, negative, f.IsInteger != 0 && negative ? f.MaxFiniteMagnitude + 1 : f.MaxFiniteMagnitude);

    /// <summary>Mirrors <see cref="RoundPack"/>.InfinityOrNaN: ±Inf (ieee), the signed NaN (fn), the NaN 0x80 (fnuz).</summary>
    public static uint InfinityOrNaN(KernelCast f, bool negative)
    {
        uint sign = negative ? f.SignMask : 0u;
        if (f.Specials == KernelCast.SpecialsIeee) return sign | f.PositiveInfinity;
        if (f.Specials == KernelCast.SpecialsFn) return sign | f.CanonicalNaN;
        return f.CanonicalNaN;
    }

    /// <summary>
    /// Mirrors <see cref="RoundPack"/>.Overflow under the fp4sim convention: ±max when saturating, without NaN, or when the
    /// direction points toward zero for this sign (<see cref="RoundingContext.RoundsTowardZero"/>); otherwise ±Inf/NaN.
    /// </summary>
    public static uint Overflow(KernelCast f, bool negative)
    {
        if (f.Overflow == KernelCast.OverflowSaturate || f.HasNaN == 0 || RoundsTowardZero(f.Mode, negative)) return MaxFinite(f, negative);
        return InfinityOrNaN(f, negative);
    }

    /// <summary>Mirrors <see cref="RoundingContext.RoundsTowardZero"/>.</summary>
    public static bool RoundsTowardZero(int mode, bool negative) =>
        mode == KernelCast.Rtz || (mode == KernelCast.Rup && negative) || (mode == KernelCast.Rdn && !negative);

    // RoundPack.DiscardedBits.At, one field per function (shift ≤ 0 keeps everything; shift > 64 drops everything).

    /// <summary>Mirrors DiscardedBits.Quotient: ⌊significand / 2^shift⌋ (the caller keeps significand · 2^−shift in 64 bits).</summary>
    public static ulong Quotient(ulong significand, int shift)
    {
        if (shift <= 0) return significand << -shift;
        return shift >= 64 ? 0UL : significand >> shift;
    }

    /// <summary>Mirrors DiscardedBits.VersusHalf: the remainder below 2^shift compared with half a quantum (−1, 0, +1).</summary>
    public static int VersusHalf(ulong significand, int shift)
    {
        if (shift <= 0 || shift > 64) return -1; // above 64, half a quantum (2^(shift−1) ≥ 2^64) exceeds the significand
        ulong remainder = Remainder(significand, shift);
        ulong half = 1UL << (shift - 1);
        return remainder > half ? 1 : remainder == half ? 0 : -1;
    }

    /// <summary>Mirrors DiscardedBits.Inexact: whether any bit is dropped.</summary>
    public static bool Inexact(ulong significand, int shift) => shift > 0 && (shift > 64 || Remainder(significand, shift) != 0);

    /// <summary>Mirrors DiscardedBits.Fraction32: the remainder's top 32 bits as a fraction of one quantum (truncated).</summary>
    public static uint Fraction32(ulong significand, int shift)
    {
        if (shift <= 0) return 0u;
        if (shift > 64) return shift - 32 >= 64 ? 0u : (uint)(significand >> (shift - 32));
        ulong remainder = Remainder(significand, shift);
        return shift >= 32 ? (uint)(remainder >> (shift - 32)) : (uint)(remainder << (32 - shift));
    }

    /// <summary>The bits of significand below 2^shift, shift in 1..64 (the reference masks in 128 bits; at 64 all bits remain).</summary>
    private static ulong Remainder(ulong significand, int shift) => shift >= 64 ? significand : significand & ((1UL << shift) - 1);
}
