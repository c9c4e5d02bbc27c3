using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>
/// EncodeQuotient rounds the exact quotient once. Checked without division: every candidate value v is compared
/// with x through the exact product v · d (few significant bits on both sides, so binary64 holds it exactly).
/// </summary>
public class EncodeQuotientTests
{
    [Theory]
    [InlineData("e2m1")]
    [InlineData("e4m3")]
    [InlineData("e5m2")]
    [InlineData("e3m2:subnormals=off")]
    public void EncodeQuotient_RoundsTheExactQuotient(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        var random = new Random(2024);
        double max = CodeSpace.MaxFinite(f);
        for (int trial = 0; trial < 20_000; trial++)
        {
            float d = (float)Math.ScaleB(1 + random.NextDouble(), random.Next(-8, 8));
            float x = (float)(random.NextDouble() * max * d * 1.2);
            uint down = Encoder.EncodeQuotient(f, x, d, new RoundingContext(RoundingMode.Rtz));
            uint up = Encoder.EncodeQuotient(f, x, d, new RoundingContext(RoundingMode.Rup));
            double vDown = Decoder.Decode(f, down), vUp = Decoder.Decode(f, up);
            Assert.True(vDown * d <= x, $"{spec}: {x}/{d}: rtz value {vDown} is above");
            if (vUp * d < x) { Assert.Equal(max, vUp); continue; } // saturated
            Assert.True(vUp == vDown || Decoder.Decode(f, CodeSpace.NextUp(f, down)) == vUp, $"{spec}: {x}/{d}: not adjacent");
            uint nearest = Encoder.EncodeQuotient(f, x, d, RoundingContext.Default);
            double twice = 2.0 * x, midpoint = (vDown + vUp) * d; // both exact
            uint expected = twice < midpoint ? down : twice > midpoint ? up : (down % 2 == 0 ? down : up);
            if (vUp == vDown) expected = down;
            Assert.True(expected == nearest, $"{spec}: {x:R}/{d:R}: rne gave 0x{nearest:x}, expected 0x{expected:x}");
        }
    }

    [Fact]
    public void EncodeQuotient_ExactQuotients_MatchEncode()
    {
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            float x = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            double d = Math.ScaleB(1.0, random.Next(-60, 60));
            foreach (FormatInfo f in new[] { KnownFormats.E4M3, KnownFormats.Bf16, KnownFormats.E2M1 })
                Assert.Equal(Encoder.Encode(f, x / d, RoundingContext.Default), Encoder.EncodeQuotient(f, x, d, RoundingContext.Default));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Encoder.EncodeQuotient(KnownFormats.E4M3, 1, 0, RoundingContext.Default));
    }
}
