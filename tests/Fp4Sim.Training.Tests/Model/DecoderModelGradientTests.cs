using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Model;
using Xunit.Abstractions;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>The whole model's backward pass against central differences of its float32 loss.</summary>
public class DecoderModelGradientTests(ITestOutputHelper output)
{
    // Small but with every part: 2 layers, 2 heads of 16, RoPE over 32 positions, 2 windows (64 tokens).
    private static readonly DecoderConfig Small = new(Context: 32, ModelDim: 32, Layers: 2, Heads: 2, FfnHidden: 64, InitStd: 0.3f);
    private const int Batch = 2;

    private static (byte[] Inputs, byte[] Targets) Tokens(ulong seed)
    {
        var random = new SplitMix64(seed);
        byte[] stream = [.. Enumerable.Range(0, Batch * Small.Context + 1).Select(_ => (byte)random.NextInt(256))];
        return (stream[..^1], stream[1..]);
    }

    [Fact]
    public void EveryTensorsGradientMatchesCentralDifferences()
    {
        var parameters = new DecoderParameters(Small, seed: 21);
        // Gains of 1 (the initialization) would hide a backward pass that reads the wrong norm's gain; make each distinct.
        var gains = new NormalSampler(24);
        foreach (Parameter gain in parameters.All.Where(p => p.Rows == 1))
            for (int i = 0; i < gain.Value.Length; i++) gain.Value[i] = (float)(1 + 0.3 * gains.Next());
        var model = new DecoderModel(parameters, new Fp32LinearGemms());
        (byte[] inputs, byte[] targets) = Tokens(22);
        model.Forward(inputs, targets, Batch);
        model.Backward(runSeed: 1, step: 0);
        double Loss() => model.Forward(inputs, targets, Batch, keepForBackward: false);

        var picker = new SplitMix64(23);
        foreach (Parameter p in parameters.All)
        {
            // The entries with the largest gradients (where a wrong formula shows) and a few random ones.
            int[] largest = [.. Enumerable.Range(0, p.Grad.Length).OrderByDescending(i => Math.Abs(p.Grad[i])).Take(3)];
            int[] picked = [.. largest.Concat(Enumerable.Range(0, 3).Select(_ => picker.NextInt(p.Grad.Length))).Distinct()];
            float gradScale = p.Grad.Max(Math.Abs);
            foreach (int i in picked)
            {
                const float step = 3e-3f;
                float saved = p.Value[i];
                p.Value[i] = saved + step;
                double plus = Loss();
                p.Value[i] = saved - step;
                double minus = Loss();
                p.Value[i] = saved;
                double numeric = (plus - minus) / (2 * step);
                double error = Math.Abs(numeric - p.Grad[i]);
                output.WriteLine($"{p.Name}[{i}]: analytic {p.Grad[i]:E4} numeric {numeric:E4} error/scale {error / gradScale:E2}");
                Assert.True(error <= 1e-2 * gradScale + 1e-2 * Math.Abs(numeric),
                    $"{p.Name}[{i}]: analytic {p.Grad[i]} vs numeric {numeric} (largest |grad| {gradScale})");
            }
        }
    }
}
