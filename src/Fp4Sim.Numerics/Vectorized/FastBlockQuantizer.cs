using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// MX block quantization at vector speed, code for code <see cref="BlockQuantizer.QuantizeBlocks"/>: each block's
/// amax and smallest nonzero magnitude in one vector pass; its shared exponent e by
/// <see cref="BlockQuantizer.SharedExponent"/>; its elements encoded by the vector cast with 2^−(e + offset) folded into
/// the encode's binade (<see cref="EncodeKernel.RunScaled"/>, exact at any range, proven against
/// <see cref="Codec.Encoder"/>). A block holding Inf, NaN or a float32 subnormal goes to the scalar reference; real
/// tensors have none. Two-level formats (NVFP4) stage quotients that round as the exact ones do
/// (<see cref="TwoLevelQuotients"/>) right before the encode reads them; stochastic rounding and peer conventions go to the
/// reference as a whole.
/// </summary>
public static unsafe partial class FastBlockQuantizer
{
    /// <summary>A block format's numbers the per-block work reads, derived once per call (the record's properties compute).</summary>
    private readonly struct BlockPlan(BlockFormat format, BlockQuantizeOptions options, float tensorScale)
    {
        public readonly BlockFormat Format = format;
        public readonly BlockQuantizeOptions Options = options;
        public readonly int Size = format.BlockSize;
        public readonly bool TwoLevel = format.HasTensorScale;
        public readonly double TensorScale = tensorScale;
        public readonly double ScaleDenominator = format.ElementMax * tensorScale; // exact: a 2-bit integer times a float32
        public readonly float[] ScaleValues = format.HasTensorScale ? DecodeKernel.Table(format.Scale) : []; // exact in float32
        public readonly RoundingContext ScaleContext = new(options.ScaleRounding, OverflowMode.Saturate);
        public readonly CastPlan? ScalePlan = format.HasTensorScale
            ? CastPlan.Create(format.Scale, new RoundingContext(options.ScaleRounding, OverflowMode.Saturate)) : null;
        public readonly int ElementMaxExponent = format.ElementMaxExponent;
        public readonly uint ElementMaxSignificand = BitConverter.SingleToUInt32Bits((float)format.ElementMax) & 0x7FFFFF;
        public readonly bool Rceil = options.ScaleRule == ScaleRule.Rceil;
        public readonly int ElementExponentOffset = format.ElementExponentOffset;
        public readonly int ScaleBias = format.Scale.Bias;
    }

    /// <summary>
    /// Elements per chunk (512 MX blocks of 32, 1024 NVFP4 blocks of 16): a chunk's inputs (64 KiB), scanned for the block
    /// scales, are still in L2 when they are encoded (MX) or staged as quotients and encoded (NVFP4). Chunks of 4096 measured
    /// 15-20 % slower here: the encode's per-call set-up (its broadcast constants) is paid per chunk.
    /// </summary>
    private const int ChunkElements = 16384;

    /// <summary>Whether <see cref="QuantizeBlocks"/> takes the vector path for this format and these options.</summary>
    public static bool Supports(BlockFormat format, BlockQuantizeOptions options) =>
        EncodeKernel.IsSupported && Vector256.IsHardwareAccelerated && options.ElementRounding != RoundingMode.Sr
        && options.Convention == CastConvention.Fp4Sim && CastPlan.Supports(format.Element, ElementContext(options))
        && (format.HasTensorScale
            ? format.BlockSize >= 16 && System.Numerics.BitOperations.IsPow2(format.BlockSize) && format.Element.MantissaBits <= 2
              && format.Scale.TotalBits <= 8 && !format.Scale.IsInteger && format.Scale.MantissaBits <= 3 // divisors of ≤ 4 + 24 bits
              && options.ScaleRounding != RoundingMode.Sr
              && CastPlan.Supports(format.Scale, new RoundingContext(options.ScaleRounding, OverflowMode.Saturate))
              && TwoLevelQuotients.IsSupported && TwoLevelQuotients.RoundsTinyAlike(format.Element)
              && TwoLevelQuotients.RoundsTinyAlike(format.Scale)
            : format.BlockSize % 32 == 0);

