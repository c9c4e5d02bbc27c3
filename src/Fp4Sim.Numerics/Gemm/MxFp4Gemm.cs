using System.Runtime.InteropServices;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// Fast exact MXFP4 × MXFP4 GEMM, bit-for-bit equal to <see cref="MxGemmReference.Multiply"/> for the binary32 fused-add
/// accumulator (<c>new IeeeAccumulator(KnownFormats.Fp32)</c>) and the exact one (<see cref="ExactAccumulator.Fp32"/>).
/// A is M × K and B is N × K (both blocked along K); C[i, j] is row-major M × N.
/// <para>
/// Each block term is t = (4 · Σ a·b) · 2^(sa + sb − 256) with 4 · Σ a·b an integer of at most 13 bits, computed exactly
/// in int16/int32 lanes (<see cref="MxFp4GemmKernel"/>). fp32: when every nonzero term of an output lies in
/// [2^−149, 2^128) with its 13-bit integer on the binary32 grid (sa + sb ∈ [107, 371]), FMA(int, weight, acc) is the
/// reference's RNE(acc + t). exact: when the exponents of the nonzero terms of an output span little enough that every
/// partial sum is an integer multiple of the smallest weight below 2^53 times it, a binary64 sum is exact and its
/// conversion to binary32 is the one final RNE. Outputs outside those windows, or meeting a NaN scale (0xFF), are
/// computed by <see cref="MxGemmReference.Element"/>; realistic data never needs it.
/// </para>
/// </summary>
public static unsafe class MxFp4Gemm
{
    /// <summary>Row tiles kept hot together (their A rows stay in L2 while every column tile passes).</summary>
    private const int RowTilesPerBand = 16;

    private enum Mode { Fp32, Exact }

    /// <summary>
    /// The fp32 path's window for a nonzero block term t = int13 · 2^E (E = sa + sb − 256): t is a binary32 and below
    /// 2^128 exactly when E is in [<see cref="Fp32MinTermExponent"/>, <see cref="Fp32MaxTermExponent"/>].
    /// </summary>
    public const int Fp32MinTermExponent = -149, Fp32MaxTermExponent = 115;

    /// <summary>
    /// The exact path's largest span (largest minus smallest exponent E over an output's nonzero terms) for which a
    /// binary64 sum of <paramref name="blocks"/> terms is exact: with E0 the smallest exponent every term is an integer
    /// multiple of 2^E0 below 2^13 · 2^span (|4 Σ a·b| ≤ 4608), so every partial sum stays below
    /// blocks · 2^(13 + span) ≤ 2^53 units of 2^E0 when span ≤ 40 − ⌈log2 blocks⌉ (E0 ≥ −256 is far from binary64's subnormals).
    /// </summary>
    public static int ExactPathMaxSpan(int blocks) => 40 - (int)Math.Ceiling(Math.Log2(Math.Max(1, blocks)));

    /// <summary>C = A · Bᵀ; <paramref name="threads"/> cores (≤ 0: all).</summary>
    /// <exception cref="ArgumentException">Operands other than MXFP4, different K, or another accumulator.</exception>
    public static float[] Multiply(MxMatrix a, MxMatrix b, Accumulator accumulator, int threads = 0)
    {
        var c = new float[(long)a.Rows * b.Rows];
        Multiply(a, b, accumulator, c, threads);
        return c;
    }

    /// <summary>C = A · Bᵀ into <paramref name="c"/> (row-major M × N); <paramref name="threads"/> cores (≤ 0: all).</summary>
    /// <exception cref="ArgumentException">Operands other than MXFP4, different K, another accumulator, or a short C.</exception>
    public static void Multiply(MxMatrix a, MxMatrix b, Accumulator accumulator, Span<float> c, int threads = 0) =>
        Multiply(a, b, accumulator, c, threads, MxFp4GemmKernel.Best);

