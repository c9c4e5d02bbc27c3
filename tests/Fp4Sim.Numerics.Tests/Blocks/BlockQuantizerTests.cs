using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Blocks;

/// <summary>MX and NVFP4 block quantization against the published rules and worked examples.</summary>
public class BlockQuantizerTests
{
    private static float[] Block(int size, params float[] head)
    {
        var values = new float[size];
        head.CopyTo(values, 0);
        return values;
    }

    [Theory]
    [InlineData(3.9f, ScaleRule.Ocp, -1, 3.9f, 3.0)]     // floor(log2 3.9) − 2 = −1: X = 0.5, 3.9 / 0.5 = 7.8 clamps to 6: value 3
    [InlineData(7.0f, ScaleRule.Ocp, 0, 7.0f, 6.0)]      // OCP: X = 1, 7 clamps to 6
    [InlineData(7.0f, ScaleRule.Rceil, 1, 7.0f, 8.0)]    // NVIDIA: X = 2, 3.5 → 4 (RNE), value 8
    [InlineData(6.0f, ScaleRule.Rceil, 0, 6.0f, 6.0)]    // exactly max: no round-up
    [InlineData(6.0001f, ScaleRule.Rceil, 1, 6.0001f, 6.0)]
    public void MxFp4_ScaleRules_MatchPublishedExamples(float amax, ScaleRule rule, int expectedExponent, float x, double expectedValue)
    {
        BlockFormat f = KnownBlockFormats.MxFp4;
        Assert.Equal(expectedExponent, BlockQuantizer.SharedExponent(f, amax, rule));
        QuantizedBlocks q = BlockQuantizer.Quantize(f, Block(32, amax, x), new BlockQuantizeOptions(rule));
        Assert.Equal((uint)(expectedExponent + 127), q.Scales[0]);
        Assert.Equal(expectedValue, q.Value(1));
    }

