using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// float32 → code and code → float32 as ILGPU kernel code: <see cref="Encoder"/> (float overload, fp4sim convention) with
/// Unpacked.From(float) inlined, and <see cref="Decoder"/>'s Classify, Decode and DecodeToSingle. Float values travel as
/// their bits (uint), so NaN payloads and signed zeros survive every accelerator.
/// </summary>
public static class KernelCodec
{
    /// <summary>Values of <see cref="CodeClass"/> (the enum's order).</summary>
    public const int ClassZero = 0, ClassSubnormal = 1, ClassNormal = 2, ClassInfinity = 3, ClassNaN = 4;

    /// <summary>
    /// Mirrors <see cref="Encoder.Encode(FormatInfo, float, in RoundingContext)"/> with Unpacked.From(float) inlined:
    /// NaN, zero, negative-into-unsigned and infinity settled first, every finite nonzero value through
    /// <see cref="KernelRoundPack.RoundFinite"/>. <paramref name="randomBits"/> is <see cref="RoundingContext.RandomBits"/>.
    /// </summary>
    public static uint Encode(KernelCast f, uint bits, uint randomBits) => EncodeScaled(f, bits, 0, randomBits);

    /// <summary>
    /// Mirrors <see cref="Encoder.EncodeQuotient"/> with a power-of-two denominator 2^<paramref name="scaleExponent"/>
    /// (an MX block's divisor): as <see cref="Encode"/>, the finite value's exponent lowered by the scale (exact).
    /// </summary>
    public static uint EncodeScaled(KernelCast f, uint bits, int scaleExponent, uint randomBits)
    {
        if (!Finite(bits) || (bits & 0x7FFFFFFF) == 0) return EncodeSpecial(f, bits);
        if ((bits >> 31) != 0 && f.IsSigned == 0) return EncodeSpecial(f, bits);
        (ulong significand, int exponent) = Split(bits);
        return KernelRoundPack.RoundFinite(f, (bits >> 31) != 0, significand, exponent - scaleExponent, randomBits);
    }

    /// <summary>
    /// Mirrors <see cref="Encoder.EncodeQuotient"/>: rounds x / d once, d = <paramref name="divisorSignificand"/> ·
    /// 2^<paramref name="divisorExponent"/> (positive, at most 33 significant bits: an NVFP4 divisor is a 4-bit E4M3 value
    /// times a 24-bit float32). The quotient is computed in two 64-bit divisions to at least 59 bits and the remainder
    /// jammed into its last bit, as the reference keeps 63 bits and a sticky bit: both leave every bit the rounding reads
    /// (the half-quantum bit, 32 bits of stochastic fraction, and whether anything remains) exact.
    /// </summary>
    public static uint EncodeQuotient(KernelCast f, uint bits, ulong divisorSignificand, int divisorExponent, uint randomBits)
    {
        if (!Finite(bits) || (bits & 0x7FFFFFFF) == 0) return EncodeSpecial(f, bits);
        if ((bits >> 31) != 0 && f.IsSigned == 0) return EncodeSpecial(f, bits);
        (ulong n, int exponent) = Split(bits);
        int nShift = 24 - (64 - IntrinsicMath.BitOperations.LeadingZeroCount(n)); // n in [2^23, 2^24)
        n <<= nShift;
        int dBits = 64 - IntrinsicMath.BitOperations.LeadingZeroCount(divisorSignificand);
        int a = dBits + 6; // n · 2^a < 2^63 and the first quotient in [2^29, 2^31)
        ulong dividend = n << a;
        ulong high = dividend / divisorSignificand, rest = dividend - high * divisorSignificand;
        ulong low = (rest << 30) / divisorSignificand, sticky = (rest << 30) - low * divisorSignificand;
        ulong quotient = (high << 30) | low | (sticky != 0 ? 1UL : 0UL);
        return KernelRoundPack.RoundFinite(f, (bits >> 31) != 0, quotient, exponent - nShift - a - 30 - divisorExponent, randomBits);
    }

    /// <summary>Whether float32 bits hold a finite value.</summary>
    public static bool Finite(uint bits) => ((bits >> 23) & 0xFF) != 0xFF;

    /// <summary>Unpacked.From(float) for finite nonzero bits: the integer significand (no implicit bit for subnormals) and its exponent.</summary>
    public static (ulong Significand, int Exponent) Split(uint bits)
    {
        int field = (int)((bits >> 23) & 0xFF);
        uint trailing = bits & 0x7FFFFF;
        ulong significand = field == 0 ? trailing : trailing | 0x800000u; // float32 subnormals: no implicit bit
        return (significand, (field > 1 ? field : 1) - 127 - 23);
    }

    /// <summary>
    /// Mirrors the part of <see cref="Encoder"/> that settles NaN, zero, negative-into-unsigned and infinity, in that
    /// order; called for exactly those inputs.
    /// </summary>
    private static uint EncodeSpecial(KernelCast f, uint bits)
    {
        bool negative = (bits >> 31) != 0;
        int field = (int)((bits >> 23) & 0xFF);
        uint trailing = bits & 0x7FFFFF;
        if (field == 0xFF && trailing != 0) return EncodeNaN(f, negative, (ulong)(trailing & 0x3FFFFF) << 42);
        if (field == 0 && trailing == 0) return KernelRoundPack.Zero(f, negative);
        if (negative && f.IsSigned == 0) return f.HasNaN != 0 ? f.CanonicalNaN : 0u; // below the range of an unsigned format
        return f.Overflow == KernelCast.OverflowSaturate || f.HasNaN == 0
            ? KernelRoundPack.MaxFinite(f, negative)
            : KernelRoundPack.InfinityOrNaN(f, negative);
    }

