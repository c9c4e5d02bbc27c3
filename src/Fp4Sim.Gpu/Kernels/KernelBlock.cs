using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// A block format and the options of one block quantization as plain fields: what the block kernels receive by value.
/// Built on the host from a <see cref="BlockFormat"/> and <see cref="BlockQuantizeOptions"/>; every derived number
/// (element max, its exponent, the canonical codes) is taken from the format record, not re-derived.
/// </summary>
public readonly struct KernelBlock
{
    /// <summary>Values of <see cref="BlockNaNPolicy"/> (the enum's order).</summary>
    public const int NaNBlock = 0, NaNScale = 1, Ignore = 2;

    /// <summary>The element cast: <see cref="BlockQuantizeOptions.ElementRounding"/>, saturating, the stochastic seed.</summary>
    public readonly KernelCast Element;
    /// <summary>The scale format; for two-level formats with <see cref="BlockQuantizeOptions.ScaleRounding"/>, saturating.</summary>
    public readonly KernelCast Scale;
    /// <summary><see cref="BlockFormat.BlockSize"/>.</summary>
    public readonly int BlockSize;
    /// <summary><see cref="BlockFormat.ElementExponentOffset"/>.</summary>
    public readonly int ElementExponentOffset;
    /// <summary>1 for a two-level format (NVFP4: an E4M3 block scale under an FP32 tensor scale).</summary>
    public readonly int TwoLevel;
    /// <summary>1 for <see cref="ScaleRule.Rceil"/>, 0 for <see cref="ScaleRule.Ocp"/>.</summary>
    public readonly int Rceil;
    /// <summary><see cref="BlockNaNPolicy"/> as its enum value.</summary>
    public readonly int NaNPolicy;
    /// <summary><see cref="BlockFormat.ElementMaxExponent"/> (OCP's emax_elem).</summary>
    public readonly int ElementMaxExponent;
    /// <summary><see cref="BlockFormat.ElementMax"/> = ElementMaxSignificand · 2^ElementMaxUnitExponent (odd integer significand).</summary>
    public readonly ulong ElementMaxSignificand;
    /// <summary>The exponent of <see cref="ElementMaxSignificand"/>'s unit.</summary>
    public readonly int ElementMaxUnitExponent;
    /// <summary>The scale format's canonical NaN code (0xFF for E8M0, 0x7F for E4M3).</summary>
    public readonly uint ScaleNaN;
    /// <summary>What every element of a NaN block becomes: the element NaN code, or 0 where the element format has none.</summary>
    public readonly uint ElementNaNFill;
    /// <summary>The tensor scale's float32 bits (two-level formats; 1.0f otherwise).</summary>
    public readonly uint TensorScaleBits;

    /// <summary>Flattens a block format, its options and (two-level formats) the tensor scale.</summary>
    /// <exception cref="ArgumentException">A convention other than fp4sim, or an element or scale format the kernels refuse.</exception>
    public KernelBlock(BlockFormat format, BlockQuantizeOptions options, float tensorScale)
    {
        if (options.Convention != CastConvention.Fp4Sim)
            throw new ArgumentException($"convention {options.Convention}: the ILGPU block kernels implement the fp4sim convention only");
        Element = new KernelCast(format.Element, new RoundingContext(options.ElementRounding, OverflowMode.Saturate), options.Seed);
        Scale = new KernelCast(format.Scale, new RoundingContext(options.ScaleRounding, OverflowMode.Saturate));
        BlockSize = format.BlockSize;
        ElementExponentOffset = format.ElementExponentOffset;
        TwoLevel = format.HasTensorScale ? 1 : 0;
        Rceil = options.ScaleRule == ScaleRule.Rceil ? 1 : 0;
        NaNPolicy = (int)options.NaNPolicy;
        ElementMaxExponent = format.ElementMaxExponent;
        long bits = BitConverter.DoubleToInt64Bits(format.ElementMax);
        ulong significand = (ulong)(bits & 0xFFFFFFFFFFFFFL) | (1UL << 52);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        int zeros = System.Numerics.BitOperations.TrailingZeroCount(significand);
        ElementMaxSignificand = significand >> zeros;
        ElementMaxUnitExponent = exponent + zeros;
        ScaleNaN = format.Scale.CanonicalNaN;
        ElementNaNFill = format.Element.HasNaN ? format.Element.CanonicalNaN : 0u;
        TensorScaleBits = BitConverter.SingleToUInt32Bits(format.HasTensorScale ? tensorScale : 1f);
        if (format.HasTensorScale && (!float.IsFinite(tensorScale) || tensorScale <= 0))
            throw new ArgumentException($"the tensor scale must be finite and positive, got {tensorScale}");
    }
}
