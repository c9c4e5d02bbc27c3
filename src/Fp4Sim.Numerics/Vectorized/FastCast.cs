using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// Span casts between float32 and the codes of any ≤ 8-bit format (one code per byte), for every deterministic
/// rounding mode and both overflow modes. Bit-identical to the scalar reference
/// (<see cref="Encoder"/>/<see cref="Decoder.DecodeToSingle"/>): AVX2 bodies, the reference for tails and for
/// machines without AVX2, and several cores for long spans.
/// </summary>
public static unsafe class FastCast
{
    /// <summary>Spans shorter than this stay on one core.</summary>
    public const int ParallelThreshold = 1 << 18;

    /// <summary>Decodes of at least this many codes (16 MiB of float32 out, half this machine class's L3) store non-temporally.</summary>
    public const int NonTemporalThreshold = 1 << 22;

    /// <summary>
    /// Whether <see cref="Encode"/> takes this cast: ≤ 8-bit formats without flush-to-zero, deterministic modes, Fp4Sim's
    /// own convention. Anything else goes through the scalar <see cref="Encoder"/>.
    /// </summary>
    public static bool Supports(FormatInfo format, in RoundingContext ctx) => CastPlan.Supports(format, ctx);

    /// <summary>Encodes float32 values to codes; <paramref name="threads"/> cores for long spans (≤ 0: all).</summary>
    public static void Encode(FormatInfo format, ReadOnlySpan<float> source, Span<byte> destination, RoundingContext ctx, int threads = 1)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than source");
        CastPlan plan = CastPlan.Create(format, ctx);
        fixed (float* src = source)
        fixed (byte* dst = destination)
        {
            float* s = src; byte* d = dst; // fixed locals cannot be captured by the lambda
            FormatInfo f = format;
            RoundingContext c = ctx;
            ForEachChunk(source.Length, threads, (start, length) => EncodeRange(f, plan, c, s + start, d + start, length));
        }
    }

    /// <summary>Decodes codes (one per byte; bits above the format's width are ignored) to float32.</summary>
    public static void Decode(FormatInfo format, ReadOnlySpan<byte> source, Span<float> destination, int threads = 1)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than source");
        if (format.TotalBits > 8) throw new ArgumentException($"format {format.Name} is wider than 8 bits");
        DecodeTable plan = DecodeTable.For(format);
        fixed (float* t = plan.Values)
        fixed (byte* src = source)
        fixed (float* dst = destination)
        {
            float* tp = t, d = dst; byte* s = src;
            // Long outputs bypass the caches: four bytes written per byte read would otherwise each be read in first. The
            // aligned non-temporal stores need a float-aligned span (a span cast from bytes at an odd offset is not).
            bool nonTemporal = source.Length >= NonTemporalThreshold && ((nuint)dst & 3) == 0;
            ForEachChunk(source.Length, threads, (start, length) =>
            {
                bool wide = DecodeKernel.Is512Supported;
                nint head = DecodeKernel.IsSupported ? Math.Min(length, HeadToAlignment(d + start, wide ? 64 : 32)) : length;
                for (nint i = start; i < start + head; i++) d[i] = tp[s[i]];
                start += head; length -= head;
                nint vectorPart = wide ? length & ~15 : DecodeKernel.IsSupported ? length & ~7 : 0;
                if (vectorPart > 0 && wide) DecodeKernel.Run512(plan, tp, s + start, d + start, vectorPart, nonTemporal);
                else if (vectorPart > 0) DecodeKernel.Run(tp, s + start, d + start, vectorPart);
                for (nint i = start + vectorPart; i < start + length; i++) d[i] = tp[s[i]];
            });
        }
    }

    private static void EncodeRange(FormatInfo f, CastPlan plan, RoundingContext ctx, float* source, byte* destination, nint length)
    {
        // Peel a head so the 32-byte loads are aligned: a load split across cache lines costs up to half the speed.
        nint head = EncodeKernel.IsSupported ? Math.Min(length, HeadToAlignment(source, 32)) : length;
        for (nint i = 0; i < head; i++) destination[i] = (byte)Encoder.Encode(f, source[i], ctx);
        source += head; destination += head; length -= head;
        nint vectorPart = EncodeKernel.IsSupported ? length & ~31 : 0;
        if (vectorPart > 0)
        {
            EncodeKernel.Run(plan, ctx.Mode, source, destination, vectorPart);
        }
        for (nint i = vectorPart; i < length; i++) destination[i] = (byte)Encoder.Encode(f, source[i], ctx);
    }

    /// <summary>How many floats precede the next <paramref name="alignment"/>-byte boundary (floats are 4-byte aligned).</summary>
    private static nint HeadToAlignment(float* p, int alignment) =>
        (nint)(((nuint)alignment - ((nuint)p & (nuint)(alignment - 1))) & (nuint)(alignment - 1)) / sizeof(float);

    internal static void ForEachChunk(int length, int threads, Action<nint, nint> body)
    {
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        if (workers == 1 || length < ParallelThreshold) { body(0, length); return; }
        // One contiguous share per worker (a multiple of 32, so only the last has a tail): each kernel call is long
        // enough for the JIT's on-stack replacement to reach optimised code, as in the one-core case.
        nint share = ((length + workers - 1) / workers + 31) & ~31;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            nint start = Math.Min(i * share, length);
            body(start, Math.Min(share, length - start));
        });
    }
}