    /// <summary>
    /// Mirrors Encoder.NaN: ieee keeps the sign and the top M−1 payload bits below the quiet bit; fn gives the signed
    /// all-ones code; fnuz 0x80; formats without NaN +max finite. <paramref name="payload"/> is left-aligned in 64 bits.
    /// </summary>
    public static uint EncodeNaN(KernelCast f, bool negative, ulong payload)
    {
        if (f.HasNaN == 0) return KernelRoundPack.MaxFinite(f, false);
        uint sign = negative ? f.SignMask : 0u;
        if (f.Specials == KernelCast.SpecialsIeee)
            return sign | f.CanonicalNaN | (f.MantissaBits > 1 ? (uint)(payload >> (64 - (f.MantissaBits - 1))) : 0u);
        if (f.Specials == KernelCast.SpecialsFn) return sign | f.CanonicalNaN;
        return f.CanonicalNaN;
    }

    /// <summary>
    /// Mirrors <see cref="StochasticBits.For"/>: the 32 random bits of element <paramref name="index"/> of stream <paramref name="seed"/>.
    /// </summary>
    public static uint StochasticBitsFor(ulong seed, ulong index)
    {
        ulong z = seed + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (uint)(z >> 32);
    }

    /// <summary>Mirrors <see cref="Decoder.Classify"/>: one of the Class* constants.</summary>
    public static int Classify(KernelCast f, uint code)
    {
        code &= f.CodeMask;
        if (f.IsInteger != 0) return code == 0 ? ClassZero : ClassNormal;
        uint magnitude = code & f.MagnitudeMask;
        uint field = magnitude >> f.MantissaBits;
        uint trailing = magnitude & f.TrailingMask;
        if (f.Specials == KernelCast.SpecialsIeee && field == f.MaxExponentField) return trailing == 0 ? ClassInfinity : ClassNaN;
        if (f.Specials == KernelCast.SpecialsFn && magnitude == f.MagnitudeMask) return ClassNaN;
        if (f.Specials == KernelCast.SpecialsFnuz && code == f.SignMask) return ClassNaN;
        if (field != 0 || f.HasZero == 0) return ClassNormal;
        if (trailing == 0 || f.Subnormals == 0) return ClassZero;
        return ClassSubnormal;
    }

    /// <summary>
    /// Math.ScaleB(significand, exponent) where it is exact: every value of a valid format has a quantum of at least
    /// 2^−1074 and stays below 2^1024, so 2^exponent built from its bits times the significand is exact.
    /// </summary>
    public static double ScaleExact(uint significand, int exponent) => significand * Pow2Double(exponent);

    /// <summary>2^e as a binary64 built from its bits, e in [−1074, 1023].</summary>
    public static double Pow2Double(int e) => Interop.IntAsFloat(e >= -1022 ? (ulong)(e + 1023) << 52 : 1UL << (e + 1074));

    /// <summary>2^e as a binary32 built from its bits, e in [−149, 127].</summary>
    public static float Pow2Single(int e) => Interop.IntAsFloat(e >= -126 ? (uint)(e + 127) << 23 : 1u << (e + 149));

    /// <summary>Mirrors <see cref="Decoder.Decode"/> for codes that are not NaN: the exact value (Inf as infinity).</summary>
    public static double DecodeExact(KernelCast f, uint code)
    {
        code &= f.CodeMask;
        if (f.IsInteger != 0) // Decoder.SignExtend
            return f.IsSigned != 0 && (code & (1u << f.MantissaBits)) != 0 ? (double)code - (double)(1UL << f.TotalBits) : code;
        bool negative = (code & f.SignMask) != 0;
        uint magnitude = code & f.MagnitudeMask;
        int kind = Classify(f, code);
        double value;
        if (kind == ClassInfinity) value = Interop.IntAsFloat(0x7FF0000000000000UL);
        else if (kind == ClassZero) value = 0.0;
        else if (kind == ClassSubnormal) value = ScaleExact(magnitude, f.MinNormalExponent - f.MantissaBits);
        else
            value = ScaleExact((magnitude & f.TrailingMask) | (1u << f.MantissaBits),
                               (int)(magnitude >> f.MantissaBits) - f.Bias - f.MantissaBits);
        return negative ? -value : value;
    }

    /// <summary>
    /// Mirrors <see cref="Decoder.DecodeToSingle"/>, returned as float32 bits: the exact value rounded once (RNE) to
    /// float32; NaN codes become quiet NaNs with the code's sign (not for fnuz) and, for ieee formats, the payload bits
    /// below the quiet bit.
    /// </summary>
    public static uint DecodeToSingleBits(KernelCast f, uint code)
    {
        code &= f.CodeMask;
        if (Classify(f, code) != ClassNaN) return Interop.FloatAsInt((float)DecodeExact(f, code));
        uint sign = (code & f.SignMask) != 0 && f.Specials != KernelCast.SpecialsFnuz ? 0x80000000u : 0u;
        uint payload = 0;
        if (f.Specials == KernelCast.SpecialsIeee)
        {
            uint below = code & (f.TrailingMask >> 1);
            payload = f.MantissaBits <= 23 ? below << (23 - f.MantissaBits) : below >> (f.MantissaBits - 23);
        }
        return sign | 0x7FC00000u | payload;
    }
}
