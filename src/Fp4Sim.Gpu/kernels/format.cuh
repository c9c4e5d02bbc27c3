// A number format as plain data, and the properties C# derives from it. Mirrors Fp4Sim.Numerics.Formats.FormatInfo;
// the layout matches Fp4Sim.Gpu.FormatParameters (sequential 32-bit fields), which is how the host passes it in.
#pragma once
#include "portable.cuh"

// Values of Fp4Sim.Numerics.Formats.SpecialsPolicy, RoundingMode and OverflowMode (same order as the C# enums).
enum { FP4SIM_SPECIALS_IEEE = 0, FP4SIM_SPECIALS_FN = 1, FP4SIM_SPECIALS_FNUZ = 2, FP4SIM_SPECIALS_NONE = 3 };
enum { FP4SIM_RNE = 0, FP4SIM_RNA = 1, FP4SIM_RTZ = 2, FP4SIM_RUP = 3, FP4SIM_RDN = 4, FP4SIM_SR = 5 };
enum { FP4SIM_OVERFLOW_SATURATE = 0, FP4SIM_OVERFLOW_IEEE = 1 };

struct fp4sim_format
{
    fp4sim_i32 is_signed;
    fp4sim_i32 exponent_bits;
    fp4sim_i32 mantissa_bits;   // for integers: the magnitude bits (width - 1 signed, width unsigned)
    fp4sim_i32 bias;
    fp4sim_i32 specials;
    fp4sim_i32 subnormals;
    fp4sim_i32 has_zero;
    fp4sim_i32 is_integer;      // two's complement when is_signed, plain binary when not
};

// What an encode needs besides the value: the format and RoundingContext's Mode and Overflow.
struct fp4sim_cast_params
{
    fp4sim_format format;
    fp4sim_i32 mode;
    fp4sim_i32 overflow;
};

// FormatInfo.TotalBits
FP4SIM_HD int fp4sim_total_bits(const fp4sim_format& f)
{
    return (f.is_signed ? 1 : 0) + f.exponent_bits + f.mantissa_bits;
}

// FormatInfo.CodeMask
FP4SIM_HD fp4sim_u32 fp4sim_code_mask(const fp4sim_format& f)
{
    return (fp4sim_u32)((1ull << fp4sim_total_bits(f)) - 1);
}

// FormatInfo.SignMask
FP4SIM_HD fp4sim_u32 fp4sim_sign_mask(const fp4sim_format& f)
{
    return f.is_signed && !f.is_integer ? 1u << (f.exponent_bits + f.mantissa_bits) : 0u;
}

// FormatInfo.MagnitudeMask
FP4SIM_HD fp4sim_u32 fp4sim_magnitude_mask(const fp4sim_format& f)
{
    return (fp4sim_u32)((1ull << (f.exponent_bits + f.mantissa_bits)) - 1);
}

// FormatInfo.TrailingSignificandMask
FP4SIM_HD fp4sim_u32 fp4sim_trailing_mask(const fp4sim_format& f)
{
    return (1u << f.mantissa_bits) - 1;
}

// FormatInfo.MaxExponentField
FP4SIM_HD int fp4sim_max_exponent_field(const fp4sim_format& f)
{
    return (1 << f.exponent_bits) - 1;
}

// FormatInfo.MinNormalExponent
FP4SIM_HD int fp4sim_min_normal_exponent(const fp4sim_format& f)
{
    return f.has_zero ? 1 - f.bias : -f.bias;
}

// FormatInfo.HasNaN
FP4SIM_HD bool fp4sim_has_nan(const fp4sim_format& f)
{
    return !f.is_integer && f.specials != FP4SIM_SPECIALS_NONE;
}

// FormatInfo.HasNegativeZero
FP4SIM_HD bool fp4sim_has_negative_zero(const fp4sim_format& f)
{
    return !f.is_integer && f.is_signed && f.has_zero && f.specials != FP4SIM_SPECIALS_FNUZ;
}

// FormatInfo.MaxFiniteMagnitude
FP4SIM_HD fp4sim_u32 fp4sim_max_finite_magnitude(const fp4sim_format& f)
{
    if (f.is_integer) return (fp4sim_u32)((1ull << f.mantissa_bits) - 1);
    if (f.specials == FP4SIM_SPECIALS_IEEE)
        return ((fp4sim_u32)(fp4sim_max_exponent_field(f) - 1) << f.mantissa_bits) | fp4sim_trailing_mask(f);
    if (f.specials == FP4SIM_SPECIALS_FN) return fp4sim_magnitude_mask(f) - 1;
    return fp4sim_magnitude_mask(f);
}

// FormatInfo.CanonicalNaN (callers check fp4sim_has_nan first, as C# would throw).
FP4SIM_HD fp4sim_u32 fp4sim_canonical_nan(const fp4sim_format& f)
{
    if (f.specials == FP4SIM_SPECIALS_IEEE)
        return ((fp4sim_u32)fp4sim_max_exponent_field(f) << f.mantissa_bits) | (1u << (f.mantissa_bits - 1));
    if (f.specials == FP4SIM_SPECIALS_FN) return fp4sim_magnitude_mask(f);
    return 1u << (f.exponent_bits + f.mantissa_bits);
}

// FormatInfo.PositiveInfinity (ieee only).
FP4SIM_HD fp4sim_u32 fp4sim_positive_infinity(const fp4sim_format& f)
{
    return (fp4sim_u32)fp4sim_max_exponent_field(f) << f.mantissa_bits;
}
