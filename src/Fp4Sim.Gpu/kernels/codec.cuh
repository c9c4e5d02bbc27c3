// float32 → code and code → float32. Mirrors Fp4Sim.Numerics.Codec.Encoder (float overload), Unpacked.From(float)
// and Decoder (Classify, Decode, DecodeToSingle).
#pragma once
#include "round_pack.cuh"

// Encoder.NaN: the NaN policy; payload is the float's trailing significand below its quiet bit, left-aligned in 64 bits.
FP4SIM_HD fp4sim_u32 fp4sim_encode_nan(const fp4sim_format& f, bool negative, fp4sim_u64 payload)
{
    if (!fp4sim_has_nan(f)) return fp4sim_max_finite(f, false);
    fp4sim_u32 sign = negative ? fp4sim_sign_mask(f) : 0u;
    if (f.specials == FP4SIM_SPECIALS_IEEE)
        return sign | fp4sim_canonical_nan(f) | (f.mantissa_bits > 1 ? (fp4sim_u32)(payload >> (64 - (f.mantissa_bits - 1))) : 0u);
    if (f.specials == FP4SIM_SPECIALS_FN) return sign | fp4sim_canonical_nan(f);
    return fp4sim_canonical_nan(f);
}

// Encoder.Encode(FormatInfo, float, RoundingContext) with Unpacked.From(float) inlined. random_bits is
// RoundingContext.RandomBits (used by FP4SIM_SR only).
FP4SIM_HD fp4sim_u32 fp4sim_encode_f32(const fp4sim_cast_params& p, fp4sim_u32 bits, fp4sim_u32 random_bits)
{
    const fp4sim_format& f = p.format;
    bool negative = (bits >> 31) != 0;
    int field = (int)((bits >> 23) & 0xFF);
    fp4sim_u32 trailing = bits & 0x7FFFFF;
    if (field == 0xFF && trailing != 0) return fp4sim_encode_nan(f, negative, (fp4sim_u64)(trailing & 0x3FFFFF) << 42);
    if (field == 0 && trailing == 0) return fp4sim_zero(f, negative);
    if (negative && !f.is_signed) return fp4sim_has_nan(f) ? fp4sim_canonical_nan(f) : 0u; // below an unsigned range
    if (field == 0xFF)
        return p.overflow == FP4SIM_OVERFLOW_SATURATE || !fp4sim_has_nan(f)
            ? fp4sim_max_finite(f, negative)
            : fp4sim_infinity_or_nan(f, negative);
    // Subnormal floats share the lowest normal exponent, without the implicit bit.
    fp4sim_u64 significand = field == 0 ? trailing : trailing | 0x800000u;
    int exponent = (field > 1 ? field : 1) - 127 - 23;
    return fp4sim_round_finite(f, negative, significand, exponent, p.mode, p.overflow, random_bits);
}

// Values of Fp4Sim.Numerics.Formats.CodeClass.
enum { FP4SIM_CLASS_ZERO = 0, FP4SIM_CLASS_SUBNORMAL = 1, FP4SIM_CLASS_NORMAL = 2, FP4SIM_CLASS_INFINITY = 3, FP4SIM_CLASS_NAN = 4 };

// Decoder.Classify
FP4SIM_HD int fp4sim_classify(const fp4sim_format& f, fp4sim_u32 code)
{
    code &= fp4sim_code_mask(f);
    if (f.is_integer) return code == 0 ? FP4SIM_CLASS_ZERO : FP4SIM_CLASS_NORMAL;
    fp4sim_u32 magnitude = code & fp4sim_magnitude_mask(f);
    fp4sim_u32 field = magnitude >> f.mantissa_bits;
    fp4sim_u32 trailing = magnitude & fp4sim_trailing_mask(f);
    if (f.specials == FP4SIM_SPECIALS_IEEE && field == (fp4sim_u32)fp4sim_max_exponent_field(f))
        return trailing == 0 ? FP4SIM_CLASS_INFINITY : FP4SIM_CLASS_NAN;
    if (f.specials == FP4SIM_SPECIALS_FN && magnitude == fp4sim_magnitude_mask(f)) return FP4SIM_CLASS_NAN;
    if (f.specials == FP4SIM_SPECIALS_FNUZ && code == fp4sim_sign_mask(f)) return FP4SIM_CLASS_NAN;
    if (field != 0 || !f.has_zero) return FP4SIM_CLASS_NORMAL;
    if (trailing == 0 || !f.subnormals) return FP4SIM_CLASS_ZERO;
    return FP4SIM_CLASS_SUBNORMAL;
}

// Math.ScaleB(significand, exponent) for the exact case: every value of a valid format (FormatSpec.Validate) has a
// quantum of at least 2^-1074 and stays below 2^1024, so building 2^exponent from its bits and multiplying is exact.
FP4SIM_HD double fp4sim_scale_exact(fp4sim_u32 significand, int exponent)
{
    fp4sim_u64 power_bits = exponent >= -1022 ? (fp4sim_u64)(exponent + 1023) << 52 : 1ull << (exponent + 1074);
    return (double)significand * fp4sim_bits_to_double(power_bits);
}

// Decoder.Decode for non-NaN codes: the exact value (Inf as infinity).
FP4SIM_HD double fp4sim_decode_exact(const fp4sim_format& f, fp4sim_u32 code)
{
    code &= fp4sim_code_mask(f);
    if (f.is_integer) // Decoder.SignExtend
        return f.is_signed && (code & (1u << f.mantissa_bits)) != 0 ? (double)code - (double)(1ull << fp4sim_total_bits(f)) : (double)code;
    bool negative = (code & fp4sim_sign_mask(f)) != 0;
    fp4sim_u32 magnitude = code & fp4sim_magnitude_mask(f);
    double value;
    switch (fp4sim_classify(f, code))
    {
    case FP4SIM_CLASS_INFINITY: value = fp4sim_bits_to_double(0x7FF0000000000000ull); break;
    case FP4SIM_CLASS_ZERO: value = 0.0; break;
    case FP4SIM_CLASS_SUBNORMAL: value = fp4sim_scale_exact(magnitude, fp4sim_min_normal_exponent(f) - f.mantissa_bits); break;
    default:
        value = fp4sim_scale_exact((magnitude & fp4sim_trailing_mask(f)) | (1u << f.mantissa_bits),
                                   (int)(magnitude >> f.mantissa_bits) - f.bias - f.mantissa_bits);
        break;
    }
    return negative ? -value : value;
}

// Decoder.DecodeToSingle: the exact value rounded once (RNE) to float32, returned as its bits; NaN codes become quiet
// float NaNs with the code's sign (not for fnuz) and, for ieee formats, the payload bits below the quiet bit.
FP4SIM_HD fp4sim_u32 fp4sim_decode_f32(const fp4sim_format& f, fp4sim_u32 code)
{
    code &= fp4sim_code_mask(f);
    if (fp4sim_classify(f, code) != FP4SIM_CLASS_NAN) return fp4sim_float_to_bits((float)fp4sim_decode_exact(f, code));
    fp4sim_u32 sign = (code & fp4sim_sign_mask(f)) != 0 && f.specials != FP4SIM_SPECIALS_FNUZ ? 0x80000000u : 0u;
    fp4sim_u32 payload = 0;
    if (f.specials == FP4SIM_SPECIALS_IEEE)
    {
        fp4sim_u32 below = code & (fp4sim_trailing_mask(f) >> 1);
        payload = f.mantissa_bits <= 23 ? below << (23 - f.mantissa_bits) : below >> (f.mantissa_bits - 23);
    }
    return sign | 0x7FC00000u | payload;
}
