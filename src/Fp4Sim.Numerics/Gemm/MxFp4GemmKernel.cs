using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// The AVX2 micro-kernel of <see cref="MxFp4Gemm"/>: a tile of <see cref="Rows"/> rows of A × 8 · <see cref="Groups"/>
/// columns of B over the whole of K. Per 32-element block, per k-quad: broadcast 4 bytes of each A row (2a + 12,
/// unsigned), load 8 columns × 4 k of B (2b, signed), pmaddubsw and add into int16 lanes (each lane sums 16 products
/// of magnitude ≤ 24 · 12, from a start of −12 · Σ 2b or 0: |lane| ≤ 9216, no saturation). At the block end pmaddwd
/// with ones joins each column's two lanes into the exact int32 4 · Σ a·b, and the epilogue
/// (an <see cref="IEpilogue"/>) adds it, weighted by 2^(sa + sb − 256), to the tile's accumulator.
/// </summary>
internal static unsafe class MxFp4GemmKernel
{
    /// <summary>Rows of A per tile.</summary>
    public const int Rows = 4;

    /// <summary>Groups of 8 columns of B per tile.</summary>
    public const int Groups = 2;

    /// <summary>Columns per tile.</summary>
    public const int Columns = 8 * Groups;

    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>One tile; <paramref name="tile"/> is the epilogue's accumulator block, initialised by the caller.</summary>
    /// <param name="a">Packed A at the tile's first row (row stride <paramref name="k"/>).</param>
    /// <param name="scaleA">The A rows' block weights (row stride nb, float or double as the epilogue reads).</param>
    /// <param name="b">Packed B at the tile's first group (group stride 8 · <paramref name="k"/>).</param>
    /// <param name="correction">The first group's int16 start values (group stride 8 · nb int32s).</param>
    /// <param name="scaleB">The first group's block weights (group stride 8 · nb).</param>
    /// <param name="k">K.</param>
    /// <param name="tile">Rows × Columns accumulators, row-major.</param>
    public static void Tile<TEpilogue>(byte* a, void* scaleA, byte* b, int* correction, void* scaleB, int k, void* tile)
        where TEpilogue : struct, IEpilogue
    {
        int nb = k / 32;
        nint ldb = (nint)k * 8;
        byte* a0 = a, a1 = a + k, a2 = a + 2 * k, a3 = a + 3 * k;
        byte* b0 = b, b1 = b + ldb;
        for (int kb = 0; kb < nb; kb++)
        {
            Vector256<short> k0 = Avx.LoadAlignedVector256((short*)(correction + kb * 8));
            Vector256<short> k1 = Avx.LoadAlignedVector256((short*)(correction + (nb + kb) * 8));
            Vector256<short> c00 = k0, c01 = k1, c10 = k0, c11 = k1, c20 = k0, c21 = k1, c30 = k0, c31 = k1;
            for (int q = 0; q < 8; q++)
            {
                Vector256<sbyte> v0 = Avx.LoadAlignedVector256((sbyte*)b0);
                Vector256<sbyte> v1 = Avx.LoadAlignedVector256((sbyte*)b1);
                Vector256<byte> u = Vector256.Create(*(int*)a0).AsByte();
                c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(u, v0));
                c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(u, v1));
                u = Vector256.Create(*(int*)a1).AsByte();
                c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(u, v0));
                c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(u, v1));
                u = Vector256.Create(*(int*)a2).AsByte();
                c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(u, v0));
                c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(u, v1));
                u = Vector256.Create(*(int*)a3).AsByte();
                c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(u, v0));
                c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(u, v1));
                a0 += 4; a1 += 4; a2 += 4; a3 += 4; b0 += 32; b1 += 32;
            }
            TEpilogue.Add(Exact(c00), scaleA, 0, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(Exact(c01), scaleA, 0, scaleB, 1, kb, nb, tile);
            TEpilogue.Add(Exact(c10), scaleA, 1, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(Exact(c11), scaleA, 1, scaleB, 1, kb, nb, tile);
            TEpilogue.Add(Exact(c20), scaleA, 2, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(Exact(c21), scaleA, 2, scaleB, 1, kb, nb, tile);
            TEpilogue.Add(Exact(c30), scaleA, 3, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(Exact(c31), scaleA, 3, scaleB, 1, kb, nb, tile);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Exact(Vector256<short> lanes) =>
        Avx2.MultiplyAddAdjacent(lanes, Vector256.Create((short)1));

    /// <summary>What a tile does with one block's exact integers.</summary>
    public interface IEpilogue
    {
        /// <summary>
        /// Adds 4 · Σ a·b of block <paramref name="kb"/> for tile row <paramref name="row"/> and column group
        /// <paramref name="group"/> (8 columns), weighted by the rows' and columns' scales, to the accumulators.
        /// </summary>
        static abstract void Add(Vector256<int> sums, void* scaleA, int row, void* scaleB, int group, int kb, int nb, void* tile);
    }

    /// <summary>
    /// fp32 register: acc ← RNE(acc + t) with t = sums · wa · wb. The driver only keeps outputs whose every nonzero term
    /// is exact in binary32, so the product of the weights is exact and FMA(sums, w, acc) rounds the exact sum once.
    /// </summary>
    public readonly struct Fp32Epilogue : IEpilogue
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(Vector256<int> sums, void* scaleA, int row, void* scaleB, int group, int kb, int nb, void* tile)
        {
            Vector256<float> wa = Vector256.Create(((float*)scaleA)[row * nb + kb]);
            Vector256<float> w = Avx.Multiply(Avx.LoadAlignedVector256((float*)scaleB + (group * nb + kb) * 8), wa);
            float* acc = (float*)tile + row * Columns + group * 8;
            Avx.Store(acc, Fma.MultiplyAdd(Avx.ConvertToVector256Single(sums), w, Avx.LoadVector256(acc)));
        }
    }

    /// <summary>
    /// Exact register: a binary64 sum that the driver has proved exact (every partial sum is an integer multiple of
    /// the smallest weight below 2^53 times it), rounded once to binary32 at the end.
    /// </summary>
    public readonly struct ExactEpilogue : IEpilogue
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(Vector256<int> sums, void* scaleA, int row, void* scaleB, int group, int kb, int nb, void* tile)
        {
            Vector256<double> wa = Vector256.Create(((double*)scaleA)[row * nb + kb]);
            double* wb = (double*)scaleB + (group * nb + kb) * 8;
            double* acc = (double*)tile + row * Columns + group * 8;
            Vector256<double> lo = Avx.ConvertToVector256Double(sums.GetLower());
            Vector256<double> hi = Avx.ConvertToVector256Double(sums.GetUpper());
            Avx.Store(acc, Fma.MultiplyAdd(lo, Avx.Multiply(Avx.LoadAlignedVector256(wb), wa), Avx.LoadVector256(acc)));
            Avx.Store(acc + 4, Fma.MultiplyAdd(hi, Avx.Multiply(Avx.LoadAlignedVector256(wb + 4), wa), Avx.LoadVector256(acc + 4)));
        }
    }
}
