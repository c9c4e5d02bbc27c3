using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// AVX2 body of the float32 → ≤ 8-bit code cast: 8 lanes of integer arithmetic on the float's bits, 32 codes per
/// iteration. Reference: <see cref="Codec.Encoder.Encode(Formats.FormatInfo, float, in Rounding.RoundingContext)"/>;
/// parity is tested exhaustively on edge sets and on seeded random data. On a machine with AVX-512VL the JIT gives the
/// same body EVEX encodings (three-input logic, mask compares); a 512-bit copy measured no faster on Zen 4, whose
/// 512-bit operations take two 256-bit passes, so one body serves both (docs/performance.md).
/// </summary>
internal static unsafe class EncodeKernel
{
    /// <summary>The plan's scalars broadcast once per call, in the biased-exponent terms the body works in.</summary>
    private readonly struct Constants(CastPlan p)
    {
        /// <summary>Biased float32 exponent field of the format's lowest normal binade.</summary>
        public readonly Vector256<int> MinNormalField = Vector256.Create(p.MinNormalExponent + 127);
        /// <summary>NormalShift + MinNormalField: the shift is this minus the field below the normal range.</summary>
        public readonly Vector256<int> NormalShiftAtField = Vector256.Create(p.NormalShift + p.MinNormalExponent + 127);
        public readonly Vector256<int> BelowShiftAtField = Vector256.Create(p.BelowShift + p.MinNormalExponent + 127);
        public readonly Vector256<int> NormalShift = Vector256.Create(p.NormalShift);
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
        public readonly bool InfNeedsOwnCode = !p.InfIsSaturatedMax;

        /// <summary>
        /// Whether the plan has none of the features above but integers and NaN payloads, which have bodies of their own
        /// (<see cref="PlainFloat"/>, <see cref="PayloadFloat"/>, <see cref="PlainInteger"/>).
        /// </summary>
        public bool IsPlain => !(IeeeOverflow || IsUnsigned || HasFlushGap || HasCodeOffset || NormalizeSubnormalInputs
                                 || FlushNegativeZero || InfNeedsOwnCode || (IsInteger && HasNaNPayload));
    }

    /// <summary>
    /// The plan's binade-relative constants for values multiplied by 2^offset: moving the format's binades down by offset
    /// is the same as moving every value's binade up by it, and costs three subtractions per block instead of one add per lane.
    /// </summary>
    private readonly struct BinadeFrame(in Constants k, int offset)
    {
        public readonly Vector256<int> MinNormalField = k.MinNormalField - Vector256.Create(offset);
        public readonly Vector256<int> NormalShiftAtField = k.NormalShiftAtField - Vector256.Create(offset);
        public readonly Vector256<int> BelowShiftAtField = k.BelowShiftAtField - Vector256.Create(offset);
    }

    /// <summary>The biased binade ±0 is given when subnormal inputs are normalised: below every format's least value.</summary>
    private const int ZeroField = -2048 + 127;

    public static bool IsSupported => Avx2.IsSupported && InstructionSets.Avx2Allowed;

    /// <summary>
    /// Encodes <paramref name="count"/> floats (a multiple of 32) into codes in a deterministic rounding mode: picks the
    /// body specialised for the mode and for the plan's shape (<see cref="IFormatShape"/>).
    /// </summary>
    public static void Run(CastPlan plan, Rounding.RoundingMode mode, float* source, byte* destination, nint count) =>
        Dispatch(plan, mode, source, destination, count, null, 0);

    /// <summary>
    /// Encodes <paramref name="blocks"/> blocks of <paramref name="blockSize"/> floats (a multiple of 32), block b's values
    /// multiplied by 2^<paramref name="exponentOffsets"/>[b] first. The product is exact whatever its range: the offset
    /// moves the value's binade, an integer the body reads anyway, and the significand is untouched. Zeros stay zeros;
    /// float32 subnormal inputs are not supported here (their significand lacks the implicit bit the moved binade assumes,
    /// so callers send blocks holding them elsewhere; formats that normalise subnormal inputs take them correctly).
    /// </summary>
    public static void RunScaled(CastPlan plan, Rounding.RoundingMode mode, float* source, byte* destination, int blocks, int blockSize,
        int* exponentOffsets)
    {
        if (blockSize <= 0 || blockSize % 32 != 0) throw new ArgumentException($"block size {blockSize} is not a positive multiple of 32");
        Dispatch(plan, mode, source, destination, (nint)blocks * blockSize, exponentOffsets, blockSize);
    }

