using Fp4Sim.Numerics.Blocks;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// <see cref="BlockQuantizer"/> as ILGPU kernel code, function by function: the finite amax, the shared exponent (both
/// rules), the two-level block scale, and one block's codes under each NaN policy. Values travel as float32 bits.
/// </summary>
public static class KernelBlockQuantizer
{
    /// <summary>
    /// Mirrors <see cref="BlockQuantizer.FiniteAmax"/> as bits: the largest |x| over finite values, as float32 bits (0 when
    /// none); the bits of nonnegative floats order as their values.
    /// </summary>
    public static uint FiniteAmaxBits(ArrayView<uint> values, long start, int count)
    {
        uint amax = 0;
        for (int i = 0; i < count; i++)
        {
            uint magnitude = values[start + i] & 0x7FFFFFFF;
            if (KernelCodec.Finite(magnitude) && magnitude > amax) amax = magnitude;
        }
        return amax;
    }

    /// <summary>Mirrors <see cref="BlockQuantizer.SharedExponent"/> for an amax given as float32 bits.</summary>
    public static int SharedExponent(KernelBlock b, uint amaxBits)
    {
        if (amaxBits == 0) return -127;
        int e = b.Rceil != 0 ? CeilingExponent(b, amaxBits) : ILogB(amaxBits) - b.ElementMaxExponent;
        return e < -127 ? -127 : e > 127 ? 127 : e;
    }

    /// <summary>
    /// Mirrors BlockQuantizer.CeilingExponent: the least e with ElementMax · 2^e ≥ amax. Both have floor(log2) = log2(amax)
    /// at e0 = ⌊log2 amax⌋ − ⌊log2 max⌋, so e0 holds when max's left-aligned significand is at least amax's, else e0 + 1.
    /// </summary>
    public static int CeilingExponent(KernelBlock b, uint amaxBits)
    {
        (ulong s, int x) = KernelCodec.Split(amaxBits);
        int sZeros = IntrinsicMath.BitOperations.LeadingZeroCount(s), mZeros = IntrinsicMath.BitOperations.LeadingZeroCount(b.ElementMaxSignificand);
        int e0 = (63 - sZeros + x) - (63 - mZeros + b.ElementMaxUnitExponent);
        return (b.ElementMaxSignificand << mZeros) >= (s << sZeros) ? e0 : e0 + 1;
    }

    /// <summary>Math.ILogB of a positive finite float32 given by its bits.</summary>
    public static int ILogB(uint bits)
    {
        (ulong s, int x) = KernelCodec.Split(bits);
        return 63 - IntrinsicMath.BitOperations.LeadingZeroCount(s) + x;
    }

    /// <summary>
    /// Mirrors the block loop of <see cref="BlockQuantizer.QuantizeBlocks"/> for block <paramref name="block"/>: a NaN block
    /// under <see cref="BlockNaNPolicy.NaNBlock"/>, else the scale from the finite amax (MX: 2^e; two-level: the rounded
    /// block scale times the tensor scale) and each element rounded once; <see cref="BlockNaNPolicy.NaNScale"/> then marks
    /// the scale NaN. Element e of the tensor rounds stochastically with StochasticBits.For(seed, firstElement + e).
    /// </summary>
    public static void QuantizeBlock(KernelBlock b, long block, ulong firstElement, ArrayView<uint> values, ArrayView<uint> scales,
        ArrayView<byte> elements)
    {
        long start = block * b.BlockSize;
        bool nonFinite = false;
        for (int i = 0; i < b.BlockSize; i++) nonFinite |= !KernelCodec.Finite(values[start + i]);
        if (nonFinite && b.NaNPolicy == KernelBlock.NaNBlock)
        {
            scales[block] = b.ScaleNaN;
            for (int i = 0; i < b.BlockSize; i++) elements[start + i] = (byte)b.ElementNaNFill;
            return;
        }
        uint amax = FiniteAmaxBits(values, start, b.BlockSize);
        uint scaleCode;
        if (b.TwoLevel != 0)
        {
            (ulong ts, int tx) = KernelCodec.Split(b.TensorScaleBits);
            scaleCode = KernelCodec.EncodeQuotient(b.Scale, amax, b.ElementMaxSignificand * ts, b.ElementMaxUnitExponent + tx, 0u);
            (ulong ss, int sx) = ScaleSignificand(b.Scale, scaleCode);
            for (int i = 0; i < b.BlockSize; i++)
            {
                uint x = values[start + i];
                uint random = Random(b, firstElement + (ulong)(start + i));
                elements[start + i] = (byte)(ss == 0 // a zero block scale flushes its block (BlockQuantizer.EncodeElement)
                    ? KernelRoundPack.Zero(b.Element, (x >> 31) != 0)
                    : KernelCodec.EncodeQuotient(b.Element, x, ss * ts, sx + tx, random));
            }
        }
        else
        {
            int e = SharedExponent(b, amax);
            scaleCode = (uint)(e + b.Scale.Bias);
            for (int i = 0; i < b.BlockSize; i++)
            {
                uint random = Random(b, firstElement + (ulong)(start + i));
                elements[start + i] = (byte)KernelCodec.EncodeScaled(b.Element, values[start + i], e + b.ElementExponentOffset, random);
            }
        }
        scales[block] = nonFinite && b.NaNPolicy == KernelBlock.NaNScale ? b.ScaleNaN : scaleCode;
    }

    /// <summary>
    /// Mirrors Decoder.Decode for a finite nonnegative code of a float scale format (E4M3): its value as an integer
    /// significand (0 for the zero code) and the exponent of its unit.
    /// </summary>
    public static (ulong Significand, int Exponent) ScaleSignificand(KernelCast f, uint code)
    {
        uint magnitude = code & f.MagnitudeMask;
        uint field = magnitude >> f.MantissaBits;
        uint trailing = magnitude & f.TrailingMask;
        if (field == 0 && f.HasZero != 0) return (f.Subnormals != 0 ? trailing : 0u, f.MinNormalExponent - f.MantissaBits);
        return (trailing | (1u << f.MantissaBits), (int)field - f.Bias - f.MantissaBits);
    }

    private static uint Random(KernelBlock b, ulong index) =>
        b.Element.Mode == KernelCast.Sr ? KernelCodec.StochasticBitsFor(b.Element.Seed, index) : 0u;
}
