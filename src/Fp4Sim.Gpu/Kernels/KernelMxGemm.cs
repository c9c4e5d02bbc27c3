using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Rounding;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>The shape and accumulator of one exact MXFP4 GEMM, as plain fields for the kernel.</summary>
public readonly struct KernelMxGemm
{
    /// <summary>The E2M1 element format (units of its subnormal quantum, 1/2).</summary>
    public readonly KernelCast Element;
    /// <summary>Columns of A and B (K, a multiple of 32).</summary>
    public readonly int K;
    /// <summary>Rows of B (N: the outputs per row of C).</summary>
    public readonly int N;
    /// <summary>1 for the exact accumulator (binary64 sum, one final RNE), 0 for the binary32 fused-add one.</summary>
    public readonly int Exact;
    /// <summary><see cref="MxFp4Gemm.ExactPathMaxSpan"/> for K / 32 blocks.</summary>
    public readonly int MaxSpan;
    /// <summary>The E8M0 bias (127) and NaN code (0xFF).</summary>
    public readonly int ScaleBias;
    /// <summary>The E8M0 NaN code.</summary>
    public readonly uint ScaleNaN;

    /// <summary>Flattens an MXFP4 GEMM of depth <paramref name="k"/> with <paramref name="n"/> output columns.</summary>
    public KernelMxGemm(int k, int n, bool exact)
    {
        BlockFormat f = KnownBlockFormats.MxFp4;
        Element = new KernelCast(f.Element, RoundingContext.Default);
        K = k;
        N = n;
        Exact = exact ? 1 : 0;
        MaxSpan = MxFp4Gemm.ExactPathMaxSpan(k / f.BlockSize);
        ScaleBias = f.Scale.Bias;
        ScaleNaN = f.Scale.CanonicalNaN;
    }
}

/// <summary>
/// The exact MXFP4 GEMM as ILGPU kernel code: output C[i, j] sums block terms t_k = (Σ a·b) · X(A) · X(B) in block order,
/// block 0 first, as <see cref="Fp4Sim.Numerics.Mac.MxGemmReference"/> does, on the fast paths of <see cref="MxFp4Gemm"/>:
/// the binary32 accumulator adds each exact term with one RNE (inside the window
/// [<see cref="MxFp4Gemm.Fp32MinTermExponent"/>, <see cref="MxFp4Gemm.Fp32MaxTermExponent"/>] every term is a binary32,
/// so the product is exact and only the add rounds); the exact accumulator sums in binary64, exact while the terms'
/// exponents span at most <see cref="MxFp4Gemm.ExactPathMaxSpan"/>, and rounds once. An output meeting a NaN scale or a
/// term outside those bounds is flagged for the host, which computes it with the scalar reference.
/// </summary>
public static class KernelMxGemmOps
{
    /// <summary>
    /// Mirrors Decoder.Decode for E2M1 (any float format with subnormals and no special codes): the signed value in units
    /// of the subnormal quantum 2^(emin − M), an integer (E2M1: 2 × value, so 0, ±1 … ±12).
    /// </summary>
    public static int Units(KernelCast f, uint code)
    {
        uint magnitude = code & f.MagnitudeMask;
        int field = (int)(magnitude >> f.MantissaBits);
        int trailing = (int)(magnitude & f.TrailingMask);
        int units = field == 0 ? trailing : (trailing | (1 << f.MantissaBits)) << (field - 1);
        return (code & f.SignMask) != 0 ? -units : units;
    }

    /// <summary>Output <paramref name="o"/> (row-major M × N): writes C and whether the host must recompute it (1) or not (0).</summary>
    public static void Output(KernelMxGemm g, long o, ArrayView<byte> a, ArrayView<uint> aScales, ArrayView<byte> b, ArrayView<uint> bScales,
        ArrayView<float> c, ArrayView<byte> fallback)
    {
        long i = o / g.N, j = o % g.N;
        int blocks = g.K / 32;
        float sumF = 0;
        double sumD = 0;
        int minE = int.MaxValue, maxE = int.MinValue;
        bool refer = false;
        int unitExponent = g.Element.MinNormalExponent - g.Element.MantissaBits;
        for (int kb = 0; kb < blocks && !refer; kb++)
        {
            uint sa = aScales[i * blocks + kb], sb = bScales[j * blocks + kb];
            if (sa == g.ScaleNaN || sb == g.ScaleNaN) { refer = true; break; }
            int dot = 0;
            long ra = i * g.K + kb * 32, rb = j * g.K + kb * 32;
            for (int t = 0; t < 32; t++) dot += Units(g.Element, a[ra + t]) * Units(g.Element, b[rb + t]);
            if (dot == 0) continue; // an exact +0 term leaves either sum as it is
            int e = (int)sa + (int)sb - 2 * g.ScaleBias + 2 * unitExponent;
            if (g.Exact != 0)
            {
                minE = e < minE ? e : minE;
                maxE = e > maxE ? e : maxE;
                sumD += dot * KernelCodec.Pow2Double(e);
            }
            else if (e < MxFp4Gemm.Fp32MinTermExponent || e > MxFp4Gemm.Fp32MaxTermExponent) refer = true;
            else sumF += dot * KernelCodec.Pow2Single(e); // exact product (13-bit integer times a power of two in range), one RNE add
        }
        if (g.Exact != 0 && maxE >= minE && maxE - minE > g.MaxSpan) refer = true;
        c[o] = g.Exact != 0 ? (float)sumD : sumF;
        fallback[o] = refer ? (byte)1 : (byte)0;
    }
}
