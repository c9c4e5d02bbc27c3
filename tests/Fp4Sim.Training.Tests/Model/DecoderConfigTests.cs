using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>Configuration checks, weight initialization and backward seeds.</summary>
public class DecoderConfigTests
{
    [Fact]
    public void DefaultsAreTheSpecifiedModel()
    {
        var config = new DecoderConfig();
        config.Validate();
        Assert.Equal((256, 64, 128, 2, 4, 32, 256), (config.VocabSize, config.Context, config.ModelDim, config.Layers, config.Heads,
            config.HeadDim, config.FfnHidden));
        var parameters = new DecoderParameters(config, seed: 1);
        // embedding 256·128, per layer 2·128 gains + 384·128 + 128·128 + 512·128 + 128·256, final gain, head 256·128
        Assert.Equal(2 * 32768 + 128 + 2 * (256 + 49152 + 16384 + 65536 + 32768), parameters.Count);
    }

    [Theory]
    [InlineData(100, 4, 256, "ModelDim must be a positive multiple of 32")]
    [InlineData(128, 4, 250, "FfnHidden must be a positive multiple of 32")]
    [InlineData(128, 3, 256, "Heads (3) must divide ModelDim (128)")]
    [InlineData(96, 32, 256, "must be even for RoPE")]
    public void InvalidShapesAreRefusedWithTheReason(int modelDim, int heads, int hidden, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new DecoderConfig(ModelDim: modelDim, Heads: heads, FfnHidden: hidden).Validate());
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TokenCountMustBeAMultipleOf32()
    {
        var config = new DecoderConfig(Context: 48);
        config.ValidateBatch(2);
        var error = Assert.Throws<ArgumentException>(() => config.ValidateBatch(3));
        Assert.Contains("3 × 48 = 144", error.Message);
    }

    [Fact]
    public void InitializationIsSeededNormalWithUnitGains()
    {
        var config = new DecoderConfig();
        var a = new DecoderParameters(config, seed: 5);
        var b = new DecoderParameters(config, seed: 5);
        var c = new DecoderParameters(config, seed: 6);
        Assert.Equal(a.Blocks[1].Qkv.Value, b.Blocks[1].Qkv.Value);
        Assert.NotEqual(a.Blocks[1].Qkv.Value, c.Blocks[1].Qkv.Value);
        Assert.All(a.Blocks[0].AttentionNorm.Value, g => Assert.Equal(1f, g));

        float[] w = a.Blocks[0].GateUp.Value;
        double mean = w.Average(v => (double)v), std = Math.Sqrt(w.Average(v => (double)v * v) - mean * mean);
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(std, 0.0196, 0.0204);
        Assert.Equal(["embedding", "layer0.attn_norm", "layer0.qkv", "layer0.attn_out", "layer0.ffn_norm", "layer0.gate_up",
            "layer0.down"], a.All.Take(7).Select(p => p.Name));
        Assert.Equal(["layer0.qkv", "layer0.attn_out", "layer0.gate_up", "layer0.down", "layer1.qkv", "layer1.attn_out",
            "layer1.gate_up", "layer1.down", "head"], a.All.Where(p => p.Decay).Select(p => p.Name));
    }

    [Fact]
    public void NormalSamplerHasUnitVariance()
    {
        var sampler = new NormalSampler(42);
        double[] x = [.. Enumerable.Range(0, 200_000).Select(_ => sampler.Next())];
        double mean = x.Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(x.Average(v => v * v) - mean * mean, 0.98, 1.02);
        Assert.InRange(x.Count(v => Math.Abs(v) < 1) / (double)x.Length, 0.68, 0.685); // P(|z| < 1) = 0.6827
    }

    [Fact]
    public void BackwardSeedsAreDistinctPerStepLayerAndLinearAndFollowTheRunSeed()
    {
        var seeds = new HashSet<ulong>();
        for (int step = 0; step < 50; step++)
            for (int layer = 0; layer < 4; layer++)
                foreach (BlockLinear linear in Enum.GetValues<BlockLinear>()) Assert.True(seeds.Add(BackwardSeeds.For(9, step, layer, linear)));
        Assert.Equal(BackwardSeeds.For(9, 3, 1, BlockLinear.Down), BackwardSeeds.For(9, 3, 1, BlockLinear.Down));
        Assert.NotEqual(BackwardSeeds.For(9, 3, 1, BlockLinear.Down), BackwardSeeds.For(10, 3, 1, BlockLinear.Down));
        // No call reuses the run seed's own stream, whose outputs seed the weights and the batches.
        var run = new Fp4Sim.Numerics.Rounding.SplitMix64(9);
        Assert.DoesNotContain(run.Next(), seeds);
        Assert.DoesNotContain(run.Next(), seeds);
    }
}
