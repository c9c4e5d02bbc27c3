using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Tests.Quantizers;

/// <summary>The AVX2 span and per-column paths give the scalar quantizer's values, bit for bit.</summary>
public sealed class ThresholdBankTests
{
    private static float[] Inputs(int count, int seed, GridQuantizer[] quantizers)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            GridQuantizer q = quantizers[i % quantizers.Length];
            x[i] = (i % 5) switch
            {
                0 => q.PositiveThresholds[random.Next(q.PositiveThresholds.Length)] * (random.Next(2) == 0 ? 1 : -1), // on a threshold
                1 => float.BitDecrement(q.PositiveThresholds[random.Next(q.PositiveThresholds.Length)]),
                2 => (float)((random.NextDouble() * 2 - 1) * q.PositiveValues[^1] * 1.5),
                3 => i % 7 == 0 ? float.NaN : i % 11 == 0 ? float.NegativeInfinity : -0f,
                _ => (float)((random.NextDouble() * 2 - 1) * q.PositiveValues[1]),
            };
        }
        return x;
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 0)]
    [InlineData(1, 2)]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(4, 3)] // 8-bit: more than 32 levels, binary search
    [InlineData(1, 6)]
    [InlineData(5, 2)]
    public void Span_and_column_paths_equal_the_scalar_quantizer(int e, int m)
    {
        ElementFormat f = ElementFormat.Fp(e, m);
        var random = new Random(e * 10 + m);
        GridQuantizer[] columns = Enumerable.Range(0, 37).Select(_ => f.ForBias(random.NextDouble() * 8 - 4)).ToArray();
        int rows = 9;
        float[] x = Inputs(rows * columns.Length, e + m, columns);
        var y = new float[x.Length];
        MatrixQuantizer.Apply(x, rows, columns.Length, columns, ChannelAxis.Columns, y);
        for (int i = 0; i < x.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(columns[i % columns.Length].Quantize(x[i])) == BitConverter.SingleToInt32Bits(y[i]),
                $"column {i % columns.Length} x {x[i]:R}");

        GridQuantizer shared = columns[3];
        float[] x2 = Inputs(1003, 99, [shared]);
        var y2 = new float[x2.Length];
        shared.Quantize(x2, y2);
        for (int i = 0; i < x2.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(shared.Quantize(x2[i])) == BitConverter.SingleToInt32Bits(y2[i]), $"x {x2[i]:R}");
    }

    [Fact]
    public void Int_grids_are_not_symmetric_and_keep_the_scalar_path()
    {
        GridQuantizer q = ElementFormat.Int(4).ForIntMax(7);
        Assert.Equal(-8f, q.Quantize(-100f));
        Assert.Equal(7f, q.Quantize(100f));
        var y = new float[3];
        q.Quantize([-7.5f, 7.5f, -8.4f], y);
        Assert.Equal([-8f, 7f, -8f], y); // ties to even: −7.5 → −8; +7.5 saturates at 7
    }
}
