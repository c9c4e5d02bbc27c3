using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>The MX dot product: exact block terms, accumulated across blocks in order, against binary64 oracles.</summary>
public class MxDotTests
{
    private static float[] Values(Random rng, int n, int spread)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((rng.NextDouble() * 2 - 1) * Math.ScaleB(1, rng.Next(-spread, spread + 1)));
        return v;
    }

    /// <summary>Element × block scale, without NVFP4's tensor scale (which the dot leaves out).</summary>
    private static double BlockScaled(QuantizedBlocks q, int i) =>
        Math.ScaleB(Fp4Sim.Numerics.Codec.Decoder.Decode(q.Format.Element, q.Elements[i]), q.Format.ElementExponentOffset)
        * Fp4Sim.Numerics.Codec.Decoder.Decode(q.Format.Scale, q.Scales[i / q.Format.BlockSize]);

    // 5 format pairs × 40 trials ran before; the pair is drawn per case (Arbitraries.BlockPairs).
    [Property(MaxTest = 400, Arbitrary = new[] { typeof(Arbitraries) })]
    public void BlockTerms_AreExact_AndFp32AccumulatesThemInOrder(BlockPair p)
    {
        BlockFormat a = p.A;
        int blocks = p.X.Length / a.BlockSize;
        QuantizedBlocks qa = BlockQuantizer.Quantize(a, p.X, new BlockQuantizeOptions());
        QuantizedBlocks qb = BlockQuantizer.Quantize(p.B, p.Y, new BlockQuantizeOptions());
        double exact = 0;
        float chained = 0;
        for (int k = 0; k < blocks; k++)
        {
            double block = 0; // binary64 holds these block sums exactly (≤ 32 products of ≤ 4+4 significant bits, narrow spans)
            for (int i = k * a.BlockSize; i < (k + 1) * a.BlockSize; i++) block += BlockScaled(qa, i) * BlockScaled(qb, i);
            Assert.Equal(block, MxDot.BlockTerm(qa, qb, k).Value.ToDouble());
            exact += block;
            chained = (float)((double)chained + block); // one rounding of an exact binary64 sum
        }
        Assert.Equal((float)exact, BitConverter.UInt32BitsToSingle((uint)MxDot.Dot(qa, qb, ExactAccumulator.Fp32).Bits));
        Assert.Equal(chained, BitConverter.UInt32BitsToSingle((uint)MxDot.Dot(qa, qb, new IeeeAccumulator(KnownFormats.Fp32)).Bits));
    }

    [Fact]
    public void NaNScale_MakesTheDotNaN_AndMismatchedBlockSizesAreRejected()
    {
        var rng = new Random(1);
        QuantizedBlocks qa = BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, Values(rng, 64, 2), new BlockQuantizeOptions());
        QuantizedBlocks qb = BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, Values(rng, 64, 2), new BlockQuantizeOptions());
        qa.Scales[1] = 0xFF;
        Assert.Equal(ValueKind.NaN, MxDot.Dot(qa, qb, ExactAccumulator.Fp32).Value.Kind);
        QuantizedBlocks nv = BlockQuantizer.Quantize(KnownBlockFormats.NvFp4, Values(rng, 64, 2), new BlockQuantizeOptions());
        Assert.Throws<ArgumentException>(() => MxDot.Dot(qb, nv, ExactAccumulator.Fp32));
    }

    [Fact]
    public void GemmReference_IsTheDotOfRowsAndColumns()
    {
        var rng = new Random(4);
        MxMatrix a = MxMatrix.Quantize(KnownBlockFormats.MxFp4, Values(rng, 3 * 64, 4), 3, 64, new BlockQuantizeOptions());
        MxMatrix b = MxMatrix.Quantize(KnownBlockFormats.MxFp4, Values(rng, 5 * 64, 4), 5, 64, new BlockQuantizeOptions());
        float[] c = MxGemmReference.Multiply(a, b, ExactAccumulator.Fp32);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
            {
                double sum = 0;
                for (int k = 0; k < 64; k++) sum += a.Data.Value(i * 64 + k) * b.Data.Value(j * 64 + k);
                Assert.Equal((float)sum, c[i * 5 + j]);
            }
        Assert.Throws<ArgumentException>(() => MxMatrix.Quantize(KnownBlockFormats.MxFp4, new float[3 * 48], 3, 48, new BlockQuantizeOptions()));
    }
}
