namespace Fp4Sim.Quantization.Quantizers;

/// <summary>Which way a matrix's channels run: one quantizer for the whole tensor, one per column, or one per row.</summary>
public enum ChannelAxis
{
    /// <summary>One scale for the tensor.</summary>
    Tensor,
    /// <summary>One scale per column (a weight's output channel in the [in, out] layout; an activation's input channel).</summary>
    Columns,
    /// <summary>One scale per row (an embedding table's token vector).</summary>
    Rows,
}

/// <summary>
/// A tensor's quantizer as the search leaves it: the element format and one divisor per channel, plus what the
/// divisors came from (real biases b̃, or LLM-FP4's pre-shift ρ̃ and integer channel offsets b_j) for the report.
/// </summary>
/// <param name="Format">Element format.</param>
/// <param name="Axis">Channel layout of <see cref="Scales"/>.</param>
/// <param name="Scales">Divisors, one per channel (one for <see cref="ChannelAxis.Tensor"/>).</param>
/// <param name="Biases">FP: the real exponent bias b̃ behind each scale (scale = 2^−b̃); null for INT and for FPQ activations.</param>
/// <param name="Rho">FPQ activations: the searched tensor-wise real bias ρ̃.</param>
/// <param name="Offsets">FPQ activations: the per-input-channel integer offsets b_j ∈ [0, 2^E − 1].</param>
public sealed record TensorQuantizer(ElementFormat Format, ChannelAxis Axis, double[] Scales, double[]? Biases = null,
    double? Rho = null, int[]? Offsets = null)
{
    /// <summary>The element quantizers, one per scale.</summary>
    public GridQuantizer[] Build() => Scales.Select(s => Quantizers.GridQuantizer.Create(Format.Core, s)).ToArray();

    /// <summary>FP quantizer with real biases (scale 2^−b̃ each).</summary>
    public static TensorQuantizer FromBiases(ElementFormat format, ChannelAxis axis, double[] biases) =>
        new(format, axis, biases.Select(Numerics.Mac.PreShiftedBias.RealBiasScale).ToArray(), biases);

    /// <summary>
    /// MinMax: one scale per channel maximum — the FP bias of Eq. 7 (largest value = max), or the symmetric INT scale
    /// max / (2^(N−1) − 1). Zero or non-finite maxima use 1 (<see cref="Search.Statistics.UsableMax"/>).
    /// </summary>
    public static TensorQuantizer FromMaxima(ElementFormat format, ChannelAxis axis, IEnumerable<double> maxima)
    {
        double[] usable = maxima.Select(Search.Statistics.UsableMax).ToArray();
        return format.IsInteger
            ? new TensorQuantizer(format, axis, usable.Select(format.IntScale).ToArray())
            : FromBiases(format, axis, usable.Select(format.BiasForMax).ToArray());
    }

    /// <summary>Fake-quantizes a row-major [rows, cols] matrix with this quantizer.</summary>
    public float[] Apply(float[] x, int rows, int cols) => Apply(x, rows, cols, new float[x.Length]);

    /// <summary>Fake-quantizes a row-major [rows, cols] matrix into <paramref name="destination"/> and returns it.</summary>
    public float[] Apply(float[] x, int rows, int cols, float[] destination)
    {
        MatrixQuantizer.Apply(x, rows, cols, Build(), Axis, destination);
        return destination;
    }
}

/// <summary>Fake-quantizes row-major matrices with per-tensor, per-column or per-row element quantizers, in parallel over row blocks.</summary>
public static class MatrixQuantizer
{
    private const int RowsPerBlock = 64;

    /// <summary>y = Q(x) elementwise, with quantizers[0], quantizers[column] or quantizers[row] by <paramref name="axis"/>.</summary>
    public static void Apply(float[] x, int rows, int cols, GridQuantizer[] quantizers, ChannelAxis axis, float[] y)
    {
        int expected = axis switch { ChannelAxis.Tensor => 1, ChannelAxis.Columns => cols, _ => rows };
        if (quantizers.Length != expected)
            throw new ArgumentException($"{quantizers.Length} quantizers for a {rows}×{cols} matrix by {axis}, {expected} expected");
        if (x.Length < rows * cols || y.Length < rows * cols) throw new ArgumentException($"matrix spans shorter than {rows}×{cols}");
        int blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        ThresholdBank? columns = axis == ChannelAxis.Columns ? ThresholdBank.TryCreate(quantizers, shared: false) : null;
        Parallel.For(0, blocks, block =>
        {
            int end = Math.Min(rows, (block + 1) * RowsPerBlock);
            for (int r = block * RowsPerBlock; r < end; r++)
            {
                int offset = r * cols;
                switch (axis)
                {
                    case ChannelAxis.Columns when columns is not null:
                        columns.Apply(x.AsSpan(offset, cols), y.AsSpan(offset, cols));
                        break;
                    case ChannelAxis.Columns:
                        for (int c = 0; c < cols; c++) y[offset + c] = quantizers[c].Quantize(x[offset + c]);
                        break;
                    default:
                        GridQuantizer q = quantizers[axis == ChannelAxis.Rows ? r : 0];
                        q.Quantize(x.AsSpan(offset, cols), y.AsSpan(offset, cols));
                        break;
                }
            }
        });
    }
}
