namespace Fp4Sim.Numerics.Gemm;

/// <summary>Layout helpers for row-major float32 matrices (a GEMM's operands are often wanted the other way round).</summary>
public static class MatrixLayout
{
    private const int Tile = 32;

    /// <summary>xᵀ of a row-major <paramref name="rows"/> × <paramref name="columns"/> x, in a new array.</summary>
    public static float[] Transpose(ReadOnlySpan<float> x, int rows, int columns) => Transpose(x, rows, columns, new float[rows * columns]);

    /// <summary>Writes xᵀ into <paramref name="t"/> (at least rows · columns long) and returns it.</summary>
    public static float[] Transpose(ReadOnlySpan<float> x, int rows, int columns, float[] t)
    {
        Transpose(x, t, rows, columns);
        return t;
    }

    /// <summary>t = xᵀ for a row-major x, in 32 × 32 tiles so reads and writes both stay in cache.</summary>
    /// <exception cref="ArgumentException">A span shorter than the matrix.</exception>
    public static void Transpose(ReadOnlySpan<float> x, Span<float> t, int rows, int columns)
    {
        long size = (long)rows * columns;
        if (rows < 0 || columns < 0 || x.Length < size || t.Length < size)
            throw new ArgumentException($"a {rows} × {columns} transpose needs {size} values in and out, got {x.Length} and {t.Length}");
        for (int r0 = 0; r0 < rows; r0 += Tile)
            for (int c0 = 0; c0 < columns; c0 += Tile)
            {
                int r1 = Math.Min(rows, r0 + Tile), c1 = Math.Min(columns, c0 + Tile);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) t[c * rows + r] = x[r * columns + c];
            }
    }
}
