using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Blocks;

/// <summary>Options of a block quantization.</summary>
/// <param name="ScaleRule">How MX shared exponents are chosen (NVFP4 ignores it).</param>
/// <param name="ElementRounding">Element rounding mode (every mode of the core; elements always saturate, as OCP MX clamps).</param>
/// <param name="NaNPolicy">What a block holding Inf/NaN becomes.</param>
/// <param name="ScaleRounding">NVFP4 block-scale rounding into E4M3 (saturating).</param>
/// <param name="Seed">Stream seed for stochastic element rounding: element i uses <see cref="StochasticBits.For"/>(seed, i).</param>
/// <param name="Convention">
/// Whose element conventions apply (<see cref="CastConvention"/>): e.g. microxcaling's MXINT8 clamps to ±127 and never
/// gives 0x80. The scale rule, NaN policy and scales are the options above whatever the convention.
/// </param>
public sealed record BlockQuantizeOptions(
    ScaleRule ScaleRule = ScaleRule.Ocp,
    RoundingMode ElementRounding = RoundingMode.Rne,
    BlockNaNPolicy NaNPolicy = BlockNaNPolicy.NaNBlock,
    RoundingMode ScaleRounding = RoundingMode.Rne,
    ulong Seed = 0,
    CastConvention Convention = CastConvention.Fp4Sim);

/// <summary>A quantized tensor: one scale code per block, one element code per element (unpacked), and NVFP4's tensor scale.</summary>
public sealed record QuantizedBlocks(BlockFormat Format, uint[] Scales, byte[] Elements, float TensorScale)
{
    /// <summary>The exact value of element i (binary64 holds every product exactly).</summary>
    public double Value(int i)
    {
        uint scale = Scales[i / Format.BlockSize];
        if (Decoder.Classify(Format.Scale, scale) == CodeClass.NaN) return double.NaN;
        double element = Math.ScaleB(Decoder.Decode(Format.Element, Elements[i]), Format.ElementExponentOffset);
        return element * Decoder.Decode(Format.Scale, scale) * (Format.HasTensorScale ? TensorScale : 1.0);
    }
}

/// <summary>
/// The scalar reference for block quantization (OCP MX v1.0 §6.3 and NVIDIA NVFP4), built on the element
/// <see cref="Encoder"/>: choose each block's scale from its amax, divide exactly, round each element once.
/// </summary>
public static class BlockQuantizer
{
    /// <summary>Quantizes <paramref name="values"/>, whose length must be a whole number of blocks.</summary>
    public static QuantizedBlocks Quantize(BlockFormat format, ReadOnlySpan<float> values, BlockQuantizeOptions options)
    {
        CheckWholeBlocks(format, values.Length);
        var scales = new uint[values.Length / format.BlockSize];
        var elements = new byte[values.Length];
        float tensorScale = format.HasTensorScale ? TensorScale(format, values) : 1f;
        QuantizeBlocks(format, values, tensorScale, options, 0, scales, elements);
        return new QuantizedBlocks(format, scales, elements, tensorScale);
    }

    /// <summary>
    /// Quantizes part of a tensor, for callers that stream one: <paramref name="values"/> are whole blocks starting at
    /// element <paramref name="firstElement"/> of the tensor (the index stochastic rounding keys on), and
    /// <paramref name="tensorScale"/> is the whole tensor's (<see cref="TensorScaleForAmax"/> of its
    /// <see cref="FiniteAmax"/>; 1 for one-level formats). The pieces of a tensor, quantized in turn, give exactly
    /// what <see cref="Quantize"/> gives for the whole. Writes one scale code per block and one element code per value.
    /// </summary>
    public static void QuantizeBlocks(BlockFormat format, ReadOnlySpan<float> values, float tensorScale, BlockQuantizeOptions options,
        ulong firstElement, Span<uint> scales, Span<byte> elements)
    {
        CheckWholeBlocks(format, values.Length);
        int blocks = values.Length / format.BlockSize;
        if (scales.Length < blocks || elements.Length < values.Length)
            throw new ArgumentException($"room for {scales.Length} scales and {elements.Length} elements; {blocks} blocks need more");
        for (int b = 0; b < blocks; b++)
        {
            int start = b * format.BlockSize;
            ReadOnlySpan<float> block = values.Slice(start, format.BlockSize);
            bool nonFinite = ContainsNonFinite(block);
            if (nonFinite && options.NaNPolicy == BlockNaNPolicy.NaNBlock)
            {
                scales[b] = format.Scale.CanonicalNaN;
                elements.Slice(start, format.BlockSize).Fill((byte)(format.Element.HasNaN ? format.Element.CanonicalNaN : 0));
                continue;
            }
            double amax = FiniteAmax(block);
            (uint scaleCode, double divisor) = format.HasTensorScale
                ? TwoLevelBlockScale(format, amax, tensorScale, options.ScaleRounding)
                : MxScale(format, amax, options.ScaleRule);
            for (int i = 0; i < block.Length; i++)
                elements[start + i] = (byte)EncodeElement(format, block[i], divisor, options, firstElement + (ulong)(start + i));
            scales[b] = nonFinite && options.NaNPolicy == BlockNaNPolicy.NaNScale ? format.Scale.CanonicalNaN : scaleCode;
        }
    }

