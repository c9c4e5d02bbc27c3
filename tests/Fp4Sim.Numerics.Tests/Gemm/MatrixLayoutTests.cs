using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Numerics.Tests.Gemm;

public class MatrixLayoutTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(33, 70)]
    [InlineData(64, 32)]
    [InlineData(5, 0)]
    public void TransposeMovesEveryElementAcrossTiles(int rows, int columns)
    {
        float[] x = [.. Enumerable.Range(0, rows * columns).Select(i => (float)i)];
        float[] t = MatrixLayout.Transpose(x, rows, columns);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) Assert.Equal(x[r * columns + c], t[c * rows + r]);
        Assert.Equal(x, MatrixLayout.Transpose(t, columns, rows));
    }

    [Fact]
    public void ShortSpansAreRefused()
    {
        Assert.Throws<ArgumentException>(() => MatrixLayout.Transpose(new float[5], 2, 3));
        Assert.Throws<ArgumentException>(() => MatrixLayout.Transpose(new float[6], 2, 3, new float[5]));
    }
}
