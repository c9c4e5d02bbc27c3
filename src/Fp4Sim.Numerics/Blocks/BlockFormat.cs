using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Blocks;

/// <summary>How a block's shared scale is chosen from its largest magnitude (amax).</summary>
public enum ScaleRule
{
    /// <summary>OCP MX v1.0: shared exponent = floor(log2 amax) − emax_elem, clamped to E8M0's range. The block max may clamp.</summary>
    Ocp,
    /// <summary>NVIDIA (cuBLAS/cuDNN/TransformerEngine "RCEIL"): amax / max_elem rounded up to a power of two; nothing clamps.</summary>
    Rceil,
}

/// <summary>What a block containing Inf or NaN becomes.</summary>
public enum BlockNaNPolicy
{
    /// <summary>microxcaling: the whole block is NaN: scale 0xFF, every element the element NaN code (0 where none exists).</summary>
    NaNBlock,
    /// <summary>torchao: scale 0xFF (so the block decodes to NaN) but the element codes are those the finite values would get.</summary>
    NaNScale,
    /// <summary>The scale comes from the finite values; Inf elements saturate, NaN elements follow the element format's NaN rule.</summary>
    Ignore,
}

/// <summary>
/// A block-scaled format as data: k elements of <see cref="Element"/> share one scale of <see cref="Scale"/>; element
/// i of a block represents Decode(element) · 2^<see cref="ElementExponentOffset"/> · Decode(scale) (· tensor scale for
/// NVFP4).
/// </summary>
/// <param name="Name">Catalogue name (mxfp4, nvfp4, …).</param>
/// <param name="Element">Element format.</param>
/// <param name="BlockSize">Elements per block (32 for MX, 16 for NVFP4).</param>
/// <param name="Scale">Scale format: E8M0 for MX, E4M3 (used unsigned) for NVFP4.</param>
/// <param name="ElementExponentOffset">Implicit element scaling: −6 for MXINT8 (values k/64), else 0.</param>
/// <param name="HasTensorScale">NVFP4's extra FP32 per-tensor scale.</param>
public sealed record BlockFormat(string Name, FormatInfo Element, int BlockSize, FormatInfo Scale, int ElementExponentOffset = 0,
    bool HasTensorScale = false)
{
    /// <summary>Largest finite element value, including the implicit offset (6 for E2M1, 127/64 for MXINT8).</summary>
    public double ElementMax => Math.ScaleB(Codec.CodeSpace.MaxFinite(Element), ElementExponentOffset);

    /// <summary>emax_elem = floor(log2(ElementMax)), the exponent of the element format's largest binade (OCP's rule).</summary>
    public int ElementMaxExponent => Math.ILogB(ElementMax);

    /// <summary>
    /// The per-tensor scale's denominator of a two-level format: the largest block scale times the largest element
    /// (448 · 6 for NVFP4), so the tensor amax maps onto the top of both ranges.
    /// </summary>
    public double TensorScaleRange => Codec.CodeSpace.MaxFinite(Scale) * ElementMax;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The block-format catalogue (OCP MX v1.0 concrete formats and NVIDIA NVFP4).</summary>
public static class KnownBlockFormats
{
    /// <summary>MXFP8 with E4M3 elements.</summary>
    public static readonly BlockFormat MxFp8E4M3 = new("mxfp8_e4m3", KnownFormats.E4M3, 32, KnownFormats.E8M0);
    /// <summary>MXFP8 with E5M2 elements.</summary>
    public static readonly BlockFormat MxFp8E5M2 = new("mxfp8_e5m2", KnownFormats.E5M2, 32, KnownFormats.E8M0);
    /// <summary>MXFP6 with E3M2 elements.</summary>
    public static readonly BlockFormat MxFp6E3M2 = new("mxfp6_e3m2", KnownFormats.E3M2, 32, KnownFormats.E8M0);
    /// <summary>MXFP6 with E2M3 elements.</summary>
    public static readonly BlockFormat MxFp6E2M3 = new("mxfp6_e2m3", KnownFormats.E2M3, 32, KnownFormats.E8M0);
    /// <summary>MXFP4: E2M1 elements.</summary>
    public static readonly BlockFormat MxFp4 = new("mxfp4", KnownFormats.E2M1, 32, KnownFormats.E8M0);
    /// <summary>MXINT8: two's complement int8 elements with an implicit 2^−6 (values k/64, −2 … 127/64).</summary>
    public static readonly BlockFormat MxInt8 = new("mxint8", KnownFormats.Int8, 32, KnownFormats.E8M0, ElementExponentOffset: -6);
    /// <summary>NVFP4: E2M1 elements, blocks of 16, an E4M3 block scale and an FP32 tensor scale.</summary>
    public static readonly BlockFormat NvFp4 = new("nvfp4", KnownFormats.E2M1, 16, KnownFormats.E4M3, HasTensorScale: true);

    /// <summary>Every catalogued block format.</summary>
    public static IReadOnlyList<BlockFormat> All { get; } = [MxFp8E4M3, MxFp8E5M2, MxFp6E3M2, MxFp6E2M3, MxFp4, MxInt8, NvFp4];

    /// <summary>Finds a block format by name, or throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static BlockFormat Parse(string name) =>
        All.FirstOrDefault(b => b.Name == name.Trim().ToLowerInvariant())
        ?? throw new FormatException($"unknown block format '{name}' (expected {string.Join(", ", All.Select(b => b.Name))})");
}
