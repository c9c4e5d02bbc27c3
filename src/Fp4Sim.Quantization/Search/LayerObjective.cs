using System.Numerics.Tensors;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Search;

/// <summary>
/// LLM-FP4's search objective for one layer (Eq. 12): the squared error between the quantized layer's output
/// Q(X)·Q(W) + b and the full-precision output O on the same calibration input, summed per output channel.
/// Sums run over fixed row blocks whose partial sums are added in block order, so the result does not depend on the
/// thread count.
/// </summary>
public sealed class LayerObjective(LayerSample sample, int threads)
{
    private const int RowsPerBlock = 128;
    private readonly float[] _output = new float[sample.Rows * sample.Layer.Out];

    /// <summary>Whether the layer's input is mostly zeros (ReLU outputs), so products take <see cref="SparseRows"/>.</summary>
    public bool SparseInput { get; } = SparseRows.ZeroFraction(sample.Input) >= SparseRows.MinZeroFraction;

    /// <summary>The layer and its calibration data.</summary>
    public LayerSample Sample { get; } = sample;

    /// <summary>Output-channel count.</summary>
    public int Channels => Sample.Layer.Out;

    /// <summary>Elements of the layer output (rows · out), the MSE denominator.</summary>
    public long Elements => (long)Sample.Rows * Sample.Layer.Out;

    /// <summary>Per-output-channel squared error of Q(X)·Q(W) + b against O, given the fake-quantized operands.</summary>
    public double[] ChannelErrors(float[] quantizedInput, float[] quantizedWeight)
    {
        LinearLayer layer = Sample.Layer;
        int rows = Sample.Rows, width = layer.Out;
        if (SparseInput) SparseRows.Multiply(quantizedInput, quantizedWeight, layer.Bias, rows, layer.In, width, _output, threads);
        else Float32Linear.Multiply(quantizedInput, quantizedWeight, layer.Bias, rows, layer.In, width, _output, threads);
        int blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        var partial = new float[blocks][];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 }, block =>
        {
            var sums = new float[width];
            var difference = new float[width];
            int end = Math.Min(rows, (block + 1) * RowsPerBlock);
            for (int r = block * RowsPerBlock; r < end; r++)
            {
                TensorPrimitives.Subtract(_output.AsSpan(r * width, width), Sample.Output.AsSpan(r * width, width), difference);
                TensorPrimitives.MultiplyAdd(difference, difference, sums, sums);
            }
            partial[block] = sums;
        });
        var errors = new double[width];
        foreach (float[] sums in partial)
            for (int k = 0; k < width; k++) errors[k] += sums[k];
        return errors;
    }

    /// <summary>The mean squared error over the whole output.</summary>
    public double MeanSquaredError(float[] quantizedInput, float[] quantizedWeight) =>
        ChannelErrors(quantizedInput, quantizedWeight).Sum() / Elements;
}