    /// <summary>How many outputs of A · Bᵀ fall outside the fast path's windows and go to the scalar reference.</summary>
    /// <exception cref="ArgumentException">As <see cref="Multiply(MxMatrix, MxMatrix, Accumulator, int)"/>.</exception>
    public static long CountFallbacks(MxMatrix a, MxMatrix b, Accumulator accumulator)
    {
        Mode mode = Check(a, b, accumulator, (long)a.Rows * b.Rows);
        using var pa = MxFp4Packing.Pack(a, interleave: false);
        using var pb = MxFp4Packing.Pack(b, interleave: true);
        var guard = new Guard(pa, pb, mode);
        long count = 0;
        for (int i = 0; i < a.Rows; i++)
            if (!guard.RowSafe(i))
                for (int j = 0; j < b.Rows; j++)
                    if (!guard.Safe(i, j)) count++;
        return count;
    }

    internal static void Multiply(MxMatrix a, MxMatrix b, Accumulator accumulator, Span<float> c, int threads, MxFp4KernelKind kernel)
    {
        if (!MxFp4GemmKernel.Runs(kernel)) throw new PlatformNotSupportedException($"this machine lacks the {kernel} kernel");
        Mode mode = Check(a, b, accumulator, c.Length);
        int m = a.Rows, n = b.Rows;
        if (m == 0 || n == 0) return;
        if (a.Columns == 0) { c[..(m * n)].Clear(); return; }
        int cores = threads <= 0 ? Environment.ProcessorCount : threads;
        using var pa = MxFp4Packing.Pack(a, interleave: false, cores);
        using var pb = MxFp4Packing.Pack(b, interleave: true, cores);
        int rowTiles = pa.PaddedCount / MxFp4GemmKernel.Rows, colTiles = pb.PaddedCount / (2 * MxFp4GemmKernel.Columns);
        int workers = Math.Max(1, Math.Min(cores, rowTiles * colTiles));
        var guard = new Guard(pa, pb, mode);
        fixed (float* cp = c)
        {
            float* cc = cp;
            Run(workers, rowTiles, colTiles, (r0, r1, c0, c1) =>
            {
                if (kernel == MxFp4KernelKind.Scalar) Scalar(pa, pb, mode, cc, r0, r1, c0, c1);
                else Tiles(pa, pb, mode, kernel, cc, r0, r1, c0, c1);
            });
            // The rare outputs outside the windows: the reference, rows split over the workers.
            Run(workers, m, 1, (i0, i1, _, _) =>
            {
                for (int i = i0; i < i1; i++)
                    if (!guard.RowSafe(i))
                        for (int j = 0; j < n; j++)
                            if (!guard.Safe(i, j)) cc[(long)i * n + j] = MxGemmReference.Element(a, b, i, j, accumulator);
            });
        }
    }

    private static Mode Check(MxMatrix a, MxMatrix b, Accumulator accumulator, long cLength)
    {
        if (a.Data.Format != KnownBlockFormats.MxFp4 || b.Data.Format != KnownBlockFormats.MxFp4)
            throw new ArgumentException($"the fast GEMM takes mxfp4 × mxfp4, got {a.Data.Format.Name} × {b.Data.Format.Name}");
        if (a.Columns != b.Columns)
            throw new ArgumentException($"inner dimensions differ: A has K = {a.Columns}, B has K = {b.Columns}");
        foreach (MxMatrix x in (ReadOnlySpan<MxMatrix>)[a, b])
            if (x.Rows < 0 || x.Columns % 32 != 0 || x.Data.Elements.Length < (long)x.Rows * x.Columns
                || x.Data.Scales.Length < (long)x.Rows * (x.Columns / 32))
                throw new ArgumentException(
                    $"a {x.Rows} × {x.Columns} mxfp4 matrix has {x.Data.Elements.Length} elements and {x.Data.Scales.Length} scales");
        if (cLength < (long)a.Rows * b.Rows)
            throw new ArgumentException($"C holds {cLength} values, the product has {(long)a.Rows * b.Rows}");
        return accumulator switch
        {
            IeeeAccumulator { Format: var f } when f == KnownFormats.Fp32 => Mode.Fp32,
            ExactAccumulator { Output: var f } when f == KnownFormats.Fp32 => Mode.Exact,
            _ => throw new ArgumentException($"the fast GEMM takes the fp32 or exact accumulator, got {accumulator.Name}"),
        };
    }

