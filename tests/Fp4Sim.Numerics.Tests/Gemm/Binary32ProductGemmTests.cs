using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Tests.Gemm;

/// <summary>The binary32 product GEMM against <see cref="IeeeAccumulator"/> (fp32), and its lanes against its scalar loop.</summary>
public class Binary32ProductGemmTests
{
    [Theory]
    [InlineData("e2m1:specials=none:bias=0", "e2m1:specials=none:bias=0", 3)]
    [InlineData("e3m0:specials=none:bias=0", "e1m2:specials=none:bias=0", 7)]
    [InlineData("int8", "int4", 0)]
    [InlineData("e4m3:specials=none:bias=0", "e3m2:specials=none:bias=0", 15)]
    public void Every_output_is_the_fp32_accumulators_and_the_lanes_are_the_scalar_loops(string a, string b, int maxShift)
    {
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var products = new float[ProductGrid.TableSize(fa, fb, maxShift) + 16];
        for (int s = 0; s <= maxShift; s++)
            for (uint x = 0; x < fa.CodeCount; x++)
                for (uint y = 0; y < fb.CodeCount; y++)
                    products[ProductGrid.RowOperand(fa, fb, x, s) | (int)y] = (float)PreShiftedBias.ShiftedProduct(fa, x, s, fb, y).Value.ToDouble();
        const int m = 21, n = 35, k = 300; // two groups of 16 columns and three left over
        var random = new Random(maxShift + a.Length);
        uint[] codes = Enumerable.Range(0, m * k).Select(_ => (uint)random.Next((int)fa.CodeCount)).ToArray();
        int[] shifts = Enumerable.Range(0, k).Select(_ => random.Next(maxShift + 1)).ToArray();
        int[] rows = codes.Select((c, i) => ProductGrid.RowOperand(fa, fb, c, shifts[i % k])).ToArray();
        byte[] columns = Enumerable.Range(0, n * k).Select(_ => (byte)random.Next((int)fb.CodeCount)).ToArray();
        float[] lanes = new float[m * n], scalar = new float[m * n];
        Binary32ProductGemm.Multiply(products, fb.TotalBits, rows, columns, m, n, k, lanes, threads: 2, useVectors: true);
        Binary32ProductGemm.Multiply(products, fb.TotalBits, rows, columns, m, n, k, scalar, threads: 1, useVectors: false);
        Assert.Equal(scalar, lanes);
        var fp32 = new IeeeAccumulator(KnownFormats.Fp32);
        for (int i = 0; i < m; i += 4)
            for (int j = 0; j < n; j += 3)
            {
                uint[] w = columns.AsSpan(j * k, k).ToArray().Select(c => (uint)c).ToArray();
                MacResult expected = PreShiftedBias.ShiftInMac(fa, codes.AsSpan(i * k, k), shifts, fb, w, fp32);
                Assert.Equal((uint)expected.Bits, BitConverter.SingleToUInt32Bits(lanes[i * n + j]));
            }
    }
}
