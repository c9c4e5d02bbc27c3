using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

/// <summary>
/// The embedding table's quantizer. LLM-FP4 (§2.3): per-row (per token vector) real bias, the format searched per
/// tensor, by the table's own reconstruction MSE (there is no activation to pair it with). MinMax: one bias or INT
/// scale for the whole table from its max.
/// </summary>
public static class EmbeddingSearch
{
    /// <summary>
    /// Per-row γ search for every candidate format; the format with the least total error wins. A row's error at a
    /// candidate is Σ (s·q − x)² = s²·Σq² − 2s·Σ|q||x| + Σx² (q the unit-scale level values, sharing x's sign); with
    /// the row's magnitudes sorted, the entries at level ℓ are a run between two threshold positions, so both sums
    /// come from prefix sums of |x| in O(levels) per candidate.
    /// </summary>
    public static TensorQuantizer Search(float[] table, int rows, int cols, int bits, SearchOptions options)
    {
        double[] rowMax = Statistics.RowMaxAbs(table, rows, cols);
        double[] gammas = options.Gammas();
        var sorted = new SortedColumns(MatrixLayout.Transpose(table, rows, cols), cols, rows, options.Threads); // one sorted column per table row
        (TensorQuantizer Quantizer, double Error)? best = null;
        foreach (ElementFormat format in ElementFormat.SearchSet(bits))
        {
            double[] levels = GridTable.For(format.Core).Positive.Magnitudes;
            var biases = new double[rows];
            var errors = new double[rows];
            Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = options.Threads > 0 ? options.Threads : -1 }, r =>
            {
                ReadOnlySpan<float> magnitudes = sorted.Magnitudes.AsSpan(r * cols, cols);
                var sum = new double[cols + 1];
                double squares = 0;
                for (int p = 0; p < cols; p++) { sum[p + 1] = sum[p] + magnitudes[p]; squares += (double)magnitudes[p] * magnitudes[p]; }
                var thresholds = new float[levels.Length - 1];
                var positions = new int[levels.Length - 1];
                double initial = format.BiasForMax(Statistics.UsableMax(rowMax[r]));
                double bestError = double.PositiveInfinity, bestBias = initial;
                foreach (double gamma in gammas)
                {
                    double scale = PreShiftedBias.RealBiasScale(gamma * initial);
                    GridQuantizer.PositiveThresholdsAt(format.Core, scale, thresholds);
                    sorted.Positions(r, thresholds, positions);
                    double qq = 0, qx = 0;
                    for (int level = 1; level < levels.Length; level++)
                    {
                        int from = positions[level - 1], to = level < positions.Length ? positions[level] : cols;
                        qq += (to - from) * levels[level] * levels[level];
                        qx += levels[level] * (sum[to] - sum[from]);
                    }
                    double error = scale * (scale * qq - 2 * qx) + squares;
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
