using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>Every tie and every overflow threshold of the ≤ 8-bit formats, in every deterministic mode, against the oracle.</summary>
public class TieAndThresholdTests
{
    public static TheoryData<string> Small => TestFormats.Small;

    [Theory, MemberData(nameof(Small))]
    public void Encode_EveryDecisionPoint_MatchesOracle(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        var oracle = new NearestOracle(f);
        int checkedPoints = 0;
        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>().Where(m => m != RoundingMode.Sr))
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                var ctx = new RoundingContext(mode, overflow);
                foreach (double x in oracle.DecisionPoints().Where(double.IsFinite))
                {
                    uint expected = oracle.Encode(x, ctx);
                    Assert.True(expected == Encoder.Encode(f, x, ctx),
                        $"{spec} {mode} {overflow} x={x:R}: double path gave 0x{Encoder.Encode(f, x, ctx):x}, oracle 0x{expected:x}");
                    if ((double)(float)x == x)
                        Assert.True(expected == Encoder.Encode(f, (float)x, ctx), $"{spec} {mode} {overflow} x={x:R}: float path");
                    checkedPoints++;
                }
            }
        Assert.True(checkedPoints > 100);
    }

    [Fact]
    public void Encode_E4M3_PublishedThresholds()
    {
        var ieee = new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee);
        FormatInfo e4m3 = KnownFormats.E4M3, e5m2 = KnownFormats.E5M2;
        Assert.Equal(0x7Eu, Encoder.Encode(e4m3, 448.1f, ieee));
        Assert.Equal(0x7Eu, Encoder.Encode(e4m3, 464f, ieee));          // tie to the even code 0x7E
        Assert.Equal(0x7Fu, Encoder.Encode(e4m3, 464.01f, ieee));       // NaN: e4m3 has no Inf
        Assert.Equal(0xFFu, Encoder.Encode(e4m3, -464.01f, ieee));
        Assert.Equal(0x7Eu, Encoder.Encode(e4m3, 1e9f));                // saturate
        Assert.Equal(0x7Bu, Encoder.Encode(e5m2, 61439.9f, ieee));
        Assert.Equal(0x7Cu, Encoder.Encode(e5m2, 61440f, ieee));        // tie to 65536 = +Inf
        Assert.Equal(0x7Bu, Encoder.Encode(e5m2, 61440f));              // saturate
        Assert.Equal(0x7Bu, Encoder.Encode(e5m2, 1e9f, ieee with { Mode = RoundingMode.Rtz }));
        Assert.Equal(0xFCu, Encoder.Encode(e5m2, -1e9f, ieee with { Mode = RoundingMode.Rdn }));
        Assert.Equal(0xFBu, Encoder.Encode(e5m2, -1e9f, ieee with { Mode = RoundingMode.Rup }));
        // microxcaling's test vector [485, 475, 400, −485, −475, −450] → [448, 448, 416, −448, −448, −448] uses its
        // default ties-away rounding with saturation: rna reproduces it; rne sends the tie 400 to 384 (even code).
        float[] inputs = [485, 475, 400, -485, -475, -450];
        double[] expected = [448, 448, 416, -448, -448, -448];
        var microxcaling = new RoundingContext(RoundingMode.Rna, OverflowMode.Saturate);
        for (int i = 0; i < inputs.Length; i++)
            Assert.Equal(expected[i], Decoder.Decode(e4m3, Encoder.Encode(e4m3, inputs[i], microxcaling)));
        Assert.Equal(384.0, Decoder.Decode(e4m3, Encoder.Encode(e4m3, 400f)));
    }

    [Fact]
    public void Encode_E2M1_TiesGoToEvenCodes()
    {
        (float x, uint rne, uint rna)[] cases =
            [(0.25f, 0x0, 0x1), (0.75f, 0x2, 0x2), (1.25f, 0x2, 0x3), (2.5f, 0x4, 0x5), (3.5f, 0x6, 0x6), (5f, 0x6, 0x7), (-5f, 0xE, 0xF)];
        foreach (var (x, rne, rna) in cases)
        {
            Assert.Equal(rne, Encoder.Encode(KnownFormats.E2M1, x, new RoundingContext(RoundingMode.Rne)));
            Assert.Equal(rna, Encoder.Encode(KnownFormats.E2M1, x, new RoundingContext(RoundingMode.Rna)));
        }
    }

    [Fact]
    public void Encode_E8M0_FollowsDocumentedPolicy()
    {
        FormatInfo f = KnownFormats.E8M0;
        Assert.Equal(0x7Fu, Encoder.Encode(f, 1f));
        Assert.Equal(0x80u, Encoder.Encode(f, 1.5f));   // tie between codes 0x7F and 0x80: even code
        Assert.Equal(0x80u, Encoder.Encode(f, 3f));     // tie between 0x80 (2) and 0x81 (4): even code 0x80
        Assert.Equal(0x7Eu, Encoder.Encode(f, 0.75f));  // tie between 0x7E and 0x7F
        Assert.Equal(0x00u, Encoder.Encode(f, 0f));     // no zero: the least code
        Assert.Equal(0x00u, Encoder.Encode(f, float.Epsilon));
        Assert.Equal(0xFFu, Encoder.Encode(f, -1f));    // negative: NaN
        Assert.Equal(0xFFu, Encoder.Encode(f, float.NaN));
        Assert.Equal(0xFEu, Encoder.Encode(f, float.PositiveInfinity));
        Assert.Equal(0xFFu, Encoder.Encode(f, float.PositiveInfinity, new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee)));
        Assert.Equal(0x80u, Encoder.Encode(f, 2.5f, new RoundingContext(RoundingMode.Rtz)));
        Assert.Equal(0x81u, Encoder.Encode(f, 2.5f, new RoundingContext(RoundingMode.Rup)));
    }

    [Fact]
    public void Encode_Int8_RoundsAndSaturatesLikeTwosComplement()
    {
        FormatInfo f = KnownFormats.Int8;
        Assert.Equal(0x80u, Encoder.Encode(f, -128f));
        Assert.Equal(0x80u, Encoder.Encode(f, -1000f));
        Assert.Equal(0x7Fu, Encoder.Encode(f, 127.6f));
        Assert.Equal(0x02u, Encoder.Encode(f, 2.5f));
        Assert.Equal(0xFEu, Encoder.Encode(f, -2.5f));
        Assert.Equal(0x03u, Encoder.Encode(f, 2.5f, new RoundingContext(RoundingMode.Rna)));
        Assert.Equal(0xFFu, Encoder.Encode(f, -0.1f, new RoundingContext(RoundingMode.Rdn)));
        Assert.Equal(0x7Fu, Encoder.Encode(f, float.NaN));  // no NaN: +max
    }
}
