using System.Numerics.Tensors;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>SwiGLU: s = silu(gate) · up = gate · σ(gate) · up, with the fused gate/up output laid out as [gate | up] per row.</summary>
internal static class SwiGlu
{
    /// <summary>Writes the <c>rows × hidden</c> product from the <c>rows × 2·hidden</c> fused input.</summary>
    public static void Forward(ReadOnlySpan<float> gateUp, Span<float> output, int rows, int hidden)
    {
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> gate = gateUp.Slice(row * 2 * hidden, hidden);
            ReadOnlySpan<float> up = gateUp.Slice(row * 2 * hidden + hidden, hidden);
            Span<float> s = output.Slice(row * hidden, hidden);
            VectorMath.Sigmoid(gate, s);
            TensorPrimitives.Multiply(s, gate, s);
            TensorPrimitives.Multiply(s, up, s);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="gateUpGrad"/>: d gate = ds·up·σ(g)·(1 + g·(1 − σ(g))), d up = ds·g·σ(g).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gateUp, ReadOnlySpan<float> outputGrad, Span<float> gateUpGrad, int rows, int hidden)
    {
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> gate = gateUp.Slice(row * 2 * hidden, hidden);
            ReadOnlySpan<float> up = gateUp.Slice(row * 2 * hidden + hidden, hidden);
            ReadOnlySpan<float> ds = outputGrad.Slice(row * hidden, hidden);
            Span<float> gateGrad = gateUpGrad.Slice(row * 2 * hidden, hidden);
            Span<float> upGrad = gateUpGrad.Slice(row * 2 * hidden + hidden, hidden);
            VectorMath.Sigmoid(gate, gateGrad); // σ(g), kept in the gate half until it is overwritten below
            for (int j = 0; j < hidden; j++)
            {
                float g = gate[j], sigmoid = gateGrad[j];
                upGrad[j] = ds[j] * g * sigmoid;
                gateGrad[j] = ds[j] * up[j] * sigmoid * (1f + g * (1f - sigmoid));
            }
        }
    }
}
