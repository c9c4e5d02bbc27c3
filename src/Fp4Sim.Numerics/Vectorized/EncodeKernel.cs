using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// AVX2 body of the float32 → ≤ 8-bit code cast: 8 lanes of integer arithmetic on the float's bits, 32 codes per
/// iteration. Reference: <see cref="Codec.Encoder.Encode(Formats.FormatInfo, float, in Rounding.RoundingContext)"/>;
/// parity is tested exhaustively on edge sets and on seeded random data.
/// </summary>
internal static unsafe class EncodeKernel
{
    /// <summary>The plan's scalars broadcast once per call.</summary>
    private readonly struct Constants(CastPlan p)
    {
        public readonly Vector256<int> MinNormalExponent = Vector256.Create(p.MinNormalExponent);
        public readonly Vector256<int> NormalShift = Vector256.Create(p.NormalShift);
        public readonly Vector256<int> BelowShift = Vector256.Create(p.BelowShift);
        public readonly Vector256<int> GapShift = Vector256.Create(p.GapShift);
        public readonly Vector256<int> CodeOffset = Vector256.Create(p.CodeOffset);
        public readonly Vector256<int> MaxPositive = Vector256.Create(p.MaxMagnitudePositive);
        public readonly Vector256<int> MaxNegative = Vector256.Create(p.MaxMagnitudeNegative);
        public readonly Vector256<int> SignBit = Vector256.Create(p.IsInteger || p.IsUnsigned ? 0 : 1 << p.SignShift);
        public readonly Vector256<int> CodeMask = Vector256.Create(p.CodeMask);
        public readonly Vector256<int> AwayPositive = Vector256.Create(p.AwayPositive);
        public readonly Vector256<int> AwayNegative = Vector256.Create(p.AwayNegative);
        public readonly Vector256<int> AwayIfPositive = Vector256.Create(p.AwayIfPositive ? -1 : 0);
        public readonly Vector256<int> AwayIfNegative = Vector256.Create(p.AwayIfNegative ? -1 : 0);
        public readonly Vector256<int> InfPositive = Vector256.Create(p.InfPositive);
        public readonly Vector256<int> InfNegative = Vector256.Create(p.InfNegative);
        public readonly Vector256<int> NaNPositive = Vector256.Create(p.NaNPositive);
        public readonly Vector256<int> NaNNegative = Vector256.Create(p.NaNNegative);
        public readonly Vector256<int> NaNPayloadMask = Vector256.Create((1 << p.NaNPayloadBits) - 1);
        public readonly Vector256<int> UnsignedNegative = Vector256.Create(p.UnsignedNegative);
        public readonly int MantissaBits = p.MantissaBits;
        public readonly bool IeeeOverflow = p.Overflow == Rounding.OverflowMode.Ieee;
        public readonly bool IsInteger = p.IsInteger;
        public readonly bool IsUnsigned = p.IsUnsigned;
        public readonly bool HasFlushGap = p.GapShift != 0;
        public readonly bool HasCodeOffset = p.CodeOffset != 0;
        public readonly bool HasNaNPayload = p.NaNPayloadBits > 0;
        public readonly bool NormalizeSubnormalInputs = p.MinNormalExponent < -126 || (p.GapShift != 0 && p.MinNormalExponent == -126);
        public readonly bool FlushNegativeZero = !p.HasNegativeZero && !p.IsInteger && !p.IsUnsigned;
    }

    /// <summary>The binade ±0 is given when subnormal inputs are normalised: below every format's least value, 2^−1074.</summary>
    private const int ZeroExponent = -2048;

    public static bool IsSupported => Avx2.IsSupported && InstructionSets.Avx2Allowed;

    /// <summary>Encodes <paramref name="count"/> floats (a multiple of 32) into codes.</summary>
    public static void Run<TRound>(CastPlan plan, float* source, byte* destination, nint count) where TRound : IRoundDecision
    {
        var k = new Constants(plan);
        Vector256<int> interleave = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        for (nint i = 0; i < count; i += 32)
        {
            int* s = (int*)(source + i);
            Vector256<int> c0 = Encode8<TRound>(Avx.LoadVector256(s), k);
            Vector256<int> c1 = Encode8<TRound>(Avx.LoadVector256(s + 8), k);
            Vector256<int> c2 = Encode8<TRound>(Avx.LoadVector256(s + 16), k);
            Vector256<int> c3 = Encode8<TRound>(Avx.LoadVector256(s + 24), k);
            Vector256<byte> packed = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(c0, c1), Avx2.PackSignedSaturate(c2, c3));
            Avx.Store(destination + i, Avx2.PermuteVar8x32(packed.AsInt32(), interleave).AsByte());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Encode8<TRound>(Vector256<int> bits, in Constants k) where TRound : IRoundDecision
    {
        Vector256<int> one = Vector256<int>.One, zero = Vector256<int>.Zero;
        Vector256<int> negative = Vector256.ShiftRightArithmetic(bits, 31);
        Vector256<int> magnitudeBits = bits & Vector256.Create(0x7FFFFFFF);
        Vector256<int> field = Vector256.ShiftRightLogical(magnitudeBits, 23);
        Vector256<int> exponent = Vector256.Max(field, one) - Vector256.Create(127);
        Vector256<int> significand = (magnitudeBits & Vector256.Create(0x7FFFFF))
                                   | Vector256.AndNot(Vector256.Create(0x800000), Vector256.Equals(field, zero));

        if (k.NormalizeSubnormalInputs)
        {
            // A format whose normal range reaches below 2^−126 (E8M0, e4m3:bias=130), or starts there with a flush gap,
            // needs float32 subnormals' true binade. ±0 gets a binade below every format's least value (2^−1074), where
            // its code is 0 however far down the format reaches (the conversion's −127 − 149 is not low enough).
            Vector256<int> isSubnormal = Vector256.Equals(field, zero);
            Vector256<int> log2 = Vector256.ShiftRightLogical(Avx.ConvertToVector256Single(significand).AsInt32(), 23) - Vector256.Create(127);
            significand = Vector256.ConditionalSelect(isSubnormal,
                Avx2.ShiftLeftLogicalVariable(significand, (Vector256.Create(23) - log2).AsUInt32()), significand);
            exponent = Vector256.ConditionalSelect(isSubnormal, log2 - Vector256.Create(149), exponent);
            exponent = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, zero), Vector256.Create(ZeroExponent), exponent);
        }

