namespace Fp4Sim.Quantization.Search;

/// <summary>Layout helpers for row-major float32 matrices.</summary>
internal static class Matrix
{
    /// <summary>xᵀ of a row-major [rows, cols] x.</summary>
    public static float[] Transpose(float[] x, int rows, int cols) => Transpose(x, rows, cols, new float[rows * cols]);

    /// <summary>t = xᵀ for a row-major [rows, cols] x, in 32 × 32 tiles (cache-friendly on both sides).</summary>
    public static float[] Transpose(float[] x, int rows, int cols, float[] t)
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int r1 = Math.Min(rows, r0 + Tile), c1 = Math.Min(cols, c0 + Tile);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) t[c * rows + r] = x[r * cols + c];
            }
        return t;
    }
}