    /// <summary>
    /// As <see cref="BlockQuantizer.Quantize"/>, through <see cref="QuantizeBlocks"/> on <paramref name="threads"/> cores (≤ 0: all).
    /// </summary>
    public static QuantizedBlocks Quantize(BlockFormat format, ReadOnlySpan<float> values, BlockQuantizeOptions options, int threads = 1)
    {
        if (values.Length % format.BlockSize != 0 || !Supports(format, options)) return BlockQuantizer.Quantize(format, values, options);
        var scales = new uint[values.Length / format.BlockSize];
        var elements = new byte[values.Length];
        float tensorScale = format.HasTensorScale ? BlockQuantizer.TensorScaleForAmax(format, FiniteAmax(values, threads)) : 1f;
        QuantizeBlocks(format, values, tensorScale, options, 0, scales, elements, threads);
        return new QuantizedBlocks(format, scales, elements, tensorScale);
    }

    /// <summary>
    /// A drop-in for <see cref="BlockQuantizer.QuantizeBlocks"/> (same arguments, same codes): the vector path where
    /// <see cref="Supports"/> says so, on <paramref name="threads"/> cores for long tensors (≤ 0: all), else the reference.
    /// </summary>
    public static void QuantizeBlocks(BlockFormat format, ReadOnlySpan<float> values, float tensorScale, BlockQuantizeOptions options,
        ulong firstElement, Span<uint> scales, Span<byte> elements, int threads = 1)
    {
        // A tensor scale that is not a positive finite number is the reference's to reject.
        if (!Supports(format, options) || values.Length % format.BlockSize != 0
            || (format.HasTensorScale && !(float.IsFinite(tensorScale) && tensorScale > 0)))
        {
            BlockQuantizer.QuantizeBlocks(format, values, tensorScale, options, firstElement, scales, elements);
            return;
        }
        int blocks = values.Length / format.BlockSize;
        if (scales.Length < blocks || elements.Length < values.Length)
            throw new ArgumentException($"room for {scales.Length} scales and {elements.Length} elements; {blocks} blocks need more");
        CastPlan plan = CastPlan.Create(format.Element, ElementContext(options));
        var blockPlan = new BlockPlan(format, options, tensorScale);
        fixed (float* v = values)
        fixed (uint* s = scales)
        fixed (byte* e = elements)
        {
            float* vp = v; uint* sp = s; byte* ep = e;
            int workers = Math.Max(1, Math.Min(threads <= 0 ? Environment.ProcessorCount : threads, values.Length / FastCast.ParallelThreshold));
            int share = (blocks + workers - 1) / workers;
            void Part(int w)
            {
                int b0 = Math.Min(w * share, blocks), b1 = Math.Min((w + 1) * share, blocks);
                if (blockPlan.TwoLevel) RangeTwoLevel(blockPlan, plan, vp, sp, ep, b0, b1, firstElement);
                else RangeScaled(blockPlan, plan, vp, sp, ep, b0, b1, firstElement);
            }
            if (workers == 1) Part(0);
            else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, Part);
        }
    }

    /// <summary>
    /// <see cref="BlockQuantizer.FiniteAmax"/> at vector speed: the largest magnitude's bits over finite lanes (float32 bits
    /// of nonnegative values order as the values), on <paramref name="threads"/> cores for long tensors (≤ 0: all).
    /// </summary>
    public static double FiniteAmax(ReadOnlySpan<float> values, int threads = 1)
    {
        if (!Vector256.IsHardwareAccelerated || !InstructionSets.Avx2Allowed) return BlockQuantizer.FiniteAmax(values);
        int workers = Math.Max(1, Math.Min(threads <= 0 ? Environment.ProcessorCount : threads, values.Length / FastCast.ParallelThreshold));
        var partial = new uint[workers];
        int share = ((values.Length + workers - 1) / workers + 7) & ~7; // rounded up, so the shares cover every value
        fixed (float* v = values)
        {
            uint* p = (uint*)v;
            int length = values.Length;
            void Part(int w)
            {
                int start = Math.Min(w * share, length), end = Math.Min(start + share, length), i = start;
                Vector256<uint> magnitudeMask = Vector256.Create(0x7FFFFFFFu), maxFinite = Vector256.Create(0x7F7FFFFFu);
                Vector256<uint> amax = Vector256<uint>.Zero;
                for (; i + 8 <= end; i += 8)
                {
                    Vector256<uint> magnitude = Vector256.Load(p + i) & magnitudeMask;
                    amax = Vector256.Max(amax, magnitude & ~Vector256.GreaterThan(magnitude, maxFinite));
                }
                uint best = Max(amax);
                for (; i < end; i++) if ((p[i] & 0x7FFFFFFF) <= 0x7F7FFFFF) best = Math.Max(best, p[i] & 0x7FFFFFFF);
                partial[w] = best;
            }
            if (workers == 1) Part(0);
            else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, Part);
        }
        return BitConverter.UInt32BitsToSingle(partial.Max());
    }

    /// <summary>Whether an MX block takes the vector path (the rest go to the reference): for tests, which must reach both.</summary>
    internal static bool IsOrdinary(BlockFormat format, ReadOnlySpan<float> block)
    {
        fixed (float* b = block) return IsOrdinary(Scan((uint*)b, format.BlockSize));
    }

    /// <summary>An MX block is ordinary when every value is finite and none is a float32 subnormal.</summary>
    private static bool IsOrdinary((uint AmaxBits, uint SmallestNonzeroMinusOne) scan) =>
        Ordinary(Vector256.Create(scan.AmaxBits), Vector256.Create(scan.SmallestNonzeroMinusOne)).ToScalar() != 0;

    /// <summary>
    /// The ordinary test per lane, for lanes holding blocks' <see cref="Scan"/> results: all ones where
    /// the amax is finite (at most 0x7F7FFFFF) and the smallest nonzero magnitude is normal (minus one, at least 0x7FFFFF).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Ordinary(Vector256<uint> amax, Vector256<uint> smallestMinusOne) =>
        (Vector256.LessThanOrEqual(amax, Vector256.Create(0x7F7FFFFFu))
         & Vector256.GreaterThanOrEqual(smallestMinusOne, Vector256.Create(0x7FFFFFu))).AsInt32();

    private static RoundingContext ElementContext(BlockQuantizeOptions options) => new(options.ElementRounding, OverflowMode.Saturate);

    /// <summary>
    /// MX blocks [b0, b1), a chunk at a time: each block's scale from one scan, then the chunk's elements encoded straight
    /// from the input with each block's 2^−(e + offset) folded into the encode (<see cref="EncodeKernel.RunScaled"/>,
    /// exact at any range), then the blocks that are not ordinary re-quantized by the reference over the codes written.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    [System.Runtime.CompilerServices.SkipLocalsInit] // every stackalloc here is written before it is read
    private static void RangeScaled(in BlockPlan p, CastPlan plan, float* values, uint* scales, byte* elements, int b0, int b1, ulong firstElement)
    {
        int size = p.Size, perChunk = Math.Max(1, ChunkElements / size);
        int* offsets = stackalloc int[perChunk];
        int* others = stackalloc int[perChunk];
        Vector256<uint>* partials = stackalloc Vector256<uint>[16];
        for (int chunk = b0; chunk < b1; chunk += perChunk)
        {
            int end = Math.Min(b1, chunk + perChunk), otherCount = 0, b = chunk;
            // Eight blocks at a time: their scans reduced side by side, their scales and offsets computed in one register.
            for (; b + 8 <= end; b += 8)
            {
                (Vector256<uint> amax, Vector256<uint> smallest) = ScanEight((uint*)values + (long)b * size, size, partials);
                Vector256<int> e = SharedExponents(p, amax);
                (e + Vector256.Create(p.ScaleBias)).AsUInt32().Store(scales + b);
                Vector256<int> ordinary = Ordinary(amax, smallest);
                (ordinary & -(e + Vector256.Create(p.ElementExponentOffset))).Store(offsets + (b - chunk));
                for (uint rest = (~ordinary).ExtractMostSignificantBits() & 0xFF; rest != 0; rest &= rest - 1)
                    others[otherCount++] = b + System.Numerics.BitOperations.TrailingZeroCount(rest);
            }
            for (; b < end; b++)
            {
                (uint amaxBits, uint smallestBits) = Scan((uint*)values + (long)b * size, size);
                Vector256<int> e = SharedExponents(p, Vector256.Create(amaxBits));
                scales[b] = (uint)(e.ToScalar() + p.ScaleBias);
                bool ordinary = Ordinary(Vector256.Create(amaxBits), Vector256.Create(smallestBits)).ToScalar() != 0;
                offsets[b - chunk] = ordinary ? -(e.ToScalar() + p.ElementExponentOffset) : 0;
                if (!ordinary) others[otherCount++] = b;
            }
            // While this chunk is encoded (its inputs in the cache), the next chunk is fetched for its scan.
            float* next = end < b1 ? values + (long)end * size : null;
            EncodeKernel.RunScaled(plan, p.Options.ElementRounding, values + (long)chunk * size, elements + (long)chunk * size, end - chunk, size,
                offsets, next);
            for (int o = 0; o < otherCount; o++) Reference(p, values, scales, elements, others[o], firstElement);
        }
    }

    /// <summary>One block by <see cref="BlockQuantizer.QuantizeBlocks"/>, over whatever the vector path wrote there.</summary>
    private static void Reference(in BlockPlan p, float* values, uint* scales, byte* elements, int b, ulong firstElement)
    {
        int size = p.Size;
        BlockQuantizer.QuantizeBlocks(p.Format, new ReadOnlySpan<float>(values + (long)b * size, size), (float)p.TensorScale, p.Options,
            firstElement + (ulong)b * (ulong)size, new Span<uint>(scales + b, 1), new Span<byte>(elements + (long)b * size, size));
    }

    /// <summary>
    /// Two-level (NVFP4) blocks [b0, b1), a chunk at a time: block scale codes, then the elements staged as quotients 32 at
    /// a time right before they are encoded (<see cref="TwoLevelQuotients.Source"/>, <see cref="EncodeKernel.RunStaged"/>),
    /// then the blocks with Inf or NaN, a zero divisor, or after the last whole group of 32 elements re-quantized by the
    /// reference over the codes written.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    [System.Runtime.CompilerServices.SkipLocalsInit] // every stackalloc here is written before it is read
    private static void RangeTwoLevel(in BlockPlan p, CastPlan plan, float* values, uint* scales, byte* elements, int b0, int b1,
        ulong firstElement)
    {
        int size = p.Size, perChunk = Math.Max(1, ChunkElements / size), blockShift = System.Numerics.BitOperations.Log2((uint)size);
        uint* blockScales = stackalloc uint[perChunk];
        int* others = stackalloc int[perChunk];
        double* divisorValues = stackalloc double[perChunk], reciprocals = stackalloc double[perChunk];
        float* nearReciprocals = stackalloc float[perChunk];
        var divisors = new TwoLevelQuotients.DivisorTable(divisorValues, reciprocals, nearReciprocals);
        fixed (float* scaleValues = p.ScaleValues)
        {
            for (int chunk = b0; chunk < b1; chunk += perChunk)
            {
                int end = Math.Min(b1, chunk + perChunk), count = end - chunk;
                int stagedBlocks = (count * size & ~31) / size; // whole groups of 32 elements; the rest go to the reference
                ScaleCodes(p, (uint*)values + (long)chunk * size, count, blockScales);
                int otherCount = TwoLevelQuotients.Divisors(blockScales, scaleValues, p.TensorScale, NonFinite, stagedBlocks, divisors, chunk,
                    others);
                for (int b = stagedBlocks; b < count; b++) others[otherCount++] = chunk + b;
                new ReadOnlySpan<uint>(blockScales, count).CopyTo(new Span<uint>(scales + chunk, count)); // the others' are rewritten
                float* next = end < b1 ? values + (long)end * size : null;
                var source = new TwoLevelQuotients.Source(values + (long)chunk * size, divisors, blockShift, next);
                EncodeKernel.RunStaged(plan, p.Options.ElementRounding, ref source, elements + (long)chunk * size, (nint)stagedBlocks * size);
                for (int o = 0; o < otherCount; o++) Reference(p, values, scales, elements, others[o], firstElement);
            }
        }
    }

    /// <summary>
    /// <see cref="BlockQuantizer.SharedExponent"/> for normal (or zero) float32 amaxes, from their bits, one per lane: OCP
    /// takes the binade minus emax_elem; RCEIL the binade difference to ElementMax (a float32 value for every MX element
    /// format), plus one where amax's significand exceeds the max's (the least e with max · 2^e ≥ amax); a zero amax
    /// gives −127. Parity-tested against the reference.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SharedExponents(in BlockPlan p, Vector256<uint> amaxBits)
    {
        Vector256<int> e = (amaxBits >> 23).AsInt32() - Vector256.Create(127 + p.ElementMaxExponent);
        if (p.Rceil) e -= Vector256.GreaterThan((amaxBits & Vector256.Create(0x7FFFFFu)).AsInt32(), Vector256.Create((int)p.ElementMaxSignificand));
        e = Vector256.ConditionalSelect(Vector256.Equals(amaxBits, Vector256<uint>.Zero).AsInt32(), Vector256.Create(-127), e);
        return Vector256.Min(Vector256.Max(e, Vector256.Create(-127)), Vector256.Create(127));
    }

    /// <summary>
    /// A two-level (NVFP4) block's scale code for each of <paramref name="count"/> blocks, or <see cref="NonFinite"/> for a
    /// block holding Inf or NaN: the round-to-odd float32 of the binary64 quotient amax / (ElementMax · tensor scale),
    /// encoded by the vector kernel in the scale rounding (exact for the reasons given at <see cref="TwoLevelQuotients"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    [System.Runtime.CompilerServices.SkipLocalsInit] // every stackalloc here is written before it is read
    private static void ScaleCodes(in BlockPlan p, uint* blocks, int count, uint* codes)
    {
        float* quotients = stackalloc float[count];
        int b = 0;
        if (p.Size == 16)
        {
            // Eight blocks at a time: their maxima land in one register's lanes, and the quotients are taken side by side
            // (the same binary64 division and round-to-odd as one at a time below).
            Vector256<double> denominator = Vector256.Create(p.ScaleDenominator);
            Vector256<uint>* partials = stackalloc Vector256<uint>[8];
            for (; b + 8 <= count; b += 8)
            {
                Vector256<uint> amax = Maxima8x16(blocks + (long)b * 16, partials);
                Vector256<uint> nonFinite = Vector256.GreaterThan(amax, Vector256.Create(0x7F7FFFFFu));
                Vector256.ConditionalSelect(nonFinite, Vector256.Create(NonFinite), Vector256<uint>.Zero).Store(codes + b);
                Vector256<float> a = amax.AsSingle();
                Vector256.Narrow(TwoLevelQuotients.RoundToOddSingle(Vector256.WidenLower(a) / denominator),
                        TwoLevelQuotients.RoundToOddSingle(Vector256.WidenUpper(a) / denominator))
                    .Store(quotients + b);
            }
        }
        for (; b < count; b++)
        {
            (uint amaxBits, _) = Scan(blocks + (long)b * p.Size, p.Size);
            codes[b] = amaxBits > 0x7F7FFFFF ? NonFinite : 0;
            quotients[b] = TwoLevelQuotients.RoundToOddSingle(BitConverter.UInt32BitsToSingle(amaxBits) / p.ScaleDenominator);
        }
        byte* scaleCodes = stackalloc byte[count];
        EncodeStaged(p.Format.Scale, p.ScaleContext, p.ScalePlan!, (uint*)quotients, scaleCodes, count);
        for (b = 0; b < count; b++) if (codes[b] != NonFinite) codes[b] = scaleCodes[b];
    }

    /// <summary>Marks a two-level block holding Inf or NaN among the precomputed scale codes.</summary>
    private const uint NonFinite = uint.MaxValue;

    /// <summary>Encodes staged float32 values: the vector kernel on whole groups of 32, <see cref="Codec.Encoder"/> on the tail.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void EncodeStaged(FormatInfo format, RoundingContext ctx, CastPlan plan, uint* staged, byte* codes, int count)
    {
        int vectorPart = count & ~31;
        for (int i = vectorPart; i < count; i++) codes[i] = (byte)Codec.Encoder.Encode(format, ((float*)staged)[i], ctx);
        if (vectorPart == 0) return;
        float* source = (float*)staged;
        EncodeKernel.Run(plan, ctx.Mode, source, codes, vectorPart);
    }
}
