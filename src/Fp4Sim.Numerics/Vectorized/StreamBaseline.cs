using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// The streaming limit a cast is measured against: loops that move exactly a cast's bytes with no arithmetic —
/// <see cref="Narrow"/> reads 4 B and writes 1 B per element like <see cref="FastCast.Encode"/>, <see cref="Widen"/>
/// reads 1 B and writes 4 B like <see cref="FastCast.Decode"/> — split over the cores in the same contiguous shares.
/// They use the widest vectors the machine runs (<see cref="VectorWidth"/>) so that a fast path's time over theirs,
/// taken in the same run, says how far the fast path is from what the memory system allows.
/// </summary>
public static unsafe class StreamBaseline
{
    /// <summary>The vectors the loops use on this machine: <c>Vector512</c>, <c>Vector256</c> or <c>scalar</c>.</summary>
    public static string VectorWidth =>
        Vector512.IsHardwareAccelerated && InstructionSets.Avx512Allowed ? "Vector512"
        : Vector256.IsHardwareAccelerated && InstructionSets.Avx2Allowed ? "Vector256" : "scalar";

    /// <summary>
    /// Writes the low byte of each float's bits (a truncation, no rounding); <paramref name="threads"/> cores for long
    /// spans (≤ 0: all), chunked as <see cref="FastCast"/> chunks. <paramref name="nonTemporal"/> stores past the caches.
    /// </summary>
    public static void Narrow(ReadOnlySpan<float> source, Span<byte> destination, int threads = 1, bool nonTemporal = false)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than source");
        fixed (float* src = source)
        fixed (byte* dst = destination)
        {
            uint* s = (uint*)src; byte* d = dst; // fixed locals cannot be captured by the lambda
            FastCast.ForEachChunk(source.Length, threads, (start, length) => NarrowRange(s + start, d + start, length, nonTemporal));
        }
    }

    /// <summary>Writes each byte, zero-extended, as the bits of a float (no table, no conversion).</summary>
    public static void Widen(ReadOnlySpan<byte> source, Span<float> destination, int threads = 1, bool nonTemporal = false)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than source");
        fixed (byte* src = source)
        fixed (float* dst = destination)
        {
            byte* s = src; uint* d = (uint*)dst;
            FastCast.ForEachChunk(source.Length, threads, (start, length) => WidenRange(s + start, d + start, length, nonTemporal));
        }
    }

    /// <summary>
    /// The best time of <see cref="Narrow"/> over <paramref name="repetitions"/> runs with each store kind: which one
    /// is faster depends on whether the data fits in the caches, and the limit is the faster.
    /// </summary>
    public static StreamTiming TimeNarrow(float[] source, byte[] destination, int threads, int repetitions) =>
        CompareNarrow(() => { }, source, destination, threads, repetitions).Stream;

    /// <summary>The best time of <see cref="Widen"/> over <paramref name="repetitions"/> runs with each store kind.</summary>
    public static StreamTiming TimeWiden(byte[] source, float[] destination, int threads, int repetitions) =>
        CompareWiden(() => { }, source, destination, threads, repetitions).Stream;

    /// <summary>
    /// Times <paramref name="fast"/> (an encode of the same span) and <see cref="Narrow"/> interleaved, round by round
    /// (see <see cref="BestOfEach"/>), so that both meet the same disturbances on a shared machine.
    /// </summary>
    public static (double FastSeconds, StreamTiming Stream) CompareNarrow(Action fast, float[] source, byte[] destination,
                                                                           int threads, int repetitions) =>
        Compare(fast, nt => Narrow(source, destination, threads, nt), repetitions);

    /// <summary>Times <paramref name="fast"/> (a decode of the same span) and <see cref="Widen"/> interleaved.</summary>
    public static (double FastSeconds, StreamTiming Stream) CompareWiden(Action fast, byte[] source, float[] destination,
                                                                          int threads, int repetitions) =>
        Compare(fast, nt => Widen(source, destination, threads, nt), repetitions);

    /// <summary>
    /// The best wall time, in seconds, of <paramref name="repetitions"/> runs of <paramref name="run"/> after one
    /// untimed run (JIT, page faults): the least disturbed run is the one closest to the machine's limit. At least one
    /// <see cref="Stopwatch"/> tick.
    /// </summary>
    public static double BestOf(int repetitions, Action run) => BestOfEach(repetitions, run)[0];

    /// <summary>
    /// The best wall time of each of <paramref name="runs"/> over <paramref name="repetitions"/> rounds, a round running
    /// each once in turn, after one untimed round. Interleaving, rather than timing one action's runs and then the
    /// next's, makes a burst of other work on the machine fall on all of them alike, so their ratio keeps. At least one
    /// <see cref="Stopwatch"/> tick each.
    /// </summary>
    public static double[] BestOfEach(int repetitions, params Action[] runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        ArgumentNullException.ThrowIfNull(runs);
        foreach (Action run in runs) run();
        var best = new double[runs.Length];
        Array.Fill(best, double.MaxValue);
        for (int r = 0; r < repetitions; r++)
        {
            for (int k = 0; k < runs.Length; k++)
            {
                long start = Stopwatch.GetTimestamp();
                runs[k]();
                best[k] = Math.Min(best[k], Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        for (int k = 0; k < runs.Length; k++) best[k] = Math.Max(best[k], 1.0 / Stopwatch.Frequency); // rates stay finite
        return best;
    }

    private static (double, StreamTiming) Compare(Action fast, Action<bool> stream, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(fast);
        double[] best = BestOfEach(repetitions, fast, () => stream(false), () => stream(true));
        return (best[0], best[2] < best[1] ? new StreamTiming(best[2], true) : new StreamTiming(best[1], false));
    }

    // Both loops align the destination to 64 bytes (non-temporal stores need it; the loads may straddle lines).
    private static nint HeadTo64(void* p, int elementSize) => (nint)((64 - ((nuint)p & 63)) & 63) / elementSize;

    private static void NarrowRange(uint* source, byte* destination, nint length, bool nonTemporal)
    {
        nint i = 0, head = Math.Min(length, HeadTo64(destination, sizeof(byte)));
        for (; i < head; i++) destination[i] = (byte)source[i];
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && InstructionSets.Avx512Allowed)
        {
            for (; i + 64 <= length; i += 64)
            {
                // vpmovdb: one instruction per 16 lanes, against two narrowing steps for Vector512.Narrow.
                Vector256<byte> low = Vector256.Create(Avx512F.ConvertToVector128Byte(Vector512.Load(source + i)),
                    Avx512F.ConvertToVector128Byte(Vector512.Load(source + i + 16)));
                Vector256<byte> high = Vector256.Create(Avx512F.ConvertToVector128Byte(Vector512.Load(source + i + 32)),
                    Avx512F.ConvertToVector128Byte(Vector512.Load(source + i + 48)));
                Store(Vector512.Create(low, high), destination + i, nonTemporal);
            }
        }
        else if (Vector256.IsHardwareAccelerated && InstructionSets.Avx2Allowed)
        {
            for (; i + 32 <= length; i += 32)
            {
                Vector256<ushort> low = Vector256.Narrow(Vector256.Load(source + i), Vector256.Load(source + i + 8));
                Vector256<ushort> high = Vector256.Narrow(Vector256.Load(source + i + 16), Vector256.Load(source + i + 24));
                Store(Vector256.Narrow(low, high), destination + i, nonTemporal);
            }
        }
        for (; i < length; i++) destination[i] = (byte)source[i];
        if (nonTemporal && Sse.IsSupported) Sse.StoreFence(); // non-temporal stores are weakly ordered
    }

    private static void WidenRange(byte* source, uint* destination, nint length, bool nonTemporal)
    {
        nint i = 0, head = Math.Min(length, HeadTo64(destination, sizeof(uint)));
        for (; i < head; i++) destination[i] = source[i];
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && InstructionSets.Avx512Allowed)
        {
            for (; i + 64 <= length; i += 64)
            {
                // vpmovzxbd from memory: 16 bytes in, 64 out, no shuffles between the halves.
                for (int k = 0; k < 64; k += 16)
                    Store(Avx512F.ConvertToVector512UInt32(Vector128.Load(source + i + k)), destination + i + k, nonTemporal);
            }
        }
        else if (Vector256.IsHardwareAccelerated && InstructionSets.Avx2Allowed)
        {
            for (; i + 32 <= length; i += 32)
            {
                (Vector256<ushort> low, Vector256<ushort> high) = Vector256.Widen(Vector256.Load(source + i));
                (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(low);
                (Vector256<uint> c, Vector256<uint> d) = Vector256.Widen(high);
                Store(a, destination + i, nonTemporal);
                Store(b, destination + i + 8, nonTemporal);
                Store(c, destination + i + 16, nonTemporal);
                Store(d, destination + i + 24, nonTemporal);
            }
        }
        for (; i < length; i++) destination[i] = source[i];
        if (nonTemporal && Sse.IsSupported) Sse.StoreFence();
    }

    private static void Store<T>(Vector512<T> v, T* p, bool nonTemporal) where T : unmanaged
    {
        if (nonTemporal) v.StoreAlignedNonTemporal(p); else v.StoreAligned(p);
    }

    private static void Store<T>(Vector256<T> v, T* p, bool nonTemporal) where T : unmanaged
    {
        // Vector256 loops step 32 bytes at a time from a 64-byte boundary, so every store is 32-byte aligned.
        if (nonTemporal) v.StoreAlignedNonTemporal(p); else v.StoreAligned(p);
    }
}

/// <summary>A stream baseline's best time and whether the faster store kind was non-temporal.</summary>
/// <param name="Seconds">Best wall time of one pass, in seconds.</param>
/// <param name="NonTemporal">True when the non-temporal (cache-bypassing) stores were the faster.</param>
public readonly record struct StreamTiming(double Seconds, bool NonTemporal);
