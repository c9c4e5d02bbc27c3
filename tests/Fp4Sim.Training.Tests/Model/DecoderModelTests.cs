using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>What the model asks of its <see cref="ILinearGemms"/>.</summary>
public class DecoderModelTests
{
    [Fact]
    public void EveryBlockLinearGoesThroughTheGemmsWithBlockAlignedShapesAndDerivedSeeds()
    {
        var gemms = new RecordingGemms();
        var model = new DecoderModel(new DecoderParameters(new DecoderConfig(), seed: 3), gemms);
        var tokens = new byte[8 * 64];
        model.Forward(tokens, tokens, batch: 8);
        model.Backward(runSeed: 77, step: 5);

        (int, int, int)[] block = [(512, 128, 384), (512, 128, 128), (512, 128, 512), (512, 256, 128)];
        Assert.Equal([.. block, .. block], gemms.Forwards);
        // Backward runs the blocks last to first, each from its down projection back to its QKV projection.
        (int, int, int, ulong)[] expected = [.. new[] { 1, 0 }.SelectMany(layer => new[]
        {
            (512, 256, 128, BackwardSeeds.For(77, 5, layer, BlockLinear.Down)),
            (512, 128, 512, BackwardSeeds.For(77, 5, layer, BlockLinear.GateUp)),
            (512, 128, 128, BackwardSeeds.For(77, 5, layer, BlockLinear.AttentionOutput)),
            (512, 128, 384, BackwardSeeds.For(77, 5, layer, BlockLinear.Qkv)),
        })];
        Assert.Equal(expected, gemms.Backwards);
        Assert.All(gemms.Forwards, s => Assert.True(s.Item1 % 32 == 0 && s.Item2 % 32 == 0 && s.Item3 % 32 == 0));
        Assert.True(model.LinearGemmTicks > 0);
    }

    [Fact]
    public void BackwardNeedsAKeptForwardPass()
    {
        var model = new DecoderModel(new DecoderParameters(new DecoderConfig(), seed: 3), new Fp32LinearGemms());
        var tokens = new byte[8 * 64];
        Assert.Throws<InvalidOperationException>(() => model.Backward(1, 0));
        model.Forward(tokens, tokens, batch: 8, keepForBackward: false);
        Assert.Throws<InvalidOperationException>(() => model.Backward(1, 0));
        Assert.Throws<ArgumentException>(() => model.Forward(tokens[..100], tokens[..100], batch: 8));
    }
}
