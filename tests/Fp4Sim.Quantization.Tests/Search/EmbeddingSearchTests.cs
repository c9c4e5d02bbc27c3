using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Search;

/// <summary>The embedding table's per-row search picks what brute force over the same γ grid picks.</summary>
public sealed class EmbeddingSearchTests
{
    [Fact]
    public void Row_biases_and_format_are_the_brute_force_argmin()
    {
        var random = new Random(9);
        int rows = 12, cols = 40;
        var table = new float[rows * cols];
        for (int i = 0; i < table.Length; i++) table[i] = (float)((random.NextDouble() - 0.5) * (i % 13 == 0 ? 8 : 1) * (1 + i / cols));
        table[5] = 0; table[6] = -0.0f;
        var options = new SearchOptions(Threads: 2);
        TensorQuantizer found = EmbeddingSearch.Search(table, rows, cols, 4, options);

        (ElementFormat Format, double[] Biases, double Error)? best = null;
        foreach (ElementFormat f in ElementFormat.SearchSet(4))
        {
            var biases = new double[rows];
            double total = 0;
            for (int r = 0; r < rows; r++)
            {
                double max = Enumerable.Range(0, cols).Max(c => Math.Abs(table[r * cols + c]));
                double initial = f.BiasForMax(max), bestError = double.PositiveInfinity;
                foreach (double gamma in options.Gammas())
                {
                    double scale = PreShiftedBias.RealBiasScale(gamma * initial), error = 0;
                    for (int c = 0; c < cols; c++)
                    {
                        float x = table[r * cols + c];
                        double d = Decoder.Decode(f.Core, Encoder.EncodeQuotient(f.Core, x, scale, RoundingContext.Default)) * scale - x;
                        error += d * d;
                    }
                    if (error < bestError * (1 - 1e-12)) { bestError = error; biases[r] = gamma * initial; }
                }
                total += bestError;
            }
            if (best is null || total < best.Value.Error) best = (f, biases, total);
        }
        Assert.Equal(best!.Value.Format, found.Format);
        for (int r = 0; r < rows; r++) Assert.Equal(best.Value.Biases[r], found.Biases![r], 12);
    }
}
