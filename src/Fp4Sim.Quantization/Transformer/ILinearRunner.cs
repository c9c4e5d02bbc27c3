using System.Numerics.Tensors;
using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Quantization.Transformer;

/// <summary>
/// Runs one fully connected layer on a stack of token rows. The encoder calls it for every linear layer, so a runner
/// decides what a layer computes: float32 (<see cref="Float32Linear"/>), fake-quantized, or float32 while recording
/// the layer's inputs and outputs for calibration.
/// </summary>
public interface ILinearRunner
{
    /// <summary>Writes output (rows × layer.Out) = f(input (rows × layer.In)).</summary>
    void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output);
}

/// <summary>The float32 reference: y = x·W + b with the project's SGEMM.</summary>
public sealed class Float32Linear(int threads = 0) : ILinearRunner
{
    /// <summary>The shared instance on all cores.</summary>
    public static Float32Linear Instance { get; } = new();

    /// <inheritdoc />
    public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output) =>
        Multiply(input, layer.Weight, layer.Bias, rows, layer.In, layer.Out, output, threads);

    /// <summary>output = input·weight + bias for row-major [rows, din] · [din, dout].</summary>
    public static void Multiply(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int din, int dout,
        Span<float> output, int threads = 0)
    {
        Sgemm.Multiply(input, weight, output, rows, dout, din, threads);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = output.Slice(r * dout, dout);
            TensorPrimitives.Add(row, bias, row);
        }
    }
}
