using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Fp4Sim.Training.Quartet.Gpu;

/// <summary>One Quartet quantization's method and constants as plain fields for the kernel (taken from <see cref="QuartetQuantizer"/>).</summary>
public readonly struct KernelQuartet
{
    /// <summary>Values of <see cref="QuartetMethod"/> (the enum's order).</summary>
    public const int Quest = 0, AbsMax = 1, AbsMaxSr = 2;

    /// <summary>The method as its enum value.</summary>
    public readonly int Method;
    /// <summary><see cref="QuartetQuantizer.QuestFactor"/>.</summary>
    public readonly double QuestFactor;
    /// <summary><see cref="QuartetQuantizer.QuestEpsilon"/>.</summary>
    public readonly double QuestEpsilon;
    /// <summary>E2M1, saturating, round to nearest even (the stochastic method swaps in <see cref="KernelCast.Sr"/> per call).</summary>
    public readonly KernelCast Nearest;
    /// <summary>E2M1, saturating, stochastic rounding with the stream seed.</summary>
    public readonly KernelCast Stochastic;
    /// <summary>MXFP4 under the OCP rule: the absmax scale is <see cref="KernelBlockQuantizer.SharedExponent"/> of it.</summary>
    public readonly KernelBlock Block;

    /// <summary>Flattens a method and its stream seed.</summary>
    public KernelQuartet(QuartetMethod method, ulong srSeed)
    {
        Method = (int)method;
        QuestFactor = QuartetQuantizer.QuestFactor;
        QuestEpsilon = QuartetQuantizer.QuestEpsilon;
        Nearest = new KernelCast(KnownFormats.E2M1, RoundingContext.Default);
        Stochastic = new KernelCast(KnownFormats.E2M1, new RoundingContext(RoundingMode.Sr, OverflowMode.Saturate), srSeed);
        Block = new KernelBlock(QuartetQuantizer.Format, new BlockQuantizeOptions(ScaleRule.Ocp), 1f);
    }
}

/// <summary>
/// <see cref="QuartetQuantizer"/> as ILGPU kernel code, function by function, on float32 bits. binary64 products go
/// through <see cref="MultiplyRne"/>: ILGPU writes <c>mul.f64</c> without a rounding modifier, which ptxas may fuse with
/// the following add into one FMA (one rounding instead of the reference's two).
/// </summary>
public static class KernelQuartetOps
{
    /// <summary>RNE(a · b) in binary64, never fused with a later add: <c>mul.rn.f64</c> on CUDA, the C# product elsewhere.</summary>
    public static double MultiplyRne(double a, double b)
    {
        if (!CudaAsm.IsSupported) return a * b;
        CudaAsm.Emit("mul.rn.f64 %0, %1, %2;", out double product, a, b);
        return product;
    }

    /// <summary>Mirrors <see cref="QuartetQuantizer.PopulationStd"/>: two passes in index order, every operation RNE.</summary>
    public static double PopulationStd(ArrayView<uint> r, long start)
    {
        double sum = 0;
        for (int i = 0; i < QuartetQuantizer.GroupSize; i++) sum += Interop.IntAsFloat(r[start + i]);
        double mean = sum / QuartetQuantizer.GroupSize;
        double squares = 0;
        for (int i = 0; i < QuartetQuantizer.GroupSize; i++)
        {
            double d = Interop.IntAsFloat(r[start + i]) - mean;
            squares += MultiplyRne(d, d);
        }
        return Math.Sqrt(squares / QuartetQuantizer.GroupSize);
    }

    /// <summary>Mirrors <see cref="QuartetQuantizer.QuestExponent"/>: floor(log2(σ · factor + ε)) clamped to [−127, 127].</summary>
    public static int QuestExponent(KernelQuartet q, ArrayView<uint> r, long start)
    {
        double t = MultiplyRne(PopulationStd(r, start), q.QuestFactor) + q.QuestEpsilon;
        ulong bits = (ulong)Interop.FloatAsInt(t);
        int field = (int)((bits >> 52) & 0x7FF); // t ≥ 1e−8: normal, so ILogB is the unbiased field
        int e = field - 1023;
        return e < -127 ? -127 : e > 127 ? 127 : e;
    }

    /// <summary>
    /// Mirrors <see cref="QuartetQuantizer.AbsMaxExponent"/>: the OCP shared exponent of the group's amax (every value is
    /// finite, so the finite amax is the amax), through the block quantizer's own mirror.
    /// </summary>
    public static int AbsMaxExponent(KernelQuartet q, ArrayView<uint> r, long start) =>
        KernelBlockQuantizer.SharedExponent(q.Block, KernelBlockQuantizer.FiniteAmaxBits(r, start, QuartetQuantizer.GroupSize));

    /// <summary>Mirrors <see cref="QuartetQuantizer.AbsMaxElement"/>: the rounding of 3 · r / 2^(E+2) (3 · r is exact in 26 bits).</summary>
    public static uint AbsMaxElement(KernelCast f, uint bits, int exponent, uint randomBits)
    {
        bool negative = (bits >> 31) != 0;
        if ((bits & 0x7FFFFFFF) == 0) return KernelRoundPack.Zero(f, negative);
        (ulong significand, int e) = KernelCodec.Split(bits);
        return KernelRoundPack.RoundFinite(f, negative, 3 * significand, e - (exponent + 2), randomBits);
    }

    /// <summary>
    /// Mirrors <see cref="QuartetQuantizer.QuantizeGroup"/> for group <paramref name="group"/> of finite values: its scale
    /// code, 32 element codes and trust mask. Element i of a stochastic group uses StochasticBits.For(seed, firstIndex + 32·group + i).
    /// </summary>
    public static void QuantizeGroup(KernelQuartet q, long group, ulong firstIndex, ArrayView<uint> r, ArrayView<uint> scales,
        ArrayView<byte> elements, ArrayView<uint> masks)
    {
        int size = QuartetQuantizer.GroupSize;
        long start = group * size;
        uint mask = uint.MaxValue;
        int e;
        if (q.Method == KernelQuartet.Quest)
        {
            e = QuestExponent(q, r, start);
            double limit = 6 * KernelCodec.Pow2Double(e); // |r · 2^−e| < 6, exactly
            for (int i = 0; i < size; i++)
            {
                uint bits = r[start + i];
                elements[start + i] = (byte)KernelCodec.EncodeScaled(q.Nearest, bits, e, 0u);
                if (!(Math.Abs((double)Interop.IntAsFloat(bits)) < limit)) mask &= ~(1u << i);
            }
        }
        else
        {
            e = AbsMaxExponent(q, r, start);
            for (int i = 0; i < size; i++)
            {
                ulong index = firstIndex + (ulong)(start + i);
                elements[start + i] = q.Method == KernelQuartet.AbsMaxSr
                    ? (byte)AbsMaxElement(q.Stochastic, r[start + i], e, KernelCodec.StochasticBitsFor(q.Stochastic.Seed, index))
                    : (byte)AbsMaxElement(q.Nearest, r[start + i], e, 0u);
            }
        }
        scales[group] = (uint)(e + 127);
        masks[group] = mask;
    }
}
