namespace Fp4Sim.Quantization.Search;

/// <summary>Maxima the quantizers start from.</summary>
public static class Statistics
{
    /// <summary>max |x| of each column of a row-major [rows, cols] matrix.</summary>
    public static double[] ColumnMaxAbs(float[] x, int rows, int cols)
    {
        var max = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double v = Math.Abs(x[r * cols + c]);
                if (v > max[c]) max[c] = v;
            }
        return max;
    }

    /// <summary>max |x| of each row.</summary>
    public static double[] RowMaxAbs(float[] x, int rows, int cols)
    {
        var max = new double[rows];
        for (int r = 0; r < rows; r++) max[r] = Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(x.AsSpan(r * cols, cols)));
        return max;
    }

    /// <summary>The max a scale is derived from: an all-zero (or non-finite) tensor uses 1, whose grid still holds 0 exactly.</summary>
    public static double UsableMax(double max) => max > 0 && double.IsFinite(max) ? max : 1;
}