    [Fact]
    public void Pieces_quantized_in_turn_equal_the_whole_tensor()
    {
        var random = new Random(5);
        foreach (BlockFormat f in KnownBlockFormats.All)
        {
            float[] values = Enumerable.Range(0, f.BlockSize * 37).Select(i => i % 97 == 5 ? float.PositiveInfinity
                : i % 89 == 7 ? float.NaN : (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-20, 20)))).ToArray();
            foreach (var options in new[]
                     {
                         new BlockQuantizeOptions(), new BlockQuantizeOptions(ScaleRule.Rceil, RoundingMode.Sr, BlockNaNPolicy.NaNScale, Seed: 9),
                         new BlockQuantizeOptions(NaNPolicy: BlockNaNPolicy.Ignore, ScaleRounding: RoundingMode.Rtz),
                     })
            {
                QuantizedBlocks whole = BlockQuantizer.Quantize(f, values, options);
                float tensorScale = f.HasTensorScale ? BlockQuantizer.TensorScaleForAmax(f, BlockQuantizer.FiniteAmax(values)) : 1f;
                Assert.Equal(whole.TensorScale, tensorScale);
                var scales = new uint[whole.Scales.Length];
                var elements = new byte[values.Length];
                for (int block = 0, piece = 1; block < scales.Length; block += piece, piece = piece % 5 + 1)
                {
                    int n = Math.Min(piece, scales.Length - block), start = block * f.BlockSize;
                    BlockQuantizer.QuantizeBlocks(f, values.AsSpan(start, n * f.BlockSize), tensorScale, options, (ulong)start,
                        scales.AsSpan(block), elements.AsSpan(start));
                }
                Assert.Equal(whole.Scales, scales);
                Assert.Equal(whole.Elements, elements);
            }
        }
    }

    [Fact]
    public void Mx_AllZeroAndTinyBlocks_GetScaleCode0()
    {
        foreach (ScaleRule rule in Enum.GetValues<ScaleRule>())
        {
            QuantizedBlocks zero = BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, new float[32], new BlockQuantizeOptions(rule));
            Assert.Equal(0u, zero.Scales[0]);
            Assert.All(zero.Elements, e => Assert.Equal(0, e));
            float tiny = (float)Math.ScaleB(1.0, -139); // gfloat: a block of 2^-139 gets the clamped scale 2^-127
            QuantizedBlocks small = BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, Block(32, tiny), new BlockQuantizeOptions(rule));
            Assert.Equal(0u, small.Scales[0]);
        }
    }

    [Fact]
    public void MxInt8_ReproducesMicroxcalingVectors_WithTiesAway()
    {
        float[] inputs = [1.0390625f, 1.0234375f, 1.99609375f, 0.0078125f, 0.00390625f, -1.984375f];
        double[] expected = [1.046875, 1.03125, 1.984375, 0.015625, 0, -1.984375];
        QuantizedBlocks q = BlockQuantizer.Quantize(KnownBlockFormats.MxInt8, Block(32, inputs),
            new BlockQuantizeOptions(ElementRounding: RoundingMode.Rna));
        Assert.Equal(127u, q.Scales[0]);
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(expected[i], q.Value(i));
    }

    [Theory]
    [InlineData(BlockNaNPolicy.NaNBlock)]
    [InlineData(BlockNaNPolicy.NaNScale)]
    [InlineData(BlockNaNPolicy.Ignore)]
    public void Mx_NonFiniteBlocks_FollowThePolicy(BlockNaNPolicy policy)
    {
        float[] values = Block(64, 1f, float.NaN, float.PositiveInfinity, -3f);
        values[40] = 2f;
        foreach (BlockFormat f in new[] { KnownBlockFormats.MxFp4, KnownBlockFormats.MxFp8E4M3 })
        {
            QuantizedBlocks q = BlockQuantizer.Quantize(f, values, new BlockQuantizeOptions(NaNPolicy: policy));
            Assert.Equal((uint)(127 + 1 - f.ElementMaxExponent), q.Scales[1]); // the clean second block (amax 2) is untouched
            uint expectedScale = policy == BlockNaNPolicy.Ignore ? (uint)(127 + 1 - f.ElementMaxExponent) : 0xFF;
            Assert.Equal(expectedScale, q.Scales[0]);
            if (policy == BlockNaNPolicy.NaNBlock)
                Assert.All(q.Elements[..32], e => Assert.Equal(f.Element.HasNaN ? f.Element.CanonicalNaN : 0u, e));
            else
            {
                Assert.Equal(f.Element.MaxFiniteMagnitude, q.Elements[2]);                 // +Inf saturates
                Assert.Equal(Encoder.Encode(f.Element, values[1]), q.Elements[1]);          // NaN: the element's own NaN rule
            }
            Assert.Equal(policy == BlockNaNPolicy.Ignore ? 1.0 : double.NaN, q.Value(0));
        }
    }

    [Fact]
    public void Mx_EveryElement_IsTheCoreEncodeOfXOverTheScale()
    {
        var random = new Random(31);
        float[] values = new float[32 * 64];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * Math.ScaleB(1.0, random.Next(-30, 30) / 4));
        foreach (BlockFormat f in KnownBlockFormats.All.Where(b => !b.HasTensorScale))
            foreach (ScaleRule rule in Enum.GetValues<ScaleRule>())
            {
                QuantizedBlocks q = BlockQuantizer.Quantize(f, values, new BlockQuantizeOptions(rule));
                for (int i = 0; i < values.Length; i++)
                {
                    int e = (int)q.Scales[i / 32] - 127 + f.ElementExponentOffset;
                    uint expected = Encoder.Encode(f.Element, Math.ScaleB(values[i], -e), RoundingContext.Default);
                    Assert.Equal(expected, q.Elements[i]);
                }
                if (rule == ScaleRule.Rceil) // nothing clamps: every element within half an element step of x
                    for (int b = 0; b < 64; b++)
                        Assert.True(Math.Abs(Decoder.Decode(f.Element, q.Elements[b * 32])) <= CodeSpace.MaxFinite(f.Element));
            }
    }

    [Fact]
    public void NvFp4_UsesTensorAndBlockScales()
    {
        float[] values = new float[32];
        for (int i = 0; i < 16; i++) values[i] = i;
        for (int i = 16; i < 32; i++) values[i] = (i - 16) / 100f;
        QuantizedBlocks q = BlockQuantizer.Quantize(KnownBlockFormats.NvFp4, values, new BlockQuantizeOptions());
        float expectedTensorScale = BitConverter.UInt32BitsToSingle(Encoder.EncodeQuotient(KnownFormats.Fp32, 15.0, 2688.0, RoundingContext.Default));
        Assert.Equal(expectedTensorScale, q.TensorScale);
        Assert.Equal(0x7Eu, q.Scales[0]);                  // 15 / (6 · 15/2688) = 448 → E4M3 max
        Assert.Equal(0x7u, q.Elements[15]);                // 15 → 6
        Assert.Equal(0x4u, q.Elements[5]);                 // 5 → 2
        Assert.Equal(15.0, q.Value(15), 5);
        for (int i = 0; i < 32; i++)
        {
            double unit = Decoder.Decode(KnownFormats.E4M3, q.Scales[i / 16]) * q.TensorScale; // one E2M1 unit at this scale
            Assert.True(Math.Abs(q.Value(i) - values[i]) <= unit, $"element {i}: {q.Value(i)} vs {values[i]}"); // half the widest step (2)
        }
        Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(KnownBlockFormats.NvFp4, new float[20], new BlockQuantizeOptions()));
    }

    [Fact]
    public void StochasticElements_AreReproducibleFromTheSeed()
    {
        float[] values = [.. Enumerable.Range(0, 64).Select(i => 0.3f + i / 10f)];
        var options = new BlockQuantizeOptions(ElementRounding: RoundingMode.Sr, Seed: 11);
        Assert.Equal(BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, values, options).Elements,
                     BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, values, options).Elements);
        Assert.NotEqual(BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, values, options).Elements,
                        BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, values, options with { Seed = 12 }).Elements);
    }
}
