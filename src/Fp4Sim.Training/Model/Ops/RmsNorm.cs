using System.Numerics.Tensors;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>RMSNorm with a learnable gain: y = x · r · g, r = 1 / sqrt(mean(x²) + eps), row by row.</summary>
internal static class RmsNorm
{
    /// <summary>Writes <paramref name="output"/> and each row's r into <paramref name="inverseRms"/> (saved for backward).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gain, Span<float> output, Span<float> inverseRms,
        int rows, int dim, float epsilon)
    {
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> xRow = x.Slice(row * dim, dim);
            float r = 1f / MathF.Sqrt(TensorPrimitives.Dot(xRow, xRow) / dim + epsilon);
            inverseRms[row] = r;
            Span<float> yRow = output.Slice(row * dim, dim);
            TensorPrimitives.Multiply(xRow, r, yRow);
            TensorPrimitives.Multiply(yRow, gain, yRow);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGrad"/> with dL/dx and adds dL/dg into <paramref name="gainGrad"/>:
    /// dg += dy·x·r; dx = r·(dy·g − x·r²·mean(dy·g·x)).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> gain, ReadOnlySpan<float> inverseRms,
        ReadOnlySpan<float> outputGrad, Span<float> inputGrad, Span<float> gainGrad, int rows, int dim)
    {
        Span<float> scaled = dim <= 1024 ? stackalloc float[dim] : new float[dim];
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> xRow = x.Slice(row * dim, dim);
            ReadOnlySpan<float> dyRow = outputGrad.Slice(row * dim, dim);
            Span<float> dxRow = inputGrad.Slice(row * dim, dim);
            float r = inverseRms[row];
            TensorPrimitives.Multiply(dyRow, xRow, scaled);
            TensorPrimitives.MultiplyAdd(scaled, r, gainGrad, gainGrad);
            TensorPrimitives.Multiply(dyRow, gain, scaled);
            float meanDot = TensorPrimitives.Dot(scaled, xRow) / dim;
            // dx = r·scaled − (r³·meanDot)·x
            TensorPrimitives.Multiply(xRow, -r * r * r * meanDot, dxRow);
            TensorPrimitives.MultiplyAdd(scaled, r, dxRow, dxRow);
        }
    }
}
