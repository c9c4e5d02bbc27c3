using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>Exact products and the exact-value type, checked against binary64 (which holds every small product exactly).</summary>
public class ProductTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "e2m1", "e2m1" }, { "e2m1", "e1m2" }, { "e3m0", "e2m1" }, { "e2m3", "e3m2" }, { "e4m3", "e4m3" },
        { "e5m2", "e4m3" }, { "e4m3fnuz", "e5m2fnuz" }, { "int4", "e2m1" }, { "int8", "int8" }, { "e8m0", "e2m1" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryPairOfCodes_ProductIsExactAndAlignedInOneToFour(string fa, string fb)
    {
        FormatInfo a = FormatSpec.Parse(fa), b = FormatSpec.Parse(fb);
        int pairs = 0;
        foreach (uint x in CodeSpace.AllCodes(a))
            foreach (uint y in CodeSpace.AllCodes(b))
            {
                double expected = Decoder.Decode(a, x) * Decoder.Decode(b, y);
                MacTerm t = MacTerm.Product(a, x, b, y);
                double got = t.Value.ToDouble();
                if (double.IsNaN(expected)) Assert.Equal(ValueKind.NaN, t.Value.Kind);
                else Assert.Equal(expected, got);
                if (expected == 0) Assert.Equal(double.IsNegative(expected), t.Value.Negative);
                bool bothNormal = Decoder.Classify(a, x) == CodeClass.Normal && Decoder.Classify(b, y) == CodeClass.Normal;
                if (bothNormal && !a.IsInteger && !b.IsInteger)
                {
                    double ratio = Math.Abs(got) / Math.ScaleB(1.0, t.AlignExponent);
                    Assert.InRange(ratio, 1.0, 3.9999999);
                }
                pairs++;
            }
        Assert.Equal((long)a.CodeCount * (long)b.CodeCount, pairs);
    }

    [Fact]
    public void ExactAdd_FollowsIeeeZeroAndInfinityRules()
    {
        ExactValue pz = ExactValue.PositiveZero, nz = ExactValue.FromDouble(-0.0);
        Assert.False(ExactValue.Add(pz, nz).Negative);
        Assert.True(ExactValue.Add(nz, nz).Negative);
        Assert.False(ExactValue.Add(ExactValue.FromDouble(1.5), ExactValue.FromDouble(-1.5)).Negative);
        Assert.Equal(ValueKind.NaN, ExactValue.Add(ExactValue.Infinity(false), ExactValue.Infinity(true)).Kind);
        Assert.Equal(ValueKind.NaN, ExactValue.Multiply(ExactValue.Infinity(false), pz).Kind);
        Assert.True(ExactValue.Add(ExactValue.Infinity(true), ExactValue.FromDouble(1e300)).Negative);
    }

    // 32 formats × 5 modes × 3 overflow modes × 400 values, as the loop ran; the format and modes are drawn per case.
    [Property(MaxTest = 192_000, Arbitrary = new[] { typeof(Arbitraries) })]
    public void EncodeExact_AgreesWithTheDoubleEncoder_OnRandomDoublesInEveryFormat(EncodeCase c) =>
        Assert.Equal(Encoder.Encode(c.Format, c.X, c.Context), Encoder.EncodeExact(c.Format, ExactValue.FromDouble(c.X), c.Context));

    [Fact]
    public void EncodeExact_WideSums_RoundAsTheirStickyJamSays()
    {
        // 1 + 2^-200 is above 1 by far less than half an ulp: RNE gives 1, RUP gives the next float, RTZ gives 1.
        ExactValue v = ExactValue.Add(ExactValue.FromDouble(1), ExactValue.FromDouble(Math.ScaleB(1, -200)));
        Assert.Equal(0x3F800000u, Encoder.EncodeExact(KnownFormats.Fp32, v, new RoundingContext(RoundingMode.Rne)));
        Assert.Equal(0x3F800001u, Encoder.EncodeExact(KnownFormats.Fp32, v, new RoundingContext(RoundingMode.Rup)));
        Assert.Equal(0x3F800000u, Encoder.EncodeExact(KnownFormats.Fp32, v, new RoundingContext(RoundingMode.Rtz)));
        // exactly halfway (1 + 2^-24) with a far sticky bit below: RNE must go up.
        ExactValue tie = ExactValue.Add(ExactValue.FromDouble(1 + Math.ScaleB(1, -24)), ExactValue.FromDouble(Math.ScaleB(1, -300)));
        Assert.Equal(0x3F800001u, Encoder.EncodeExact(KnownFormats.Fp32, tie, RoundingContext.Default));
        ExactValue exactTie = ExactValue.FromDouble(1 + Math.ScaleB(1, -24));
        Assert.Equal(0x3F800000u, Encoder.EncodeExact(KnownFormats.Fp32, exactTie, RoundingContext.Default));
    }
}
