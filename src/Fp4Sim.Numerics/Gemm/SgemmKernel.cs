using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// The FMA path of <see cref="Sgemm"/>. Loop nest (outer to inner): columns of C in blocks of ≤ <see cref="NC"/>;
/// k in blocks of ≤ <see cref="KC"/> (B block packed into NR-wide panels, kept in L2/L3); rows in blocks of
/// ≤ <see cref="MC"/> (A block packed into MR-high panels, kept in L2); one NR-wide B panel (L1) against every
/// MR-high A panel of the block, each pair an MR×NR tile of C held in 12 ymm accumulators for the whole k block.
/// Edge tiles are padded with zeros when packed and computed into a scratch tile, then copied.
/// </summary>
internal static unsafe class SgemmKernel
{
    public const int MR = 6;
    public const int NR = 16;
    public const int KC = 256;
    public const int MC = 120;
    public const int NC = 2048;

    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, int threads)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            float* ap = pa, bp = pb, cp = pc; // fixed locals cannot be captured by the lambda
            // Split the larger side of C into contiguous shares of whole tiles; each share packs its own panels.
            bool byRows = (m + MR - 1) / MR >= (n + NR - 1) / NR;
            int tiles = byRows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
            int shares = Math.Clamp(threads, 1, tiles);
            if (shares == 1)
            {
                Run(ap, bp, cp, m, n, k, 0, m, 0, n);
                return;
            }
            Parallel.For(0, shares, new ParallelOptions { MaxDegreeOfParallelism = shares }, s =>
            {
                int t0 = (int)((long)tiles * s / shares), t1 = (int)((long)tiles * (s + 1) / shares);
                if (byRows) Run(ap, bp, cp, m, n, k, t0 * MR, Math.Min(t1 * MR, m), 0, n);
                else Run(ap, bp, cp, m, n, k, 0, m, t0 * NR, Math.Min(t1 * NR, n));
            });
        }
    }

    /// <summary>C[i0..i1, j0..j1] = A[i0..i1, :]·B[:, j0..j1]; A is m×k, B k×n, C m×n, all row-major.</summary>
    private static void Run(float* a, float* b, float* c, int m, int n, int k, int i0, int i1, int j0, int j1)
    {
        // Even block sizes: k = 260 runs as 2×130, not 256 + 4.
        int kc = Even(k, KC, 1), mcMax = Even(i1 - i0, MC, MR), ncMax = Even(j1 - j0, NC, NR);
        float* packA = (float*)NativeMemory.AlignedAlloc((nuint)(mcMax * kc * sizeof(float)), 64);
        float* packB = (float*)NativeMemory.AlignedAlloc((nuint)(ncMax * kc * sizeof(float)), 64);
        float* edge = stackalloc float[MR * NR];
        try
        {
            for (int jc = j0; jc < j1; jc += ncMax)
            {
                int nc = Math.Min(ncMax, j1 - jc);
                for (int pc = 0; pc < k; pc += kc)
                {
                    int kb = Math.Min(kc, k - pc);
                    bool accumulate = pc > 0;
                    PackB(b + (nint)pc * n + jc, n, kb, nc, packB);
                    for (int ic = i0; ic < i1; ic += mcMax)
                    {
                        int mc = Math.Min(mcMax, i1 - ic);
                        PackA(a + (nint)ic * k + pc, k, mc, kb, packA);
                        for (int jr = 0; jr < nc; jr += NR)
                        {
                            int nr = Math.Min(NR, nc - jr);
                            float* bPanel = packB + (nint)jr * kb;
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int mr = Math.Min(MR, mc - ir);
                                float* aPanel = packA + (nint)ir * kb;
                                float* cTile = c + (nint)(ic + ir) * n + jc + jr;
                                if (mr == MR && nr == NR)
                                {
                                    Kernel(kb, aPanel, bPanel, cTile, n, accumulate);
                                }
                                else
                                {
                                    Kernel(kb, aPanel, bPanel, edge, NR, false);
                                    CopyEdge(edge, cTile, n, mr, nr, accumulate);
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(packA);
            NativeMemory.AlignedFree(packB);
        }
    }

    /// <summary>
    /// The block size ≤ <paramref name="max"/> (a multiple of <paramref name="unit"/>) that splits <paramref name="total"/> into equal-ish blocks.
    /// </summary>
    private static int Even(int total, int max, int unit)
    {
        int blocks = (total + max - 1) / max;
        int size = (total + blocks - 1) / blocks;
        return (size + unit - 1) / unit * unit;
    }

    /// <summary>Packs A[0..mc, 0..kc] (row stride lda) as MR-high panels, each kc×MR with rows past mc zero.</summary>
    private static void PackA(float* a, int lda, int mc, int kc, float* dst)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mr = Math.Min(MR, mc - ir);
            float* panel = dst + (nint)ir * kc;
            if (mr == MR)
            {
                float* r0 = a + (nint)ir * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                for (int p = 0; p < kc; p++, panel += MR)
                {
                    panel[0] = r0[p]; panel[1] = r1[p]; panel[2] = r2[p];
                    panel[3] = r3[p]; panel[4] = r4[p]; panel[5] = r5[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++, panel += MR)
                    for (int r = 0; r < MR; r++) panel[r] = r < mr ? a[(nint)(ir + r) * lda + p] : 0f;
            }
        }
    }

    /// <summary>Packs B[0..kc, 0..nc] (row stride ldb) as NR-wide panels, each kc×NR with columns past nc zero.</summary>
    private static void PackB(float* b, int ldb, int kc, int nc, float* dst)
    {
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* panel = dst + (nint)jr * kc;
            float* src = b + jr;
            if (nr == NR)
            {
                for (int p = 0; p < kc; p++, panel += NR, src += ldb)
                {
                    Avx.StoreAligned(panel, Avx.LoadVector256(src));
                    Avx.StoreAligned(panel + 8, Avx.LoadVector256(src + 8));
                }
            }
            else
            {
                for (int p = 0; p < kc; p++, panel += NR, src += ldb)
                    for (int j = 0; j < NR; j++) panel[j] = j < nr ? src[j] : 0f;
            }
        }
    }

    private static void CopyEdge(float* tile, float* c, int ldc, int mr, int nr, bool accumulate)
    {
        for (int r = 0; r < mr; r++, tile += NR, c += ldc)
        {
            if (accumulate) for (int j = 0; j < nr; j++) c[j] += tile[j];
            else for (int j = 0; j < nr; j++) c[j] = tile[j];
        }
    }

    /// <summary>
    /// The MR×NR tile at <paramref name="c"/> (row stride ldc) = (accumulate ? itself : 0) + Σ_p aPanel[p]ᵀ·bPanel[p]:
    /// per p, two B vectors and six broadcast A scalars feed 12 FMAs into 12 register accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += NR)
        {
            Vector256<float> b0 = Avx.LoadAlignedVector256(b), b1 = Avx.LoadAlignedVector256(b + 8);
            Vector256<float> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        Store(c, c00, c01, accumulate); c += ldc;
        Store(c, c10, c11, accumulate); c += ldc;
        Store(c, c20, c21, accumulate); c += ldc;
        Store(c, c30, c31, accumulate); c += ldc;
        Store(c, c40, c41, accumulate); c += ldc;
        Store(c, c50, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, bool accumulate)
    {
        if (accumulate)
        {
            lo = Avx.Add(lo, Avx.LoadVector256(c));
            hi = Avx.Add(hi, Avx.LoadVector256(c + 8));
        }
        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }
}
