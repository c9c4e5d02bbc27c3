using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Search;

/// <summary>The sparse-row product the objective uses for ReLU inputs equals the dense product.</summary>
public sealed class SparseRowsTests
{
    [Fact]
    public void Sparse_input_errors_equal_the_dense_errors()
    {
        LayerSample dense = SyntheticLayer.Create(rows: 200, din: 96, dout: 40, seed: 11);
        float[] x = (float[])dense.Input.Clone();
        for (int i = 0; i < x.Length; i++) if (i % 10 != 3) x[i] = 0; // 90 % zeros, like a ReLU output
        var o = new float[dense.Rows * dense.Layer.Out];
        Fp4Sim.Quantization.Transformer.Float32Linear.Multiply(x, dense.Layer.Weight, dense.Layer.Bias, dense.Rows, dense.Layer.In,
            dense.Layer.Out, o, 1);
        var sample = new LayerSample(dense.Layer, x, o, dense.Rows);
        var objective = new LayerObjective(sample, 2);
        Assert.True(objective.SparseInput);
        var sparse = new float[o.Length];
        SparseRows.Multiply(x, dense.Layer.Weight, dense.Layer.Bias, dense.Rows, dense.Layer.In, dense.Layer.Out, sparse, 2);
        for (int i = 0; i < o.Length; i++) Assert.Equal(o[i], sparse[i], Math.Abs(o[i]) * 1e-5f + 1e-6f);
        float[] wq = dense.Layer.Weight.Select(w => MathF.Round(w * 64) / 64).ToArray();
        double[] errors = objective.ChannelErrors(x, wq);
        var expected = new double[dense.Layer.Out];
        var y = new float[o.Length];
        Fp4Sim.Quantization.Transformer.Float32Linear.Multiply(x, wq, dense.Layer.Bias, dense.Rows, dense.Layer.In, dense.Layer.Out, y, 1);
        for (int i = 0; i < y.Length; i++) expected[i % dense.Layer.Out] += (double)(y[i] - o[i]) * (y[i] - o[i]);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], errors[k], expected[k] * 1e-3 + 1e-9);
    }
}
