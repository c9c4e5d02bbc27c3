using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>
/// EncodeQuotient rounds the exact quotient once. Checked without division: every candidate value v is compared
/// with x through the exact product v · d (few significant bits on both sides, so binary64 holds it exactly).
/// </summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class EncodeQuotientTests
{
    // 4 formats × 20,000 quotients, as the theory rows ran; the format is drawn per case.
    [Property(MaxTest = 80_000)]
    public void EncodeQuotient_RoundsTheExactQuotient(Quotient q)
    {
        (FormatInfo f, float x, float d) = (q.Format, q.X, q.D);
        double max = CodeSpace.MaxFinite(f);
        uint down = Encoder.EncodeQuotient(f, x, d, new RoundingContext(RoundingMode.Rtz));
        uint up = Encoder.EncodeQuotient(f, x, d, new RoundingContext(RoundingMode.Rup));
        double vDown = Decoder.Decode(f, down), vUp = Decoder.Decode(f, up);
        Assert.True(vDown * d <= x, $"{q}: rtz value {vDown} is above");
        if (vUp * d < x) { Assert.Equal(max, vUp); return; } // saturated
        Assert.True(vUp == vDown || Decoder.Decode(f, CodeSpace.NextUp(f, down)) == vUp, $"{q}: not adjacent");
        uint nearest = Encoder.EncodeQuotient(f, x, d, RoundingContext.Default);
        double twice = 2.0 * x, midpoint = (vDown + vUp) * d; // both exact
        uint expected = twice < midpoint ? down : twice > midpoint ? up : (down % 2 == 0 ? down : up);
        if (vUp == vDown) expected = down;
        Assert.True(expected == nearest, $"{q}: rne gave 0x{nearest:x}, expected 0x{expected:x}");
    }

    [Property(MaxTest = 10_000)]
    public void EncodeQuotient_ExactQuotients_MatchEncode(PowerOfTwoQuotient q)
    {
        double d = Math.ScaleB(1.0, q.Exponent);
        foreach (FormatInfo f in new[] { KnownFormats.E4M3, KnownFormats.Bf16, KnownFormats.E2M1 })
            Assert.Equal(Encoder.Encode(f, q.X / d, RoundingContext.Default), Encoder.EncodeQuotient(f, q.X, d, RoundingContext.Default));
    }

    [Fact]
    public void EncodeQuotient_ByZero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Encoder.EncodeQuotient(KnownFormats.E4M3, 1, 0, RoundingContext.Default));
}
