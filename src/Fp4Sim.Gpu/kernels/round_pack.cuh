// The single rounding primitive for finite nonzero values. Mirrors Fp4Sim.Numerics.Rounding.RoundPack function by
// function; C# works in UInt128, here 64 bits suffice because the inputs are float32 (see fp4sim_round_finite).
#pragma once
#include "format.cuh"

// RoundingContext.RoundsTowardZero
FP4SIM_HD bool fp4sim_rounds_toward_zero(int mode, bool negative)
{
    return mode == FP4SIM_RTZ || (mode == FP4SIM_RUP && negative) || (mode == FP4SIM_RDN && !negative);
}

// RoundPack.Zero
FP4SIM_HD fp4sim_u32 fp4sim_zero(const fp4sim_format& f, bool negative)
{
    return negative && fp4sim_has_negative_zero(f) ? fp4sim_sign_mask(f) : 0u;
}

// RoundPack.Sign
FP4SIM_HD fp4sim_u32 fp4sim_apply_sign(const fp4sim_format& f, bool negative, fp4sim_u32 magnitude)
{
    if (!negative) return magnitude;
    if (f.is_integer) return (0u - magnitude) & fp4sim_code_mask(f);
    if (magnitude == 0) return fp4sim_zero(f, negative);
    return fp4sim_sign_mask(f) | magnitude;
}

// RoundPack.MaxFinite
FP4SIM_HD fp4sim_u32 fp4sim_max_finite(const fp4sim_format& f, bool negative)
{
    fp4sim_u32 max = fp4sim_max_finite_magnitude(f);
    return fp4sim_apply_sign(f, negative, f.is_integer && negative ? max + 1 : max);
}

// RoundPack.InfinityOrNaN
FP4SIM_HD fp4sim_u32 fp4sim_infinity_or_nan(const fp4sim_format& f, bool negative)
{
    fp4sim_u32 sign = negative ? fp4sim_sign_mask(f) : 0u;
    if (f.specials == FP4SIM_SPECIALS_IEEE) return sign | fp4sim_positive_infinity(f);
    if (f.specials == FP4SIM_SPECIALS_FN) return sign | fp4sim_canonical_nan(f);
    return fp4sim_canonical_nan(f);
}

// RoundPack.Overflow
FP4SIM_HD fp4sim_u32 fp4sim_overflow(const fp4sim_format& f, bool negative, int mode, int overflow)
{
    if (overflow == FP4SIM_OVERFLOW_SATURATE || !fp4sim_has_nan(f) || fp4sim_rounds_toward_zero(mode, negative))
        return fp4sim_max_finite(f, negative);
    return fp4sim_infinity_or_nan(f, negative);
}

// RoundPack.QuantumExponent
FP4SIM_HD int fp4sim_quantum_exponent(const fp4sim_format& f, int log2)
{
    if (f.is_integer) return 0;
    int emin = fp4sim_min_normal_exponent(f);
    if (log2 >= emin) return log2 - f.mantissa_bits;
    return f.subnormals || !f.has_zero ? emin - f.mantissa_bits : emin;
}

// RoundPack.GridCode: the unbounded magnitude code of n · 2^quantum.
FP4SIM_HD fp4sim_u64 fp4sim_grid_code(const fp4sim_format& f, fp4sim_u64 n, int quantum)
{
    if (f.is_integer || n == 0) return n;
    int m = f.mantissa_bits;
    fp4sim_u64 implicit_bit = 1ull << m;
    while (n >= implicit_bit << 1) { n >>= 1; quantum++; }                                          // carry into the next binade
    while (n < implicit_bit && quantum > fp4sim_min_normal_exponent(f) - m) { n <<= 1; quantum--; } // the flush gap's one step
    if (n < implicit_bit) return n;                                                                 // subnormal: field 0
    int field = quantum + m + f.bias;
    if (field < 0) return 0;
    return ((fp4sim_u64)(fp4sim_u32)field << m) + (n - implicit_bit);
}

