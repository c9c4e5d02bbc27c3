using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Search;

/// <summary>The factored objective the search uses equals the direct layer-output error.</summary>
public sealed class FactoredObjectiveTests
{
    [Theory]
    [InlineData(300, 32, 96)]
    [InlineData(300, 96, 32)]
    public void Factored_errors_equal_the_direct_errors(int rows, int din, int dout)
    {
        LayerSample s = SyntheticLayer.Create(rows, din, dout, seed: 7);
        var direct = new LayerObjective(s, 1);
        ElementFormat f = ElementFormat.Fp(2, 1);
        float[] wq = TensorQuantizer.FromBiases(f, ChannelAxis.Columns, Enumerable.Repeat(f.BiasForMax(0.1), dout).ToArray()).Apply(s.Layer.Weight, din, dout);
        float[] xq = TensorQuantizer.FromBiases(f, ChannelAxis.Tensor, [f.BiasForMax(8)]).Apply(s.Input, rows, din);
        double[] expected = direct.ChannelErrors(xq, wq);
        double[] perChannel = new FactoredObjective.Weights(s, xq, 1).ChannelErrors(wq);
        for (int k = 0; k < dout; k++) Assert.Equal(expected[k], perChannel[k], expected[k] * 1e-4 + 1e-9);
        double total = new FactoredObjective.Activations(s, wq, 1).TotalError(xq);
        Assert.Equal(expected.Sum(), total, expected.Sum() * 1e-4);
    }
}
