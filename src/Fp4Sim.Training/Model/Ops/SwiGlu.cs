using System.Numerics.Tensors;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>SwiGLU: s = silu(gate) · up, with the fused gate/up output laid out as [gate | up] per row.</summary>
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
            for (int j = 0; j < hidden; j++) s[j] = Silu(gate[j]) * up[j];
        }
    }

    /// <summary>
    /// Overwrites <paramref name="gateUpGrad"/>: d gate = ds·up·σ(g)·(1 + g·(1 − σ(g))), d up = ds·silu(g).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gateUp, ReadOnlySpan<float> outputGrad, Span<float> gateUpGrad, int rows, int hidden)
    {
        for (int row = 0; row < rows; row++)
        {
            int fused = row * 2 * hidden;
            for (int j = 0; j < hidden; j++)
            {
                float g = gateUp[fused + j], u = gateUp[fused + hidden + j], ds = outputGrad[row * hidden + j];
                float sigmoid = Sigmoid(g);
                gateUpGrad[fused + j] = ds * u * sigmoid * (1f + g * (1f - sigmoid));
                gateUpGrad[fused + hidden + j] = ds * g * sigmoid;
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Silu(float x) => x * Sigmoid(x);
}