    private static void CheckWholeBlocks(BlockFormat format, int length)
    {
        if (length % format.BlockSize != 0)
            throw new ArgumentException($"{length} values are not a whole number of {format.Name} blocks of {format.BlockSize}");
    }

    /// <summary>
    /// The MX shared exponent for a block amax, clamped to E8M0's [−127, 127]. Ocp: floor(log2 amax) − emax_elem.
    /// Rceil: the least e with ElementMax · 2^e ≥ amax (amax / max rounded up to a power of two, exactly).
    /// An all-zero block gets −127 (code 0x00) under both rules.
    /// </summary>
    public static int SharedExponent(BlockFormat format, double amax, ScaleRule rule)
    {
        if (amax == 0) return -127;
        int e = rule == ScaleRule.Ocp
            ? Math.ILogB(amax) - format.ElementMaxExponent
            : CeilingExponent(amax, format.ElementMax);
        return Math.Clamp(e, -127, 127);
    }

    private static int CeilingExponent(double amax, double max)
    {
        int e = Math.ILogB(amax) - Math.ILogB(max) - 1;
        while (Math.ScaleB(max, e) < amax) e++;
        return e;
    }

    private static (uint Code, double Divisor) MxScale(BlockFormat format, double amax, ScaleRule rule)
    {
        int e = SharedExponent(format, amax, rule);
        return ((uint)(e + format.Scale.Bias), Math.ScaleB(1.0, e + format.ElementExponentOffset));
    }

    /// <summary>
    /// The tensor scale of a two-level format (NVFP4): RNE_fp32(global finite amax / <see cref="BlockFormat.TensorScaleRange"/>)
    /// (448 · 6 for NVFP4), or 1 when that is 0 or there is no finite nonzero value.
    /// </summary>
    public static float TensorScale(BlockFormat format, ReadOnlySpan<float> values) => TensorScaleForAmax(format, FiniteAmax(values));

    /// <summary>The tensor scale of a two-level format for a tensor whose <see cref="FiniteAmax"/> is <paramref name="amax"/>.</summary>
    public static float TensorScaleForAmax(BlockFormat format, double amax)
    {
        uint bits = amax == 0 ? 0 : Encoder.EncodeQuotient(KnownFormats.Fp32, amax, format.TensorScaleRange, RoundingContext.Default);
        float scale = BitConverter.UInt32BitsToSingle(bits);
        return scale > 0 ? scale : 1f;
    }

    /// <summary>
    /// The block scale of a two-level format: R_scale(block amax / (element max · tensor scale)), saturating (for NVFP4
    /// R_e4m3(amax / (6 · tensor scale))); the element divisor is its value × tensor scale.
    /// </summary>
    private static (uint Code, double Divisor) TwoLevelBlockScale(BlockFormat format, double amax, float tensorScale, RoundingMode rounding)
    {
        var ctx = new RoundingContext(rounding, OverflowMode.Saturate);
        uint code = Encoder.EncodeQuotient(format.Scale, amax, format.ElementMax * tensorScale, ctx);
        return (code, Decoder.Decode(format.Scale, code) * tensorScale);
    }

    private static uint EncodeElement(BlockFormat format, float x, double divisor, BlockQuantizeOptions options, ulong index)
    {
        var ctx = new RoundingContext(options.ElementRounding, OverflowMode.Saturate,
            options.ElementRounding == RoundingMode.Sr ? StochasticBits.For(options.Seed, index) : 0, options.Convention);
        if (divisor == 0) return RoundPack.Zero(format.Element, float.IsNegative(x)); // a zero NVFP4 block scale flushes its block
        return Encoder.EncodeQuotient(format.Element, x, divisor, ctx);
    }

    private static bool ContainsNonFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return true;
        return false;
    }

    /// <summary>The largest finite magnitude among <paramref name="values"/> (0 when none); the max of pieces' is the whole's.</summary>
    public static double FiniteAmax(ReadOnlySpan<float> values)
    {
        double amax = 0;
        foreach (float v in values) if (float.IsFinite(v)) amax = Math.Max(amax, Math.Abs((double)v));
        return amax;
    }
}
