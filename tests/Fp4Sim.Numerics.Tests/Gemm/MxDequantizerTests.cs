using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Xunit;

namespace Fp4Sim.Numerics.Tests.Gemm;

/// <summary>The fake-quant dequantizer against the scalar reference <see cref="QuantizedBlocks.Value"/>, rounded once to float32.</summary>
public class MxDequantizerTests
{
    public static TheoryData<string> Formats() => new(KnownBlockFormats.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryElement_IsTheReferenceValueRoundedOnce_RowMajorAndTransposed(string name)
    {
        BlockFormat format = KnownBlockFormats.All.Single(f => f.Name == name);
        var rng = new Random(17);
        foreach ((int rows, int blocks) in new[] { (1, 1), (33, 3), (70, 2) }) // partial 32-row tiles, tiles wider than a block
        {
            int columns = blocks * format.BlockSize;
            float[] values = new float[rows * columns];
            for (int i = 0; i < values.Length; i++)
            {
                // Wide magnitudes (scales near both ends of E8M0), signed zeros and the odd non-finite value.
                values[i] = rng.Next(200) switch
                {
                    0 => float.NaN,
                    1 => float.PositiveInfinity,
                    2 => -0f,
                    _ => (float)((rng.NextDouble() * 2 - 1) * Math.ScaleB(1, rng.Next(-130, 126))),
                };
            }
            foreach (BlockNaNPolicy policy in new[] { BlockNaNPolicy.NaNBlock, BlockNaNPolicy.NaNScale, BlockNaNPolicy.Ignore })
            {
                MxMatrix q = MxMatrix.Quantize(format, values, rows, columns, new BlockQuantizeOptions(NaNPolicy: policy));
                float[] plain = new float[values.Length], transposed = new float[values.Length];
                MxDequantizer.ToSingle(q, plain, transpose: false);
                MxDequantizer.ToSingle(q, transposed, transpose: true);
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < columns; c++)
                    {
                        uint expected = BitConverter.SingleToUInt32Bits((float)q.Data.Value(r * columns + c));
                        Assert.Equal(expected, BitConverter.SingleToUInt32Bits(plain[r * columns + c]));
                        Assert.Equal(expected, BitConverter.SingleToUInt32Bits(transposed[c * rows + r]));
                    }
            }
        }
    }

    [Fact]
    public void AShortDestination_IsRefused()
    {
        MxMatrix q = MxMatrix.Quantize(KnownBlockFormats.MxFp4, new float[64], 2, 32, new BlockQuantizeOptions());
        Assert.Throws<ArgumentException>(() => MxDequantizer.ToSingle(q, new float[63], transpose: false));
    }
}