    private static void Dispatch(CastPlan plan, Rounding.RoundingMode mode, float* source, byte* destination, nint count,
        int* offsets, int blockSize)
    {
        switch (mode)
        {
            case Rounding.RoundingMode.Rne: Run<RoundNearestEven>(plan, source, destination, count, offsets, blockSize); break;
            case Rounding.RoundingMode.Rna: Run<RoundNearestAway>(plan, source, destination, count, offsets, blockSize); break;
            case Rounding.RoundingMode.Rtz: Run<RoundTowardZero>(plan, source, destination, count, offsets, blockSize); break;
            case Rounding.RoundingMode.Rup: Run<RoundUp>(plan, source, destination, count, offsets, blockSize); break;
            case Rounding.RoundingMode.Rdn: Run<RoundDown>(plan, source, destination, count, offsets, blockSize); break;
            default: throw new ArgumentException($"rounding {mode} has no vector path");
        }
    }

    private static void Run<TRound>(CastPlan plan, float* source, byte* destination, nint count, int* offsets, int blockSize)
        where TRound : IRoundDecision
    {
        var k = new Constants(plan);
        if (!k.IsPlain) Run<TRound, AnyFormat>(k, source, destination, count, offsets, blockSize);
        else if (k.IsInteger) Run<TRound, PlainInteger>(k, source, destination, count, offsets, blockSize);
        else if (k.HasNaNPayload) Run<TRound, PayloadFloat>(k, source, destination, count, offsets, blockSize);
        else Run<TRound, PlainFloat>(k, source, destination, count, offsets, blockSize);
    }

    // Compiled fully optimised at once: a long loop entered a few times would otherwise run as on-stack-replacement code,
    // which reloads the broadcast constants every iteration (measured 10-30 % slower here).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRound, TShape>(in Constants k, float* source, byte* destination, nint count, int* offsets, int blockSize)
        where TRound : IRoundDecision where TShape : IFormatShape
    {
        if (offsets == null)
        {
            var frame = new BinadeFrame(k, 0);
            for (nint i = 0; i < count; i += 32) Encode32<TRound, TShape>(source + i, destination + i, frame, scaled: false, k);
            return;
        }
        for (nint b = 0, i = 0; i < count; b++)
        {
            var frame = new BinadeFrame(k, offsets[b]);
            for (nint end = i + blockSize; i < end; i += 32) Encode32<TRound, TShape>(source + i, destination + i, frame, scaled: true, k);
        }
    }

