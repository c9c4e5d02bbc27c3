using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// Dense float32 matrix product C = A·B on row-major spans: the fake-quant baseline that the exact MXFP4 GEMM is
/// measured against. With FMA: packed A/B panels, cache blocking and a 6×16 AVX2 register-blocked micro-kernel
/// (<see cref="SgemmKernel"/>), output tiles split into contiguous shares across cores. Without FMA: a plain loop.
/// </summary>
public static class Sgemm
{
    /// <summary>Products with fewer multiply-adds than this (m·n·k) stay on one core.</summary>
    public const long ParallelThreshold = 1L << 21;

    /// <summary>
    /// Overwrites <paramref name="c"/> (m×n, row-major) with <paramref name="a"/> (m×k, row-major) times
    /// <paramref name="b"/> (k×n, row-major). k = 0 gives zeros. <paramref name="threads"/> ≤ 0 means all cores.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative, m·k, k·n or m·n overflows, or a span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, int threads = 0)
    {
        Validate(a.Length, b.Length, c.Length, m, n, k);
        if (m == 0 || n == 0) return;
        if (k == 0) { c[..(m * n)].Clear(); return; }
        threads = ThreadsFor(m, n, k, threads);
        if (UsesKernel) SgemmKernel.Multiply(a, b, c, m, n, k, threads);
        else MultiplyScalar(a, b, c, m, n, k);
    }

    /// <summary>
    /// The threads <see cref="Multiply"/> asks for on an m×n×k product given <paramref name="threads"/> (≤ 0: all cores):
    /// one below <see cref="ParallelThreshold"/> multiply-adds and on the plain loop (the kernel also caps them at its tiles).
    /// </summary>
    public static int ThreadsFor(int m, int n, int k, int threads) =>
        !UsesKernel || (long)m * n * k < ParallelThreshold ? 1 : threads <= 0 ? Environment.ProcessorCount : threads;

    /// <summary>The path <see cref="Multiply"/> takes here, as a benchmark names it: the packed FMA kernel or the plain loop.</summary>
    public static string PathName =>
        UsesKernel ? $"packed {SgemmKernel.MR}x{SgemmKernel.NR} AVX2/FMA micro-kernel" : "plain scalar loop (no FMA, or FP4SIM_ISA=scalar)";

    private static bool UsesKernel => Fma.IsSupported && Vectorized.InstructionSets.Avx2Allowed;

    /// <summary>
    /// Naive product for tests: for each c[i, j], <c>c = fma(a[i, p], b[p, j], c)</c> in increasing p, starting from 0.
    /// Same contract as <see cref="Multiply"/> on one core.
    /// </summary>
    public static void MultiplyReference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Validate(a.Length, b.Length, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(a[i * k + p], b[p * n + j], sum);
                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>The path for machines without FMA: row i of C accumulates a[i, p]·(row p of B) in increasing p.</summary>
    internal static void MultiplyScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Validate(a.Length, b.Length, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * n, n);
            row.Clear();
            for (int p = 0; p < k; p++)
            {
                float s = a[i * k + p];
                ReadOnlySpan<float> bRow = b.Slice(p * n, n);
                for (int j = 0; j < row.Length; j++) row[j] += s * bRow[j];
            }
        }
    }

    private static void Validate(int aLength, int bLength, int cLength, int m, int n, int k)
    {
        if (m < 0) throw new ArgumentException($"m = {m} is negative", nameof(m));
        if (n < 0) throw new ArgumentException($"n = {n} is negative", nameof(n));
        if (k < 0) throw new ArgumentException($"k = {k} is negative", nameof(k));
        Check("a", aLength, (long)m * k, $"m×k = {m}×{k}");
        Check("b", bLength, (long)k * n, $"k×n = {k}×{n}");
        Check("c", cLength, (long)m * n, $"m×n = {m}×{n}");
    }

    private static void Check(string name, int length, long needed, string shape)
    {
        if (needed > int.MaxValue) throw new ArgumentException($"{name} would need {shape} = {needed} elements, more than a span holds", name);
        if (length < needed) throw new ArgumentException($"{name} has {length} elements but {shape} needs {needed}", name);
    }
}
