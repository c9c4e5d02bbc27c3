using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// The float32 → ≤ 8-bit code cast as integer arithmetic on the float's bits, one body generic over the lane width
/// (<see cref="ILanes{T}"/>): 8 32-bit lanes (AVX2) for every supported format, or, with AVX-512BW, 16 16-bit lanes
/// for the formats with mantissas of at most 5 bits that do not normalise float32 subnormals (FP4, FP6, FP8, int2–int6,
/// uint1–uint5, e5m3fnu and the fnuz formats), which halves the operations per element.
/// Reference: <see cref="Codec.Encoder.Encode(Formats.FormatInfo, float, in Rounding.RoundingContext)"/>;
/// parity is tested exhaustively on edge sets and on seeded random data under each instruction-set cap. A 512-bit copy
/// of the 32-bit body measured no faster on Zen 4, whose 512-bit operations take two 256-bit passes (docs/performance.md).
/// </summary>
internal static unsafe partial class EncodeKernel
{
    public static bool IsSupported => Avx2.IsSupported && InstructionSets.Avx2Allowed;

    /// <summary>
    /// The largest exponent offset <see cref="RunScaled"/> takes: far beyond any block scale (MX offsets lie in −127..133),
    /// and small enough that a moved binade times 2^M stays within 16-bit lanes.
    /// </summary>
    public const int MaxExponentOffset = 512;

    /// <summary>Whether 16-bit lanes are available (AVX-512BW with VL, allowed by <see cref="InstructionSets"/>).</summary>
    private static bool Is16BitSupported => Avx512BW.VL.IsSupported && InstructionSets.Avx512Allowed;

    /// <summary>
    /// Encodes <paramref name="count"/> floats (a multiple of 32) into codes in a deterministic rounding mode: picks the
    /// body specialised for the mode, the plan's shape (<see cref="IFormatShape"/>) and the lane width.
    /// </summary>
    public static void Run(CastPlan plan, Rounding.RoundingMode mode, float* source, byte* destination, nint count)
    {
        var none = default(NoSource);
        Dispatch(plan, mode, new Job(source, destination, count, null, 0, null), ref none);
    }

    /// <summary>
    /// Encodes <paramref name="count"/> values (a multiple of 32) that <paramref name="staged"/> produces 32 at a time into
    /// a small buffer just before they are encoded, so they never pass through memory (two-level block quantization stages
    /// its quotients so). The codes are those of <see cref="Run"/> on the staged values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunStaged<TSource>(CastPlan plan, Rounding.RoundingMode mode, ref TSource staged, byte* destination, nint count)
        where TSource : struct, IStagedSource
    {
        if (count % 32 != 0) throw new ArgumentException($"count {count} is not a multiple of 32");
        Dispatch(plan, mode, new Job(null, destination, count, null, 0, null), ref staged);
    }

