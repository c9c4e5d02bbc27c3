using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>
/// Unsigned integers (<c>uint&lt;N&gt;</c>, N = 1..16: 0 .. 2^N − 1, plain binary) through the reference codec: every code
/// and every integer of the range, both neighbours of each, negatives, specials and every rounding mode.
/// </summary>
public class UnsignedIntegerTests
{
    private static readonly RoundingContext[] Contexts =
        [.. from mode in Enum.GetValues<RoundingMode>() where mode != RoundingMode.Sr
            from overflow in Enum.GetValues<OverflowMode>() select new RoundingContext(mode, overflow)];

    public static TheoryData<int> Widths => new(Enumerable.Range(1, 16));

    [Theory, MemberData(nameof(Widths))]
    public void EveryCode_IsItsOwnValue_AndEncodesBack_InEveryMode(int bits)
    {
        FormatInfo f = FormatSpec.Parse($"uint{bits}");
        Assert.Equal((bits, false, true, (uint)((1 << bits) - 1)), (f.TotalBits, f.IsSigned, f.IsInteger, f.MaxFiniteMagnitude));
        foreach (uint code in CodeSpace.AllCodes(f))
        {
            Assert.Equal(code, Decoder.Decode(f, code));
            Assert.Equal(code, (uint)Decoder.DecodeToSingle(f, code));
            Assert.Equal(code == 0 ? CodeClass.Zero : CodeClass.Normal, Decoder.Classify(f, code));
            Assert.True(CodeSpace.IsCanonical(f, code));
            foreach (RoundingContext ctx in Contexts)
            {
                Assert.Equal(code, Encoder.Encode(f, (double)code, ctx));
                Assert.Equal(code, Encoder.EncodeExact(f, ExactValue.FromDouble(code), ctx));
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void BetweenIntegers_EachModeRoundsAsDefined_AndBeyondTheRangeSaturates(int bits)
    {
        FormatInfo f = FormatSpec.Parse($"uint{bits}");
        double max = (1 << bits) - 1;
        for (double v = 0; v < max; v++)
        {
            foreach (double x in new[] { v + 0.25, v + 0.5, v + 0.75 })
            {
                Assert.Equal(v, Round(f, x, RoundingMode.Rtz));
                Assert.Equal(v, Round(f, x, RoundingMode.Rdn));
                Assert.Equal(v + 1, Round(f, x, RoundingMode.Rup));
                Assert.Equal(x - v < 0.5 ? v : v + 1, Round(f, x, RoundingMode.Rna));
                Assert.Equal(x - v < 0.5 || (x - v == 0.5 && v % 2 == 0) ? v : v + 1, Round(f, x));
            }
        }
        foreach (RoundingContext ctx in Contexts)
        {
            // No Inf or NaN code: overflow, ±Inf and NaN saturate in both overflow modes (NaN to +max), negatives to 0.
            foreach (double above in new[] { max + 0.5, max + 1, 1e30, double.PositiveInfinity, double.NaN })
                Assert.Equal((uint)max, Encoder.Encode(f, above, ctx));
            foreach (double below in new[] { -0.0, -0.25, -0.5, -1, -max - 1, -1e30, double.NegativeInfinity })
            {
                Assert.Equal(0u, Encoder.Encode(f, below, ctx));
                Assert.Equal(0u, Encoder.Encode(f, (float)below, ctx));
            }
        }
    }

    private static double Round(FormatInfo f, double x, RoundingMode mode = RoundingMode.Rne) =>
        Decoder.Decode(f, Encoder.Encode(f, x, new RoundingContext(mode)));

    [Fact]
    public void NextUpAndDown_StopAtTheEnds()
    {
        FormatInfo f = KnownFormats.UInt4;
        for (uint c = 0; c < 15; c++)
        {
            Assert.Equal(c + 1, CodeSpace.NextUp(f, c));
            Assert.Equal(c, CodeSpace.NextDown(f, c + 1));
        }
        Assert.Equal(15u, CodeSpace.NextUp(f, 15));
        Assert.Equal(0u, CodeSpace.NextDown(f, 0));
    }

    [Fact]
    public void Uint4_IsCatalogued_WithoutOptions()
    {
        Assert.Same(KnownFormats.UInt4, FormatSpec.Parse("uint4"));
        Assert.Equal(KnownFormats.UnsignedInteger(4), KnownFormats.UInt4);
        Assert.Equal(15.0, CodeSpace.MaxFinite(KnownFormats.UInt4));
        Assert.Equal(1.0, CodeSpace.MinSubnormal(KnownFormats.UInt4));
        Assert.Equal(16, FormatSpec.Parse("uint016").TotalBits);
    }

    [Theory]
    [InlineData("uint0", "format 'uint0': unsigned integer formats take 1..16 bits")]
    [InlineData("uint17", "unsigned integer formats take 1..16 bits")]
    [InlineData("uint99999999999", "unsigned integer formats take 1..16 bits")]
    [InlineData("uint4:bias=1", "takes no options")]
    [InlineData("uint", "unknown format")]
    public void BadUnsignedSpecs_NameTheAllowedRange(string spec, string message)
    {
        var error = Assert.Throws<FormatException>(() => FormatSpec.Parse(spec));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
