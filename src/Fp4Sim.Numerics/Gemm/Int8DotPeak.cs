using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>A measured int8 dot-product peak: multiply-accumulates per second and the instruction sequence that reached it.</summary>
/// <param name="MacsPerSecond">u8 × s8 multiply-accumulates into int32 per second, over all workers.</param>
/// <param name="Sequence">What the loop ran, e.g. "vpmaddubsw+vpmaddwd+vpaddd zmm".</param>
/// <param name="Threads">Workers.</param>
public sealed record Int8Peak(double MacsPerSecond, string Sequence, int Threads);

/// <summary>
/// The machine's int8 dot-product peak, measured: a register-only loop of independent u8 × s8 → int32 accumulations on
/// every worker, the yardstick an integer-lane GEMM is held against. .NET 10 exposes VNNI only as AVX-VNNI (VEX, 256-bit);
/// where that is absent (AMD Zen 4 has AVX512-VNNI but not AVX-VNNI) the loop is the vpmaddubsw + vpmaddwd + vpaddd
/// sequence, 512-bit where AVX-512BW exists, which is also what a .NET GEMM kernel can issue there.
/// </summary>
public static class Int8DotPeak
{
    private const int Accumulators = 8;

    /// <summary>
    /// The best of three timed runs of about <paramref name="seconds"/> each on <paramref name="threads"/> workers (≤ 0: all cores).
    /// </summary>
    public static Int8Peak Measure(int threads, double seconds = 0.2)
    {
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        (Func<long, int> loop, int macsPerIteration, string sequence) = Kernel();
        long iterations = 1 << 16;
        double elapsed;
        do
        {
            iterations *= 2;
            elapsed = Time(loop, iterations, workers);
        }
        while (elapsed < seconds / 4 && iterations < 1L << 40);
        iterations = (long)(iterations * Math.Max(1, seconds / elapsed));
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++) best = Math.Min(best, Time(loop, iterations, workers));
        return new Int8Peak(workers * (double)iterations * macsPerIteration / best, sequence, workers);
    }

    private static (Func<long, int> Loop, int MacsPerIteration, string Sequence) Kernel()
    {
        if (AvxVnni.IsSupported && Vectorized.InstructionSets.Avx2Allowed) return (Vnni256, Accumulators * 32, "vpdpbusd ymm (AVX-VNNI)");
        if (Avx512BW.IsSupported && Vectorized.InstructionSets.Avx512Allowed) return (MaddZmm, Accumulators * 64, "vpmaddubsw+vpmaddwd+vpaddd zmm");
        if (Avx2.IsSupported && Vectorized.InstructionSets.Avx2Allowed) return (MaddYmm, 6 * 32, "vpmaddubsw+vpmaddwd+vpaddd ymm");
        return (Scalar, Accumulators, "scalar");
    }

    private static double Time(Func<long, int> loop, long iterations, int workers)
    {
        int sink = 0;
        long start = Stopwatch.GetTimestamp();
        if (workers == 1) sink = loop(iterations);
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Interlocked.Add(ref sink, loop(iterations)));
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        GC.KeepAlive(sink);
        return elapsed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MaddZmm(long iterations)
    {
        // A distinct multiplier per accumulator, so no two products are the same expression (the JIT would share them).
        Vector512<byte> a = Vector512.Create((byte)3);
        Vector512<sbyte> b0 = Vector512.Create((sbyte)-2), b1 = Vector512.Create((sbyte)-3), b2 = Vector512.Create((sbyte)-4),
            b3 = Vector512.Create((sbyte)-5), b4 = Vector512.Create((sbyte)-6), b5 = Vector512.Create((sbyte)-7),
            b6 = Vector512.Create((sbyte)-8), b7 = Vector512.Create((sbyte)-9);
        Vector512<short> ones = Vector512.Create((short)1);
        Vector512<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b0), ones);
            c1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b1), ones);
            c2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b2), ones);
            c3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b3), ones);
            c4 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b4), ones);
            c5 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b5), ones);
            c6 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b6), ones);
            c7 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a, b7), ones);
            a += Vector512<byte>.One; // a loop-carried change keeps the products from being hoisted
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MaddYmm(long iterations)
    {
        // Six accumulators and six multipliers fit AVX2's sixteen registers with a and the ones.
        Vector256<byte> a = Vector256.Create((byte)3);
        Vector256<sbyte> b0 = Vector256.Create((sbyte)-2), b1 = Vector256.Create((sbyte)-3), b2 = Vector256.Create((sbyte)-4),
            b3 = Vector256.Create((sbyte)-5), b4 = Vector256.Create((sbyte)-6), b5 = Vector256.Create((sbyte)-7);
        Vector256<short> ones = Vector256.Create((short)1);
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a, b0), ones);
            c1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a, b1), ones);
            c2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a, b2), ones);
            c3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a, b3), ones);
            c4 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a, b4), ones);
            c5 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a, b5), ones);
            a += Vector256<byte>.One;
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Vnni256(long iterations)
    {
        Vector256<byte> a = Vector256.Create((byte)3);
        Vector256<sbyte> b = Vector256.Create((sbyte)-2);
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, a, b);
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, a, b);
            c2 = AvxVnni.MultiplyWideningAndAdd(c2, a, b);
            c3 = AvxVnni.MultiplyWideningAndAdd(c3, a, b);
            c4 = AvxVnni.MultiplyWideningAndAdd(c4, a, b);
            c5 = AvxVnni.MultiplyWideningAndAdd(c5, a, b);
            c6 = AvxVnni.MultiplyWideningAndAdd(c6, a, b);
            c7 = AvxVnni.MultiplyWideningAndAdd(c7, a, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Scalar(long iterations)
    {
        int c = 0, a = 3, b = -2;
        for (long i = 0; i < iterations; i++)
        {
            for (int j = 0; j < Accumulators; j++) c += a * b;
            a ^= 1;
        }
        return c;
    }
}