    /// <summary>
    /// Encodes <paramref name="blocks"/> blocks of <paramref name="blockSize"/> floats (a multiple of 32), block b's values
    /// multiplied by 2^<paramref name="exponentOffsets"/>[b] first. The product is exact whatever its range: the offset
    /// moves the value's binade, an integer the body reads anyway, and the significand is untouched. Zeros stay zeros.
    /// Not supported here, so callers send blocks holding them elsewhere: float32 subnormals (their significand lacks the
    /// implicit bit the moved binade assumes; formats that normalise subnormal inputs take them correctly) and ±Inf (read
    /// as 2^128 and moved like any value, where a cast would give Inf's own code). Offsets must lie in
    /// ±<see cref="MaxExponentOffset"/>, which keeps 16-bit lane arithmetic in range. Where <paramref name="prefetch"/> is
    /// given, the same number of floats from there are fetched into the cache along the way (block quantization passes
    /// the next chunk, which its scan then reads from the cache instead of waiting on memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunScaled(CastPlan plan, Rounding.RoundingMode mode, float* source, byte* destination, int blocks, int blockSize,
        int* exponentOffsets, float* prefetch = null)
    {
        if (blockSize <= 0 || blockSize % 32 != 0) throw new ArgumentException($"block size {blockSize} is not a positive multiple of 32");
        int checkedBlocks = 0;
        Vector256<int> limit = Vector256.Create(MaxExponentOffset);
        // Eight offsets at a time, then one by one where any is out of range (to name it) and for the rest.
        for (; checkedBlocks + 8 <= blocks; checkedBlocks += 8)
            if (Vector256.GreaterThanAny((Vector256.Load(exponentOffsets + checkedBlocks) + limit).AsUInt32(), (limit + limit).AsUInt32())) break;
        for (int b = checkedBlocks; b < blocks; b++)
            if ((uint)(exponentOffsets[b] + MaxExponentOffset) > 2 * MaxExponentOffset) // also for int.MinValue, which has no Abs
            {
                throw new ArgumentOutOfRangeException(nameof(exponentOffsets),
                    $"block {b}: offset {exponentOffsets[b]} is beyond ±{MaxExponentOffset}");
            }
        var none = default(NoSource);
        Dispatch(plan, mode, new Job(source, destination, (nint)blocks * blockSize, exponentOffsets, blockSize, prefetch), ref none);
    }

    /// <summary>One call's arguments, handed down the dispatch unchanged.</summary>
    private readonly struct Job(float* source, byte* destination, nint count, int* offsets, int blockSize, float* prefetch)
    {
        public readonly float* Source = source, Prefetch = prefetch;
        public readonly byte* Destination = destination;
        public readonly nint Count = count;
        public readonly int* Offsets = offsets;
        public readonly int BlockSize = blockSize;
    }

    /// <summary>The source of <see cref="Run"/> and <see cref="RunScaled"/>: the values are read from memory.</summary>
    private struct NoSource : IStagedSource
    {
        public readonly void Stage32(nint index, float* buffer) { }
    }

    // The entry, dispatch and constants run once per call, and block quantization calls once per chunk:
    // compiled fully optimised at once, so they never run as tier-0 code, which measured as slow as the encode itself.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dispatch<TSource>(CastPlan plan, Rounding.RoundingMode mode, in Job job, ref TSource staged)
        where TSource : struct, IStagedSource
    {
        switch (mode)
        {
            case Rounding.RoundingMode.Rne: Run<RoundNearestEven, TSource>(plan, job, ref staged); break;
            case Rounding.RoundingMode.Rna: Run<RoundNearestAway, TSource>(plan, job, ref staged); break;
            case Rounding.RoundingMode.Rtz: Run<RoundTowardZero, TSource>(plan, job, ref staged); break;
            case Rounding.RoundingMode.Rup: Run<RoundUp, TSource>(plan, job, ref staged); break;
            case Rounding.RoundingMode.Rdn: Run<RoundDown, TSource>(plan, job, ref staged); break;
            default: throw new ArgumentException($"rounding {mode} has no vector path");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRound, TSource>(CastPlan plan, in Job job, ref TSource staged)
        where TRound : IRoundDecision where TSource : struct, IStagedSource
    {
        // 16-bit lanes need the quantum two bits above the sticky bit (M ≤ 5) and never normalise subnormal inputs. Only the
        // chosen width's constants are built: block quantization pays them per chunk.
        if (plan.MantissaBits <= 5 && !NormalizesSubnormalInputs(plan) && Is16BitSupported)
            Run<TRound, short, Int16Lanes, TSource>(new Constants<short, Int16Lanes>(plan), job, ref staged);
        else Run<TRound, int, Int32Lanes, TSource>(new Constants<int, Int32Lanes>(plan), job, ref staged);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRound, T, TLanes, TSource>(in Constants<T, TLanes> k, in Job job, ref TSource staged)
        where TRound : IRoundDecision where T : unmanaged where TLanes : ILanes<T> where TSource : struct, IStagedSource
    {
        if (!k.IsPlain)
        {
            if (k.IsPlainButForNegativeZero && !k.HasNaNPayload) Run<TRound, PlainFloatWithoutNegativeZero, T, TLanes, TSource>(k, job, ref staged);
            else Run<TRound, AnyFormat, T, TLanes, TSource>(k, job, ref staged);
        }
        else if (k.IsUnsigned) Run<TRound, PlainUnsigned, T, TLanes, TSource>(k, job, ref staged);
        else if (k.IsInteger) Run<TRound, PlainInteger, T, TLanes, TSource>(k, job, ref staged);
        else if (k.HasNaNPayload) Run<TRound, PayloadFloat, T, TLanes, TSource>(k, job, ref staged);
        else Run<TRound, PlainFloat, T, TLanes, TSource>(k, job, ref staged);
    }

    private static void Run<TRound, TShape, T, TLanes, TSource>(in Constants<T, TLanes> k, in Job job, ref TSource staged)
        where TRound : IRoundDecision where TShape : IFormatShape where T : unmanaged where TLanes : ILanes<T>
        where TSource : struct, IStagedSource
    {
        if (typeof(TSource) != typeof(NoSource)) RunStagedLoop<TRound, TShape, T, TLanes, TSource>(k, staged, job.Destination, job.Count);
        else if (job.Offsets == null) RunSpan<TRound, TShape, T, TLanes>(k, job.Source, job.Destination, job.Count);
        else RunBlocks<TRound, TShape, T, TLanes>(k, job.Source, job.Destination, job.Count, job.Offsets, job.BlockSize, job.Prefetch);
    }

    // The loops are compiled fully optimised at once: a long loop entered a few times would otherwise run as
    // on-stack-replacement code, which reloads the broadcast constants every iteration (measured 10-30 % slower here).
    // They are separate methods because each inlines up to four copies of the body: in one method the JIT's inlining
    // budget ran out and the second loop called the body as tier-0 code (mxint8 at half speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSpan<TRound, TShape, T, TLanes>(in Constants<T, TLanes> k, float* source, byte* destination, nint count)
        where TRound : IRoundDecision where TShape : IFormatShape where T : unmanaged where TLanes : ILanes<T>
    {
        var frame = new BinadeFrame<T, TLanes>(k, 0);
        for (nint i = 0; i < count; i += 32) Encode32<TRound, TShape, T, TLanes>(source + i, destination + i, frame, scaled: false, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlocks<TRound, TShape, T, TLanes>(in Constants<T, TLanes> k, float* source, byte* destination, nint count,
        int* offsets, int blockSize, float* prefetch) where TRound : IRoundDecision where TShape : IFormatShape where T : unmanaged
        where TLanes : ILanes<T>
    {
        for (nint b = 0, i = 0; i < count; b++)
        {
            var frame = new BinadeFrame<T, TLanes>(k, offsets[b]);
            for (nint end = i + blockSize; i < end; i += 32)
            {
                if (prefetch != null)
                {
                    Sse.Prefetch1(prefetch + i);
                    Sse.Prefetch1(prefetch + i + 16);
                }
                Encode32<TRound, TShape, T, TLanes>(source + i, destination + i, frame, scaled: true, k);
            }
        }
    }

    // The source is taken by value, so its fields stay in registers across the loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // the buffer is written by the source before each read
    private static void RunStagedLoop<TRound, TShape, T, TLanes, TSource>(in Constants<T, TLanes> k, TSource staged, byte* destination,
        nint count) where TRound : IRoundDecision where TShape : IFormatShape where T : unmanaged where TLanes : ILanes<T>
        where TSource : struct, IStagedSource
    {
        float* buffer = stackalloc float[32];
        var frame = new BinadeFrame<T, TLanes>(k, 0);
        for (nint i = 0; i < count; i += 32)
        {
            staged.Stage32(i, buffer);
            Encode32<TRound, TShape, T, TLanes>(buffer, destination + i, frame, scaled: false, k);
        }
    }

    /// <summary>
    /// 32 values to 32 codes: the lanes' registers of them (four of 8 lanes, or two of 16), each through the body, then
    /// packed to bytes in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode32<TRound, TShape, T, TLanes>(float* source, byte* destination, in BinadeFrame<T, TLanes> frame, bool scaled,
        in Constants<T, TLanes> k) where TRound : IRoundDecision where TShape : IFormatShape where T : unmanaged where TLanes : ILanes<T>
    {
        Vector256<T> c0 = Encode<T, TLanes, TRound, TShape>(TLanes.Load(source, 0), frame, scaled, k);
        Vector256<T> c1 = Encode<T, TLanes, TRound, TShape>(TLanes.Load(source, 1), frame, scaled, k);
        if (TLanes.RegistersPer32 == 2)
        {
            TLanes.Pack32(destination, c0, c1, c0, c1);
            return;
        }
        Vector256<T> c2 = Encode<T, TLanes, TRound, TShape>(TLanes.Load(source, 2), frame, scaled, k);
        Vector256<T> c3 = Encode<T, TLanes, TRound, TShape>(TLanes.Load(source, 3), frame, scaled, k);
        TLanes.Pack32(destination, c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Encode<T, TLanes, TRound, TShape>(Vector256<T> bits, in BinadeFrame<T, TLanes> frame, bool scaled,
        in Constants<T, TLanes> k) where T : unmanaged where TLanes : ILanes<T> where TRound : IRoundDecision where TShape : IFormatShape
    {
        // Each format feature below is tested as "general && k.Feature", or taken from the shape: constants outside
        // AnyFormat, so the JIT drops the branches and their code from the plain bodies.
        bool general = TShape.General;
        bool integer = general ? k.IsInteger : TShape.Integer, nanPayload = general ? k.HasNaNPayload : TShape.NaNPayload;
        bool unsigned = general ? k.IsUnsigned : TShape.Unsigned;
        bool flushNegativeZero = general ? k.FlushNegativeZero : TShape.FlushNegativeZero;
        Vector256<T> one = Vector256<T>.One, zero = Vector256<T>.Zero;
        Vector256<T> negative = TLanes.ShiftRightArithmetic(bits, TLanes.LaneBits - 1);
        Vector256<T> magnitudeBits = bits & k.MagnitudeMask;
        // The biased binade (float32 subnormals read as binade 1) and the significand: the fraction with its implicit
        // bit for normal inputs, the magnitude itself (below the implicit bit) for subnormal ones.
        Vector256<T> binade = Vector256.Max(TLanes.ShiftRightLogical(magnitudeBits, TLanes.FractionBits), one);
        Vector256<T> significand = Vector256.Min(magnitudeBits, (magnitudeBits & k.FractionMask) | k.ImplicitBit);

        if (general && k.NormalizeSubnormalInputs)
        {
            // A format whose normal range reaches below 2^−126 (E8M0, e4m3:bias=130), or starts there with a flush gap,
            // needs float32 subnormals' true binade. ±0 gets a binade below every format's least value (2^−1074), where
            // its code is 0 however far down the format reaches (the conversion's −127 − 149 is not low enough).
            Vector256<T> isSubnormal = Vector256.LessThan(magnitudeBits, k.ImplicitBit);
            Vector256<T> log2 = TLanes.Log2(significand);
            significand = Vector256.ConditionalSelect(isSubnormal, TLanes.ShiftLeftVariable(significand, TLanes.Create(23) - log2), significand);
            binade = Vector256.ConditionalSelect(isSubnormal, log2 - TLanes.Create(22), binade);
            binade = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, zero), TLanes.Create(ZeroField), binade);
        }
        if (scaled)
        {
            // x · 2^offset is x's significand in a binade moved by offset, which the frame applies to the format's binades
            // instead (once per block). Zero is pinned below every binade.
            binade = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, zero), TLanes.Create(ZeroField), binade);
        }

        // Shift the significand down to the format's quantum; below the normal range the quantum stays fixed, so the shift
        // grows by one per binade below it (capped where everything has shifted out).
        Vector256<T> isBelow = general && k.HasFlushGap ? Vector256.GreaterThan(frame.MinNormalField, binade) : zero;
        Vector256<T> shift = general && k.HasFlushGap
            ? Vector256.ConditionalSelect(isBelow, Vector256.Min(frame.BelowShiftAtField - binade, k.ShiftCap), k.NormalShift)
            : Vector256.Min(Vector256.Max(frame.NormalShiftAtField - binade, k.NormalShift), k.ShiftCap);
        Vector256<T> truncated = TLanes.ShiftRightLogicalVariable(significand, shift);
        // The bits shifted out, moved up to start just below the lane's top bit: half a quantum is then one constant
        // whatever the shift (top − shift is an XOR, as the shift is below the lane width). The lowest kept bit lands on
        // the top bit, which the mask clears.
        Vector256<T> remainder = TLanes.ShiftLeftVariable(significand, k.RemainderTop ^ shift) & k.MagnitudeMask;

        // Magnitude code of the truncated value; one more quantum is one more code (2^M codes in a flush gap).
        Vector256<T> binadeBase = TLanes.ShiftLeft(Vector256.Max(binade - frame.MinNormalField, zero), k.MantissaBits);
        Vector256<T> gap = general && k.HasFlushGap ? isBelow & k.GapShift : zero;
        Vector256<T> code = (general && k.HasFlushGap ? TLanes.ShiftLeftVariable(truncated, gap) : truncated) + binadeBase;
        if (general && k.HasCodeOffset) code -= k.CodeOffset;
        Vector256<T> away = TRound.RoundAway(remainder, k.Half, code & one, negative);
        code = general && k.HasFlushGap ? code + TLanes.ShiftLeftVariable(away & one, gap) : code - away;
        if (general && k.HasCodeOffset) code = Vector256.Max(code, zero);

        Vector256<T> maxMagnitude = integer ? Vector256.ConditionalSelect(negative, k.MaxNegative, k.MaxPositive) : k.MaxPositive;
        if (general && k.IeeeOverflow)
        {
            Vector256<T> awayHere = Vector256.ConditionalSelect(negative, k.AwayIfNegative, k.AwayIfPositive);
            Vector256<T> overflowAway = Vector256.GreaterThan(code, maxMagnitude) & awayHere;
            code = SignAndClamp(code, maxMagnitude, negative, integer, flushNegativeZero, k);
            code = Vector256.ConditionalSelect(overflowAway, Vector256.ConditionalSelect(negative, k.AwayNegative, k.AwayPositive), code);
        }
        else code = SignAndClamp(code, maxMagnitude, negative, integer, flushNegativeZero, k);
        // The arithmetic above reads ±Inf as 2^128 and saturates it; where the reference's Inf code is something else
        // (ieee overflow, or a format whose range passes float32's: e4m3:bias=-113 has 0x78 = 2^128), it is put here.
        if (general && k.InfNeedsOwnCode)
        {
            code = Vector256.ConditionalSelect(Vector256.Equals(magnitudeBits, k.InfBits),
                Vector256.ConditionalSelect(negative, k.InfNegative, k.InfPositive), code);
        }

        if (unsigned)
            code = Vector256.ConditionalSelect(negative & ~Vector256.Equals(magnitudeBits, zero), k.UnsignedNegative, code);
        Vector256<T> nan = Vector256.ConditionalSelect(negative, k.NaNNegative, k.NaNPositive);
        if (nanPayload) nan |= TLanes.ShiftRightLogical(magnitudeBits, k.NaNPayloadShift) & k.NaNPayloadMask;
        // 16-bit lanes see a NaN whose set fraction bits are all in the lower half through the sticky bit.
        return Vector256.ConditionalSelect(Vector256.GreaterThan(magnitudeBits, k.InfBits), nan, code);
    }

    /// <summary>Clamps the magnitude code to max finite and applies the sign (two's complement for integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> SignAndClamp<T, TLanes>(Vector256<T> code, Vector256<T> maxMagnitude, Vector256<T> negative,
        bool integer, bool flushNegativeZero, in Constants<T, TLanes> k) where T : unmanaged where TLanes : ILanes<T>
    {
        code = Vector256.Min(code, maxMagnitude);
        if (integer) return Vector256.ConditionalSelect(negative, -code & k.CodeMask, code);
        if (flushNegativeZero) return code | Vector256.AndNot(negative & k.SignBit, Vector256.Equals(code, Vector256<T>.Zero));
        return code | (negative & k.SignBit);
    }
}

/// <summary>
/// Values made just before they are encoded (<see cref="EncodeKernel.RunStaged"/>): a struct, so its staging is inlined
/// into the encode loop.
/// </summary>
internal unsafe interface IStagedSource
{
    /// <summary>Writes the 32 float32 values of elements [<paramref name="index"/>, index + 32) into <paramref name="buffer"/>.</summary>
    void Stage32(nint index, float* buffer);
}
