using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// The numbers a vector kernel needs to encode float32 into a ≤ 8-bit format, computed once from
/// <see cref="FormatInfo"/> (decisions live here, kernels only do arithmetic). The kernel computes, per lane,
/// the magnitude code of the truncated value as r + ((e − emin) &lt;&lt; M) − offset in the normal range and
/// (r &lt;&lt; gapShift) − offset below it, where r is the float32 significand shifted right to the format's quantum.
/// Special results (NaN, Inf, overflow) are the scalar reference's own codes, taken from <see cref="Encoder"/>.
/// </summary>
internal sealed class CastPlan
{
    public required int MantissaBits { get; init; }
    /// <summary>Exponent of the lowest normal binade (for integers: bits − 1, so the quantum is always 1).</summary>
    public required int MinNormalExponent { get; init; }
    /// <summary>Right shift of the 24-bit float significand in the normal range: 23 − M.</summary>
    public required int NormalShift { get; init; }
    /// <summary>Right shift below the normal range is BelowShift + (emin − e): 23 − M with subnormals, 23 without.</summary>
    public required int BelowShift { get; init; }
    /// <summary>Below the normal range a quantum is worth 2^gapShift codes (M when subnormals are flushed, else 0).</summary>
    public required int GapShift { get; init; }
    /// <summary>2^M for formats without zero (E8M0), whose field 0 is a normal binade; else 0.</summary>
    public required int CodeOffset { get; init; }
    public required int MaxMagnitudePositive { get; init; }
    public required int MaxMagnitudeNegative { get; init; }
    public required bool IsInteger { get; init; }
    public required bool IsUnsigned { get; init; }
    public required bool HasNegativeZero { get; init; }
    public required int SignShift { get; init; }
    public required int CodeMask { get; init; }
    /// <summary>Codes for ieee-overflow results that point away from zero (±Inf, NaN, or ±max).</summary>
    public required int AwayPositive { get; init; }
    public required int AwayNegative { get; init; }
    /// <summary>Codes for ±Inf inputs, in both overflow modes (the reference's ±max when saturating).</summary>
    public required int InfPositive { get; init; }
    public required int InfNegative { get; init; }
    /// <summary>NaN code for a positive / negative canonical NaN; ieee formats add the payload bits.</summary>
    public required int NaNPositive { get; init; }
    public required int NaNNegative { get; init; }
    public required int NaNPayloadBits { get; init; }
    /// <summary>Code for a negative nonzero input to an unsigned format.</summary>
    public required int UnsignedNegative { get; init; }
    public required OverflowMode Overflow { get; init; }
    public required bool AwayIfPositive { get; init; }
    public required bool AwayIfNegative { get; init; }
    /// <summary>
    /// Whether ±Inf inputs take ±max finite (the least integer for −Inf, the negative-input code of an unsigned format), as
    /// the kernel's arithmetic gives them when it reads Inf as 2^128 and saturates (a saturating format whose largest value
    /// is below 2^128); otherwise the kernel puts the Inf codes in.
    /// </summary>
    public required bool InfIsSaturatedMax { get; init; }

    /// <summary>Whether the vector kernels support this format (every ≤ 8-bit format but flush-to-zero ones).</summary>
    public static bool Supports(FormatInfo f) => f.TotalBits <= 8 && !f.FlushToZero;

    /// <summary>
    /// Whether the vector kernels cover this cast: a supported format, a deterministic mode and Fp4Sim's own convention
    /// (peer conventions and <c>:subnormals=ftz</c> take the scalar reference).
    /// </summary>
    public static bool Supports(FormatInfo f, in RoundingContext ctx) =>
        Supports(f) && ctx.Mode != RoundingMode.Sr && ctx.Convention == CastConvention.Fp4Sim;

    /// <summary>Builds the plan; the special codes come from the scalar reference so both share one definition.</summary>
    public static CastPlan Create(FormatInfo f, RoundingContext ctx)
    {
        if (!Supports(f))
            throw new ArgumentException($"format {f.Name} has no vector cast (it supports ≤ 8-bit formats without flush-to-zero)");
        if (ctx.Mode == RoundingMode.Sr) throw new ArgumentException("the vector cast supports the deterministic rounding modes only");
        if (ctx.Convention != CastConvention.Fp4Sim) throw new ArgumentException("the vector cast follows Fp4Sim's own convention only");
        int m = f.MantissaBits;
        var saturating = ctx with { Overflow = OverflowMode.Saturate };
        var away = new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee);
        int minNormalExponent = f.IsInteger ? m : f.MinNormalExponent, codeOffset = f.HasZero ? 0 : 1 << m;
        int maxPositive = (int)f.MaxFiniteMagnitude, infPositive = (int)Encoder.Encode(f, float.PositiveInfinity, ctx);
        int infNegative = (int)Encoder.Encode(f, float.NegativeInfinity, ctx), signShift = f.ExponentBits + m;
        int unsignedNegative = (int)Encoder.Encode(f, -1f, ctx);
        // What the arithmetic gives −Inf: an unsigned format's negative-input code, the least integer, or −max.
        int saturatedNegativeInf = !f.IsSigned ? unsignedNegative : f.IsInteger ? -(maxPositive + 1) & (int)f.CodeMask : maxPositive | 1 << signShift;
        // The kernel's magnitude code for 2^128: the binade's base plus the implicit bit, as for any normal value.
        long codeOf2To128 = ((long)(128 - minNormalExponent) << m) + (1 << m) - codeOffset;
        return new CastPlan
        {
            MantissaBits = m,
            MinNormalExponent = minNormalExponent,
            NormalShift = 23 - m,
            BelowShift = f.IsInteger || f.Subnormals || !f.HasZero ? 23 - m : 23,
            GapShift = !f.IsInteger && !f.Subnormals && f.HasZero ? m : 0,
            CodeOffset = codeOffset,
            MaxMagnitudePositive = maxPositive,
            MaxMagnitudeNegative = (int)f.MaxFiniteMagnitude + (f.IsInteger ? 1 : 0),
            IsInteger = f.IsInteger,
            IsUnsigned = !f.IsSigned,
            HasNegativeZero = f.HasNegativeZero,
            SignShift = signShift,
            CodeMask = (int)f.CodeMask,
            AwayPositive = (int)RoundPack.Overflow(f, false, away),
            AwayNegative = (int)RoundPack.Overflow(f, f.IsSigned, away),
            InfPositive = infPositive,
            InfNegative = infNegative,
            NaNPositive = (int)Encoder.Encode(f, BitConverter.UInt32BitsToSingle(0x7FC00000), saturating),
            NaNNegative = (int)Encoder.Encode(f, BitConverter.UInt32BitsToSingle(0xFFC00000), saturating),
            NaNPayloadBits = f.Specials == SpecialsPolicy.Ieee ? m - 1 : 0,
            UnsignedNegative = unsignedNegative,
            Overflow = ctx.Overflow,
            AwayIfPositive = !ctx.RoundsTowardZero(false),
            AwayIfNegative = !ctx.RoundsTowardZero(true),
            InfIsSaturatedMax = ctx.Overflow == OverflowMode.Saturate && codeOf2To128 >= maxPositive && infPositive == maxPositive
                && infNegative == saturatedNegativeInf,
        };
    }
}