    /// <summary>32 values to 32 codes: four 8-lane bodies, packed to bytes in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode32<TRound, TShape>(float* source, byte* destination, in BinadeFrame frame, bool scaled, in Constants k)
        where TRound : IRoundDecision where TShape : IFormatShape
    {
        int* s = (int*)source;
        Vector256<int> c0 = Encode8<TRound, TShape>(Avx.LoadVector256(s), frame, scaled, k);
        Vector256<int> c1 = Encode8<TRound, TShape>(Avx.LoadVector256(s + 8), frame, scaled, k);
        Vector256<int> c2 = Encode8<TRound, TShape>(Avx.LoadVector256(s + 16), frame, scaled, k);
        Vector256<int> c3 = Encode8<TRound, TShape>(Avx.LoadVector256(s + 24), frame, scaled, k);
        Vector256<byte> packed = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(c0, c1), Avx2.PackSignedSaturate(c2, c3));
        Avx.Store(destination, Avx2.PermuteVar8x32(packed.AsInt32(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Encode8<TRound, TShape>(Vector256<int> bits, in BinadeFrame frame, bool scaled, in Constants k)
        where TRound : IRoundDecision where TShape : IFormatShape
    {
        // Each format feature below is tested as "general && k.Feature", or taken from the shape: constants outside
        // AnyFormat, so the JIT drops the branches and their code from the plain bodies.
        bool general = TShape.General;
        bool integer = general ? k.IsInteger : TShape.Integer, nanPayload = general ? k.HasNaNPayload : TShape.NaNPayload;
        Vector256<int> one = Vector256<int>.One, zero = Vector256<int>.Zero;
        Vector256<int> negative = Vector256.ShiftRightArithmetic(bits, 31);
        Vector256<int> magnitudeBits = bits & Vector256.Create(0x7FFFFFFF);
        // The biased binade (float32 subnormals read as binade 1) and the significand: the fraction with its implicit
        // bit for normal inputs, the magnitude itself (below 2^23) for subnormal ones.
        Vector256<int> binade = Vector256.Max(Vector256.ShiftRightLogical(magnitudeBits, 23), one);
        Vector256<int> significand = Vector256.Min(magnitudeBits, (magnitudeBits & Vector256.Create(0x7FFFFF)) | Vector256.Create(0x800000));

        if (general && k.NormalizeSubnormalInputs)
        {
            // A format whose normal range reaches below 2^−126 (E8M0, e4m3:bias=130), or starts there with a flush gap,
            // needs float32 subnormals' true binade. ±0 gets a binade below every format's least value (2^−1074), where
            // its code is 0 however far down the format reaches (the conversion's −127 − 149 is not low enough).
            Vector256<int> isSubnormal = Vector256.LessThan(magnitudeBits, Vector256.Create(0x800000));
            Vector256<int> log2 = Vector256.ShiftRightLogical(Avx.ConvertToVector256Single(significand).AsInt32(), 23) - Vector256.Create(127);
            significand = Vector256.ConditionalSelect(isSubnormal,
                Avx2.ShiftLeftLogicalVariable(significand, (Vector256.Create(23) - log2).AsUInt32()), significand);
            binade = Vector256.ConditionalSelect(isSubnormal, log2 - Vector256.Create(22), binade);
            binade = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, zero), Vector256.Create(ZeroField), binade);
        }
        if (scaled)
        {
            // x · 2^offset is x's significand in a binade moved by offset, which the frame applies to the format's binades
            // instead (once per block). Zero is pinned below every binade.
            binade = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, zero), Vector256.Create(ZeroField), binade);
        }

        // Shift the significand down to the format's quantum; below the normal range the quantum stays fixed, so the shift
        // grows by one per binade below it (capped at 25: everything shifts out).
        Vector256<int> isBelow = general && k.HasFlushGap ? Vector256.GreaterThan(frame.MinNormalField, binade) : zero;
        Vector256<int> shift = general && k.HasFlushGap
            ? Vector256.ConditionalSelect(isBelow, Vector256.Min(frame.BelowShiftAtField - binade, Vector256.Create(25)), k.NormalShift)
            : Vector256.Min(Vector256.Max(frame.NormalShiftAtField - binade, k.NormalShift), Vector256.Create(25));
        Vector256<int> truncated = Avx2.ShiftRightLogicalVariable(significand, shift.AsUInt32());
        // The bits shifted out, moved up to start at bit 30: half a quantum is then 2^30 whatever the shift (31 − shift is
        // an XOR, as the shift is at most 31). The lowest kept bit lands on bit 31, which the mask clears.
        Vector256<int> remainder = Avx2.ShiftLeftLogicalVariable(significand, (Vector256.Create(31) ^ shift).AsUInt32())
                                 & Vector256.Create(0x7FFFFFFF);

        // Magnitude code of the truncated value; one more quantum is one more code (2^M codes in a flush gap).
        Vector256<int> binadeBase = Vector256.ShiftLeft(Vector256.Max(binade - frame.MinNormalField, zero), k.MantissaBits);
        Vector256<int> gap = general && k.HasFlushGap ? isBelow & k.GapShift : zero;
        Vector256<int> code = (general && k.HasFlushGap ? Avx2.ShiftLeftLogicalVariable(truncated, gap.AsUInt32()) : truncated) + binadeBase;
        if (general && k.HasCodeOffset) code -= k.CodeOffset;
        Vector256<int> away = TRound.RoundAway(remainder, Vector256.Create(1 << 30), code & one, negative);
        code = general && k.HasFlushGap ? code + Avx2.ShiftLeftLogicalVariable(away & one, gap.AsUInt32()) : code - away;
        if (general && k.HasCodeOffset) code = Vector256.Max(code, zero);

