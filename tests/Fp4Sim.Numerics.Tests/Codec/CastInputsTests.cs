using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>The shared cast-check inputs: every decision point of a format, both signs, and a refusal to list 2^32 codes.</summary>
public class CastInputsTests
{
    [Fact]
    public void EdgeBits_HoldEveryValueMidpointAndOverflowThreshold_WithNeighboursAndBothSigns()
    {
        float[] edges = CastInputs.EdgeBits(KnownFormats.E2M1).Select(BitConverter.UInt32BitsToSingle).ToArray();
        foreach (float x in new[] { 0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.5f, 3f, 3.5f, 4f, 5f, 6f, 7f, 8f })
        {
            Assert.Contains(x, edges);
            Assert.Contains(-x, edges);
            if (x != 0) Assert.Contains(MathF.BitIncrement(x), edges);
        }
        Assert.Contains(edges, float.IsNaN);
        Assert.Contains(float.NegativeInfinity, edges);
    }

    [Fact]
    public void ThirtyTwoBitFormats_AreRefused_InsteadOfListingEveryCode()
    {
        Assert.Throws<ArgumentException>(() => CastInputs.EdgeBits(KnownFormats.Fp32));
        Assert.Throws<ArgumentException>(() => CastInputs.RandomBits(KnownFormats.Fp32, 1, 10));
        Assert.NotEmpty(CastInputs.EdgeBits(KnownFormats.Fp16));
    }
}