        // Shift the significand down to the format's quantum; below the normal range the quantum stays fixed.
        Vector256<int> below = k.MinNormalExponent - exponent;
        Vector256<int> isBelow = k.HasFlushGap ? Vector256.GreaterThan(below, zero) : zero;
        Vector256<int> shift = k.HasFlushGap
            ? Vector256.ConditionalSelect(isBelow, Vector256.Min(k.BelowShift + below, Vector256.Create(25)), k.NormalShift)
            : Vector256.Min(k.NormalShift + Vector256.Max(below, zero), Vector256.Create(25)); // BelowShift = NormalShift here
        Vector256<int> truncated = Avx2.ShiftRightLogicalVariable(significand, shift.AsUInt32());
        Vector256<int> remainder = significand - Avx2.ShiftLeftLogicalVariable(truncated, shift.AsUInt32());
        Vector256<int> half = Avx2.ShiftLeftLogicalVariable(one, (shift - one).AsUInt32());

        // Magnitude code of the truncated value; one more quantum is one more code (2^M codes in a flush gap).
        Vector256<int> binadeBase = Vector256.ShiftLeft(Vector256.Max(exponent - k.MinNormalExponent, zero), k.MantissaBits);
        Vector256<int> gap = k.HasFlushGap ? isBelow & k.GapShift : zero;
        Vector256<int> code = (k.HasFlushGap ? Avx2.ShiftLeftLogicalVariable(truncated, gap.AsUInt32()) : truncated) + binadeBase;
        if (k.HasCodeOffset) code -= k.CodeOffset;
        Vector256<int> away = TRound.RoundAway(remainder, half, code & one, negative);
        code = k.HasFlushGap ? code + Avx2.ShiftLeftLogicalVariable(away & one, gap.AsUInt32()) : code - away;
        if (k.HasCodeOffset) code = Vector256.Max(code, zero);

        Vector256<int> maxMagnitude = k.IsInteger ? Vector256.ConditionalSelect(negative, k.MaxNegative, k.MaxPositive) : k.MaxPositive;
        if (k.IeeeOverflow)
        {
            Vector256<int> awayHere = Vector256.ConditionalSelect(negative, k.AwayIfNegative, k.AwayIfPositive);
            Vector256<int> overflowAway = Vector256.GreaterThan(code, maxMagnitude) & awayHere;
            code = SignAndClamp(code, maxMagnitude, negative, k);
            code = Vector256.ConditionalSelect(overflowAway, Vector256.ConditionalSelect(negative, k.AwayNegative, k.AwayPositive), code);
        }
        else code = SignAndClamp(code, maxMagnitude, negative, k);
        // ±Inf inputs take the reference's own codes in both overflow modes: the arithmetic above reads Inf as 2^128,
        // which is a finite value of a format whose range passes float32's (e4m3:bias=-113 has 0x78 = 2^128).
        code = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, Vector256.Create(0x7F800000)),
            Vector256.ConditionalSelect(negative, k.InfNegative, k.InfPositive), code);

        if (k.IsUnsigned)
            code = Vector256.ConditionalSelect(negative & ~Vector256.Equals(magnitudeBits, zero), k.UnsignedNegative, code);
        Vector256<int> nan = Vector256.ConditionalSelect(negative, k.NaNNegative, k.NaNPositive);
        if (k.HasNaNPayload) nan |= Vector256.ShiftRightLogical(magnitudeBits, 23 - k.MantissaBits) & k.NaNPayloadMask;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(magnitudeBits, Vector256.Create(0x7F800000)), nan, code);
    }

    /// <summary>Clamps the magnitude code to max finite and applies the sign (two's complement for integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SignAndClamp(Vector256<int> code, Vector256<int> maxMagnitude, Vector256<int> negative, in Constants k)
    {
        code = Vector256.Min(code, maxMagnitude);
        if (k.IsInteger) return Vector256.ConditionalSelect(negative, -code & k.CodeMask, code);
        if (k.FlushNegativeZero) return code | Vector256.AndNot(negative & k.SignBit, Vector256.Equals(code, Vector256<int>.Zero));
        return code | (negative & k.SignBit);
    }
}
