using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

/// <summary>
/// The embedding table's quantizer. LLM-FP4 (§2.3): per-row (per token vector) real bias, the format searched per
/// tensor, by the table's own reconstruction MSE (there is no activation to pair it with). MinMax: one bias or INT
/// scale for the whole table from its max.
/// </summary>
public static class EmbeddingSearch
{
    /// <summary>Per-row γ search for every candidate format; the format with the least total error wins.</summary>
    public static TensorQuantizer Search(float[] table, int rows, int cols, int bits, SearchOptions options)
    {
        double[] rowMax = Statistics.RowMaxAbs(table, rows, cols);
        double[] gammas = options.Gammas();
        (TensorQuantizer Quantizer, double Error)? best = null;
        foreach (ElementFormat format in ElementFormat.SearchSet(bits))
        {
            var biases = new double[rows];
            var errors = new double[rows];
            Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = options.Threads > 0 ? options.Threads : -1 }, r =>
            {
                ReadOnlySpan<float> row = table.AsSpan(r * cols, cols);
                double initial = format.BiasForMax(Statistics.UsableMax(rowMax[r]));
                double bestError = double.PositiveInfinity, bestBias = initial;
                foreach (double gamma in gammas)
                {
                    GridQuantizer q = format.ForBias(gamma * initial);
                    double error = 0;
                    foreach (float v in row) { double d = q.Quantize(v) - v; error += d * d; }
                    if (error < bestError) { bestError = error; bestBias = gamma * initial; }
                }
                biases[r] = bestBias; errors[r] = bestError;
            });
            double total = errors.Sum();
            if (best is null || total < best.Value.Error) best = (TensorQuantizer.FromBiases(format, ChannelAxis.Rows, biases), total);
        }
        return best!.Value.Quantizer;
    }

    /// <summary>MinMax: one quantizer for the table from its max (FP with Eq. 7, or symmetric INT).</summary>
    public static TensorQuantizer MinMax(float[] table, ElementFormat format) =>
        TensorQuantizer.FromMaxima(format, ChannelAxis.Tensor, [Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(table))]);
}