// RoundPack.Split: the bits of significand below 2^shift.
struct fp4sim_split
{
    fp4sim_u64 quotient;    // ⌊significand / 2^shift⌋
    int half;               // remainder compared with half a quantum: -1, 0, +1
    bool inexact;           // remainder ≠ 0
    fp4sim_u32 fraction32;  // the remainder's top 32 bits as a fraction of one quantum (stochastic rounding)
};

// RoundPack.Split.At. The caller guarantees significand << -shift fits in 64 bits when shift < 0.
FP4SIM_HD fp4sim_split fp4sim_split_at(fp4sim_u64 significand, int shift)
{
    fp4sim_split s;
    if (shift <= 0)
    {
        s.quotient = significand << -shift; s.half = -1; s.inexact = false; s.fraction32 = 0;
        return s;
    }
    if (shift > 64)
    {
        s.quotient = 0; s.half = -1; s.inexact = true;
        s.fraction32 = shift - 32 >= 64 ? 0u : (fp4sim_u32)(significand >> (shift - 32));
        return s;
    }
    // shift in 1..64: C# masks in 128 bits; at 64 the whole significand is the remainder.
    fp4sim_u64 remainder = shift == 64 ? significand : significand & ((1ull << shift) - 1);
    fp4sim_u64 half = 1ull << (shift - 1);
    s.quotient = shift == 64 ? 0 : significand >> shift;
    s.half = remainder > half ? 1 : (remainder == half ? 0 : -1);
    s.inexact = remainder != 0;
    s.fraction32 = shift >= 32 ? (fp4sim_u32)(remainder >> (shift - 32)) : (fp4sim_u32)(remainder << (32 - shift));
    return s;
}

// RoundPack.RoundFinite: rounds significand · 2^exponent (exact, nonzero) onto the grid and packs it with its sign.
// 64 bits are enough for float32 inputs (significand < 2^24): a float format's quantum follows the value's binade, so
// the quotient has at most M + 1 bits; an integer format's quotient is the integer part, and magnitudes of 2^32 or
// more overflow every integer format (at most 16 bits) before any shift, exactly where C#'s code > limit would.
FP4SIM_HD fp4sim_u32 fp4sim_round_finite(const fp4sim_format& f, bool negative, fp4sim_u64 significand, int exponent,
                                         int mode, int overflow, fp4sim_u32 random_bits)
{
    int log2 = exponent + 63 - fp4sim_clz64(significand);
    if (f.is_integer && log2 >= 32) return fp4sim_overflow(f, negative, mode, overflow);
    int quantum = fp4sim_quantum_exponent(f, log2);
    fp4sim_split split = fp4sim_split_at(significand, quantum - exponent);

    fp4sim_u64 truncated_code = fp4sim_grid_code(f, split.quotient, quantum);
    bool round_away;
    switch (mode)
    {
    case FP4SIM_RNE: round_away = split.half > 0 || (split.half == 0 && (truncated_code & 1) == 1); break;
    case FP4SIM_RNA: round_away = split.half >= 0; break;
    case FP4SIM_RUP: round_away = split.inexact && !negative; break;
    case FP4SIM_RDN: round_away = split.inexact && negative; break;
    case FP4SIM_SR: round_away = (fp4sim_u64)split.fraction32 + random_bits >= (1ull << 32); break;
    default: round_away = false; break; // FP4SIM_RTZ
    }
    fp4sim_u64 magnitude = split.quotient + (round_away ? 1u : 0u);
    if (magnitude == 0) return fp4sim_zero(f, negative);

    fp4sim_u64 code = fp4sim_grid_code(f, magnitude, quantum);
    fp4sim_u64 limit = (fp4sim_u64)fp4sim_max_finite_magnitude(f) + (f.is_integer && negative ? 1u : 0u);
    if (code > limit) return fp4sim_overflow(f, negative, mode, overflow);
    return fp4sim_apply_sign(f, negative, (fp4sim_u32)code);
}