        Vector256<int> maxMagnitude = integer ? Vector256.ConditionalSelect(negative, k.MaxNegative, k.MaxPositive) : k.MaxPositive;
        if (general && k.IeeeOverflow)
        {
            Vector256<int> awayHere = Vector256.ConditionalSelect(negative, k.AwayIfNegative, k.AwayIfPositive);
            Vector256<int> overflowAway = Vector256.GreaterThan(code, maxMagnitude) & awayHere;
            code = SignAndClamp(code, maxMagnitude, negative, integer, general && k.FlushNegativeZero, k);
            code = Vector256.ConditionalSelect(overflowAway, Vector256.ConditionalSelect(negative, k.AwayNegative, k.AwayPositive), code);
        }
        else code = SignAndClamp(code, maxMagnitude, negative, integer, general && k.FlushNegativeZero, k);
        // The arithmetic above reads ±Inf as 2^128 and saturates it; where the reference's Inf code is something else
        // (ieee overflow, or a format whose range passes float32's: e4m3:bias=-113 has 0x78 = 2^128), it is put here.
        if (general && k.InfNeedsOwnCode)
        {
            code = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, Vector256.Create(0x7F800000)),
                Vector256.ConditionalSelect(negative, k.InfNegative, k.InfPositive), code);
        }

        if (general && k.IsUnsigned)
            code = Vector256.ConditionalSelect(negative & ~Vector256.Equals(magnitudeBits, zero), k.UnsignedNegative, code);
        Vector256<int> nan = Vector256.ConditionalSelect(negative, k.NaNNegative, k.NaNPositive);
        if (nanPayload) nan |= Vector256.ShiftRightLogical(magnitudeBits, 23 - k.MantissaBits) & k.NaNPayloadMask;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(magnitudeBits, Vector256.Create(0x7F800000)), nan, code);
    }

    /// <summary>Clamps the magnitude code to max finite and applies the sign (two's complement for integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SignAndClamp(Vector256<int> code, Vector256<int> maxMagnitude, Vector256<int> negative,
        bool integer, bool flushNegativeZero, in Constants k)
    {
        code = Vector256.Min(code, maxMagnitude);
        if (integer) return Vector256.ConditionalSelect(negative, -code & k.CodeMask, code);
        if (flushNegativeZero) return code | Vector256.AndNot(negative & k.SignBit, Vector256.Equals(code, Vector256<int>.Zero));
        return code | (negative & k.SignBit);
    }
}

/// <summary>
/// Which format features the encode body may meet, as a type so that the JIT specialises the body: the plain shapes fix
/// every feature (all absent but the one they name), <see cref="AnyFormat"/> tests each at run time.
/// </summary>
internal interface IFormatShape
{
    /// <summary>Whether every feature is read from the plan at run time (then the two below are not used).</summary>
    static abstract bool General { get; }
    static abstract bool Integer { get; }
    static abstract bool NaNPayload { get; }
}

/// <summary>Signed float formats with subnormals and −0, saturating, whose NaN has no payload: e2m1, e4m3, e3m2, …</summary>
internal readonly struct PlainFloat : IFormatShape
{
    public static bool General => false;
    public static bool Integer => false;
    public static bool NaNPayload => false;
}

/// <summary>As <see cref="PlainFloat"/>, with IEEE-style NaNs that keep the payload's top bits: e5m2, e4m3ieee.</summary>
internal readonly struct PayloadFloat : IFormatShape
{
    public static bool General => false;
    public static bool Integer => false;
    public static bool NaNPayload => true;
}

/// <summary>Signed two's-complement integers, saturating: int2 … int8.</summary>
internal readonly struct PlainInteger : IFormatShape
{
    public static bool General => false;
    public static bool Integer => true;
    public static bool NaNPayload => false;
}

/// <summary>Any supported format: unsigned, flush gaps, E8M0's offset, ieee overflow, no −0, own Inf codes.</summary>
internal readonly struct AnyFormat : IFormatShape
{
    public static bool General => true;
    public static bool Integer => false;
    public static bool NaNPayload => false;
}
