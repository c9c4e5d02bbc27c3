using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Tests.Search;

/// <summary>Small seeded layers for search tests: Gaussian weights, heavy-tailed activations with a few outlier channels.</summary>
internal static class SyntheticLayer
{
    public static LayerSample Create(int rows, int din, int dout, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var w = new float[din * dout];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(0.05 * Gaussian());
        var b = new float[dout];
        for (int i = 0; i < b.Length; i++) b[i] = (float)(0.01 * Gaussian());
        var x = new float[rows * din];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < din; j++) x[r * din + j] = (float)(Gaussian() * (j % 7 == 3 ? 20 : 1)); // outlier channels
        var layer = new LinearLayer("synthetic", din, dout, w, b);
        var o = new float[rows * dout];
        Float32Linear.Multiply(x, w, b, rows, din, dout, o, 1);
        return new LayerSample(layer, x, o, rows);
    }
}