    /// <summary>Splits row tiles (or, when there are fewer than workers, column tiles) into contiguous shares.</summary>
    private static void Run(int workers, int rowTiles, int colTiles, Action<int, int, int, int> body)
    {
        bool byRows = rowTiles >= workers;
        int total = byRows ? rowTiles : colTiles;
        workers = Math.Min(workers, total);
        if (workers <= 1) { body(0, rowTiles, 0, colTiles); return; }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int start = (int)((long)total * w / workers), end = (int)((long)total * (w + 1) / workers);
            if (byRows) body(start, end, 0, colTiles);
            else body(0, rowTiles, start, end);
        });
    }

    /// <summary>Column pairs [c0, c1) (32 columns each) × row tiles [r0, r1) with a vector kernel.</summary>
    private static void Tiles(MxFp4Packing pa, MxFp4Packing pb, Mode mode, MxFp4KernelKind kernel, float* c, int r0, int r1, int c0, int c1)
    {
        const int R = MxFp4GemmKernel.Rows, C = MxFp4GemmKernel.Columns;
        int k = pa.K, nb = pa.Blocks, m = pa.Count, n = pb.Count;
        bool wide = kernel == MxFp4KernelKind.Avx512, fp32 = mode == Mode.Fp32;
        int width = wide ? 2 * C : C; // columns per kernel call
        void* tile = NativeMemory.AlignedAlloc(R * 2 * C * sizeof(double), 64);
        try
        {
            for (int band = r0; band < r1; band += RowTilesPerBand)
                for (int ct = 2 * c0; ct < 2 * c1; ct += width / C)
                {
                    byte* b = pb.Elements + (nint)ct * k * C;
                    int* corr = pb.Correction + (nint)ct * nb * C;
                    void* scaleB = fp32 ? pb.ScaleF + (nint)ct * nb * C : pb.ScaleD + (nint)ct * nb * C;
                    for (int rt = band; rt < Math.Min(band + RowTilesPerBand, r1); rt++)
                    {
                        int i0 = rt * R, j0 = ct * C;
                        byte* a = pa.Elements + (nint)i0 * k;
                        void* scaleA = fp32 ? pa.ScaleF + (nint)i0 * nb : pa.ScaleD + (nint)i0 * nb;
                        new Span<byte>(tile, R * width * (fp32 ? sizeof(float) : sizeof(double))).Clear();
                        switch (kernel, fp32)
                        {
                            case (MxFp4KernelKind.Avx512, true):
                                MxFp4GemmKernel.TileWide<MxFp4GemmKernel.Fp32Epilogue>(a, scaleA, b, corr, scaleB, k, tile);
                                break;
                            case (MxFp4KernelKind.Avx512, false):
                                MxFp4GemmKernel.TileWide<MxFp4GemmKernel.ExactEpilogue>(a, scaleA, b, corr, scaleB, k, tile);
                                break;
                            case (MxFp4KernelKind.AvxVnni, true):
                                MxFp4GemmKernel.TileVnni<MxFp4GemmKernel.Fp32Epilogue>(a, scaleA, b, corr, scaleB, k, tile);
                                break;
                            case (MxFp4KernelKind.AvxVnni, false):
                                MxFp4GemmKernel.TileVnni<MxFp4GemmKernel.ExactEpilogue>(a, scaleA, b, corr, scaleB, k, tile);
                                break;
                            case (_, true):
                                MxFp4GemmKernel.Tile<MxFp4GemmKernel.Fp32Epilogue>(a, scaleA, b, corr, scaleB, k, tile);
                                break;
                            default:
                                MxFp4GemmKernel.Tile<MxFp4GemmKernel.ExactEpilogue>(a, scaleA, b, corr, scaleB, k, tile);
                                break;
                        }
                        int valid = Math.Min(width, n - j0);
                        for (int r = 0; r < R && i0 + r < m && valid > 0; r++)
                        {
                            float* dst = c + (long)(i0 + r) * n + j0;
                            if (fp32) new ReadOnlySpan<float>((float*)tile + r * width, valid).CopyTo(new Span<float>(dst, valid));
                            else for (int j = 0; j < valid; j++) dst[j] = (float)((double*)tile)[r * width + j];
                        }
                    }
                }
        }
        finally
        {
            NativeMemory.AlignedFree(tile);
        }
    }

    /// <summary>The same arithmetic one output at a time, for machines without AVX2 and FMA (and to test the kernel against).</summary>
    private static void Scalar(MxFp4Packing pa, MxFp4Packing pb, Mode mode, float* c, int r0, int r1, int c0, int c1)
    {
        int k = pa.K, nb = pa.Blocks, n = pb.Count;
        int i1 = Math.Min(r1 * MxFp4GemmKernel.Rows, pa.Count), j1 = Math.Min(c1 * 2 * MxFp4GemmKernel.Columns, n);
        for (int i = r0 * MxFp4GemmKernel.Rows; i < i1; i++)
            for (int j = c0 * 2 * MxFp4GemmKernel.Columns; j < j1; j++)
            {
                float accF = 0;
                double accD = 0;
                for (int kb = 0; kb < nb; kb++)
                {
                    int sum = 0;
                    for (int t = 0; t < 32; t++)
                    {
                        int x = pa.Elements[(nint)i * k + kb * 32 + t] - 12;
                        int y = (sbyte)pb.Elements[(nint)(j / 16) * k * 16 + (kb * 8 + t / 4) * 64 + j % 16 * 4 + t % 4];
                        sum += x * y;
                    }
                    nint sb = ((nint)(j / 16) * nb + kb) * 16 + j % 16, sa = (nint)i * nb + kb;
                    if (mode == Mode.Fp32) accF += sum * (pa.ScaleF[sa] * pb.ScaleF[sb]); // exact product, one rounding
                    else accD += sum * (pa.ScaleD[sa] * pb.ScaleD[sb]);
                }
                c[(long)i * n + j] = mode == Mode.Fp32 ? accF : (float)accD;
            }
    }

    /// <summary>Decides from per-row scale summaries whether an output may take the fast path.</summary>
    private sealed class Guard
    {
        /// <summary>sa + sb window of the fp32 path: t = int13 · 2^(sa + sb − 256) is a binary32 iff the exponent is in [−149, 115].</summary>
        private const int Fp32Low = Fp32MinTermExponent + 256, Fp32High = Fp32MaxTermExponent + 256;

        private readonly MxFp4Packing _a, _b;
        private readonly Mode _mode;
        private readonly int _maxSpan, _bMin = int.MaxValue, _bMax = int.MinValue, _bSpan;
        private readonly bool _bNaN;

        public Guard(MxFp4Packing a, MxFp4Packing b, Mode mode)
        {
            _a = a; _b = b; _mode = mode;
            _maxSpan = ExactPathMaxSpan(a.Blocks);
            for (int j = 0; j < b.Count; j++)
            {
                _bNaN |= b.HasNaN[j];
                if (b.MinScale[j] > b.MaxScale[j]) continue;
                _bMin = Math.Min(_bMin, b.MinScale[j]);
                _bMax = Math.Max(_bMax, b.MaxScale[j]);
                _bSpan = Math.Max(_bSpan, b.MaxScale[j] - b.MinScale[j]);
            }
        }

        /// <summary>Every output of row <paramref name="i"/> is safe (tested against the extremes over all of B).</summary>
        public bool RowSafe(int i)
        {
            if (_a.HasNaN[i] || _bNaN) return false;
            return Fits(_a.MinScale[i], _a.MaxScale[i], _bMin, _bMax, _bSpan);
        }

        /// <summary>Output (i, j) is safe.</summary>
        public bool Safe(int i, int j)
        {
            if (_a.HasNaN[i] || _b.HasNaN[j]) return false;
            return Fits(_a.MinScale[i], _a.MaxScale[i], _b.MinScale[j], _b.MaxScale[j], _b.MaxScale[j] - _b.MinScale[j]);
        }

        private bool Fits(int aMin, int aMax, int bMin, int bMax, int bSpan)
        {
            if (aMin > aMax || bMin > bMax) return true; // a side without nonzero blocks: every term is +0
            return _mode == Mode.Fp32
                ? aMin + bMin >= Fp32Low && aMax + bMax <= Fp32High
                : aMax - aMin + bSpan <= _maxSpan;
        }
    }
}
