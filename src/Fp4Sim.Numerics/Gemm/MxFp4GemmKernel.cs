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

    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported && Vectorized.InstructionSets.Avx2Allowed;

    /// <summary>Whether this machine runs <paramref name="kind"/>.</summary>
    public static bool Runs(MxFp4KernelKind kind) => kind switch
    {
        MxFp4KernelKind.Scalar => true,
        MxFp4KernelKind.Avx2 => IsSupported,
        MxFp4KernelKind.AvxVnni => IsSupported && AvxVnni.IsSupported,
        _ => IsSupported && Avx512BW.IsSupported && Vectorized.InstructionSets.Avx512Allowed,
    };

    /// <summary>The fastest kernel this machine runs.</summary>
    public static MxFp4KernelKind Best =>
        !IsSupported ? MxFp4KernelKind.Scalar
        : Avx512BW.IsSupported && Vectorized.InstructionSets.Avx512Allowed ? MxFp4KernelKind.Avx512
        : AvxVnni.IsSupported ? MxFp4KernelKind.AvxVnni : MxFp4KernelKind.Avx2;

    /// <summary>One tile; <paramref name="tile"/> is the epilogue's accumulator block, initialised by the caller.</summary>
    /// <param name="a">Packed A at the tile's first row (row stride <paramref name="k"/>).</param>
    /// <param name="scaleA">The A rows' block weights (row stride nb, float or double as the epilogue reads).</param>
    /// <param name="b">Packed B at the tile (<see cref="MxFp4Packing"/>).</param>
    /// <param name="correction">The tile's int16 start values (16 int32s per block).</param>
    /// <param name="scaleB">The tile's block weights (16 per block).</param>
    /// <param name="k">K.</param>
    /// <param name="tile">Rows × Columns accumulators, row-major.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TEpilogue>(byte* a, void* scaleA, byte* b, int* correction, void* scaleB, int k, void* tile)
        where TEpilogue : struct, IEpilogue
    {
        int nb = k / 32;
        byte* a0 = a, a1 = a + k, a2 = a + 2 * k, a3 = a + 3 * k;
        byte* b0 = b, b1 = b + 32;
        for (int kb = 0; kb < nb; kb++)
        {
            Vector256<short> k0 = Avx.LoadAlignedVector256((short*)(correction + kb * 16));
            Vector256<short> k1 = Avx.LoadAlignedVector256((short*)(correction + kb * 16 + 8));
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
                a0 += 4; a1 += 4; a2 += 4; a3 += 4; b0 += 64; b1 += 64;
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

    /// <summary>
    /// <see cref="Tile{TEpilogue}"/> with AVX-VNNI: vpdpbusd multiplies the 4 byte pairs of each int32 lane and adds
    /// them into it, so each column's lane sums its whole block (|lane| ≤ 32 · 24 · 12 + 4608) and starts from −12 Σ 2b.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileVnni<TEpilogue>(byte* a, void* scaleA, byte* b, int* correction, void* scaleB, int k, void* tile)
        where TEpilogue : struct, IEpilogue
    {
        int nb = k / 32;
        byte* a0 = a, a1 = a + k, a2 = a + 2 * k, a3 = a + 3 * k;
        byte* b0 = b, b1 = b + 32;
        for (int kb = 0; kb < nb; kb++)
        {
            Vector256<int> k0 = Widen(Avx.LoadAlignedVector256(correction + kb * 16));
            Vector256<int> k1 = Widen(Avx.LoadAlignedVector256(correction + kb * 16 + 8));
            Vector256<int> c00 = k0, c01 = k1, c10 = k0, c11 = k1, c20 = k0, c21 = k1, c30 = k0, c31 = k1;
            for (int q = 0; q < 8; q++)
            {
                Vector256<sbyte> v0 = Avx.LoadAlignedVector256((sbyte*)b0);
                Vector256<sbyte> v1 = Avx.LoadAlignedVector256((sbyte*)b1);
                Vector256<byte> u = Vector256.Create(*(int*)a0).AsByte();
                c00 = AvxVnni.MultiplyWideningAndAdd(c00, u, v0);
                c01 = AvxVnni.MultiplyWideningAndAdd(c01, u, v1);
                u = Vector256.Create(*(int*)a1).AsByte();
                c10 = AvxVnni.MultiplyWideningAndAdd(c10, u, v0);
                c11 = AvxVnni.MultiplyWideningAndAdd(c11, u, v1);
                u = Vector256.Create(*(int*)a2).AsByte();
                c20 = AvxVnni.MultiplyWideningAndAdd(c20, u, v0);
                c21 = AvxVnni.MultiplyWideningAndAdd(c21, u, v1);
                u = Vector256.Create(*(int*)a3).AsByte();
                c30 = AvxVnni.MultiplyWideningAndAdd(c30, u, v0);
                c31 = AvxVnni.MultiplyWideningAndAdd(c31, u, v1);
                a0 += 4; a1 += 4; a2 += 4; a3 += 4; b0 += 64; b1 += 64;
            }
            TEpilogue.Add(c00, scaleA, 0, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(c01, scaleA, 0, scaleB, 1, kb, nb, tile);
            TEpilogue.Add(c10, scaleA, 1, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(c11, scaleA, 1, scaleB, 1, kb, nb, tile);
            TEpilogue.Add(c20, scaleA, 2, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(c21, scaleA, 2, scaleB, 1, kb, nb, tile);
            TEpilogue.Add(c30, scaleA, 3, scaleB, 0, kb, nb, tile);
            TEpilogue.Add(c31, scaleA, 3, scaleB, 1, kb, nb, tile);
        }
    }

    /// <summary>
    /// <see cref="Tile{TEpilogue}"/> on 512-bit vectors (AVX-512BW): <see cref="Rows"/> rows × two adjacent tiles of
    /// 16 columns (<paramref name="b"/> and its successor, K · 16 bytes on), one zmm of 16 columns × 4 k each;
    /// <paramref name="tile"/> has rows of 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileWide<TEpilogue>(byte* a, void* scaleA, byte* b, int* correction, void* scaleB, int k, void* tile)
        where TEpilogue : struct, IEpilogue
    {
        int nb = k / 32;
        byte* a0 = a, a1 = a + k, a2 = a + 2 * k, a3 = a + 3 * k;
        byte* b0 = b, b1 = b + (nint)k * 16;
        Vector512<short> ones = Vector512.Create((short)1);
        for (int kb = 0; kb < nb; kb++)
        {
            Vector512<short> k0 = Avx512F.LoadAlignedVector512((short*)(correction + kb * 16));
            Vector512<short> k1 = Avx512F.LoadAlignedVector512((short*)(correction + (nb + kb) * 16));
            Vector512<short> c00 = k0, c01 = k1, c10 = k0, c11 = k1, c20 = k0, c21 = k1, c30 = k0, c31 = k1;
            for (int q = 0; q < 8; q++)
            {
                Vector512<sbyte> v0 = Avx512F.LoadAlignedVector512((sbyte*)b0);
                Vector512<sbyte> v1 = Avx512F.LoadAlignedVector512((sbyte*)b1);
                Vector512<byte> u = Vector512.Create(*(int*)a0).AsByte();
                c00 = Avx512BW.Add(c00, Avx512BW.MultiplyAddAdjacent(u, v0));
                c01 = Avx512BW.Add(c01, Avx512BW.MultiplyAddAdjacent(u, v1));
                u = Vector512.Create(*(int*)a1).AsByte();
                c10 = Avx512BW.Add(c10, Avx512BW.MultiplyAddAdjacent(u, v0));
                c11 = Avx512BW.Add(c11, Avx512BW.MultiplyAddAdjacent(u, v1));
                u = Vector512.Create(*(int*)a2).AsByte();
                c20 = Avx512BW.Add(c20, Avx512BW.MultiplyAddAdjacent(u, v0));
                c21 = Avx512BW.Add(c21, Avx512BW.MultiplyAddAdjacent(u, v1));
                u = Vector512.Create(*(int*)a3).AsByte();
                c30 = Avx512BW.Add(c30, Avx512BW.MultiplyAddAdjacent(u, v0));
                c31 = Avx512BW.Add(c31, Avx512BW.MultiplyAddAdjacent(u, v1));
                a0 += 4; a1 += 4; a2 += 4; a3 += 4; b0 += 64; b1 += 64;
            }
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c00, ones), scaleA, 0, scaleB, 0, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c01, ones), scaleA, 0, scaleB, 1, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c10, ones), scaleA, 1, scaleB, 0, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c11, ones), scaleA, 1, scaleB, 1, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c20, ones), scaleA, 2, scaleB, 0, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c21, ones), scaleA, 2, scaleB, 1, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c30, ones), scaleA, 3, scaleB, 0, kb, nb, tile);
            TEpilogue.AddWide(Avx512BW.MultiplyAddAdjacent(c31, ones), scaleA, 3, scaleB, 1, kb, nb, tile);
        }
    }

    /// <summary>The int32 −12 Σ 2b from the correction's int16 pair (−12 Σ 2b, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Widen(Vector256<int> pair) => Avx2.ShiftRightArithmetic(Avx2.ShiftLeftLogical(pair, 16), 16);

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

        /// <summary>The same for 16 columns: tile <paramref name="half"/> of <see cref="TileWide{TEpilogue}"/> (tile rows of 32).</summary>
        static abstract void AddWide(Vector512<int> sums, void* scaleA, int row, void* scaleB, int half, int kb, int nb, void* tile);
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
            Vector256<float> w = Avx.Multiply(Avx.LoadAlignedVector256((float*)scaleB + kb * 16 + group * 8), wa);
            float* acc = (float*)tile + row * Columns + group * 8;
            Avx.Store(acc, Fma.MultiplyAdd(Avx.ConvertToVector256Single(sums), w, Avx.LoadVector256(acc)));
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddWide(Vector512<int> sums, void* scaleA, int row, void* scaleB, int half, int kb, int nb, void* tile)
        {
            Vector512<float> wa = Vector512.Create(((float*)scaleA)[row * nb + kb]);
            Vector512<float> w = Avx512F.Multiply(Avx512F.LoadAlignedVector512((float*)scaleB + (half * nb + kb) * 16), wa);
            float* acc = (float*)tile + row * 2 * Columns + half * 16;
            Avx512F.Store(acc, Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sums), w, Avx512F.LoadVector512(acc)));
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
            double* wb = (double*)scaleB + kb * 16 + group * 8;
            double* acc = (double*)tile + row * Columns + group * 8;
            Vector256<double> lo = Avx.ConvertToVector256Double(sums.GetLower());
            Vector256<double> hi = Avx.ConvertToVector256Double(sums.GetUpper());
            Avx.Store(acc, Fma.MultiplyAdd(lo, Avx.Multiply(Avx.LoadAlignedVector256(wb), wa), Avx.LoadVector256(acc)));
            Avx.Store(acc + 4, Fma.MultiplyAdd(hi, Avx.Multiply(Avx.LoadAlignedVector256(wb + 4), wa), Avx.LoadVector256(acc + 4)));
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddWide(Vector512<int> sums, void* scaleA, int row, void* scaleB, int half, int kb, int nb, void* tile)
        {
            Vector512<double> wa = Vector512.Create(((double*)scaleA)[row * nb + kb]);
            double* wb = (double*)scaleB + (half * nb + kb) * 16;
            double* acc = (double*)tile + row * 2 * Columns + half * 16;
            Vector512<double> lo = Avx512F.ConvertToVector512Double(sums.GetLower());
            Vector512<double> hi = Avx512F.ConvertToVector512Double(sums.GetUpper());
            Avx512F.Store(acc,
                Avx512F.FusedMultiplyAdd(lo, Avx512F.Multiply(Avx512F.LoadAlignedVector512(wb), wa), Avx512F.LoadVector512(acc)));
            Avx512F.Store(acc + 8,
                Avx512F.FusedMultiplyAdd(hi, Avx512F.Multiply(Avx512F.LoadAlignedVector512(wb + 8), wa), Avx512F.LoadVector512(acc + 8)));
        }
    }
}

/// <summary>The kernels of <see cref="MxFp4Gemm"/> (all give identical results).</summary>
internal enum MxFp4KernelKind
{
    /// <summary>One output at a time, no intrinsics.</summary>
    Scalar,
    /// <summary>AVX2 pmaddubsw with int16 lanes.</summary>
    Avx2,
    /// <summary>AVX-VNNI vpdpbusd with int32 lanes.</summary>
    AvxVnni,
    /// <summary>AVX-512BW pmaddubsw on 512-bit vectors, int16 lanes.</summary>
    Avx512,
}
