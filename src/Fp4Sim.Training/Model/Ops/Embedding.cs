using System.Numerics.Tensors;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>Token embedding lookup: row t of the output is row tokens[t] of the table.</summary>
internal static class Embedding
{
    /// <summary>Writes the <c>tokens.Length × dim</c> rows of <paramref name="output"/>.</summary>
    public static void Forward(ReadOnlySpan<float> table, ReadOnlySpan<byte> tokens, Span<float> output, int dim)
    {
        for (int t = 0; t < tokens.Length; t++) table.Slice(tokens[t] * dim, dim).CopyTo(output.Slice(t * dim, dim));
    }

    /// <summary>Adds each output row's gradient into the table row of its token.</summary>
    public static void Backward(ReadOnlySpan<byte> tokens, ReadOnlySpan<float> outputGrad, Span<float> tableGrad, int dim)
    {
        for (int t = 0; t < tokens.Length; t++)
        {
            Span<float> row = tableGrad.Slice(tokens[t] * dim, dim);
            TensorPrimitives.Add(row, outputGrad.Slice(t * dim, dim), row);
        }
    }
}
