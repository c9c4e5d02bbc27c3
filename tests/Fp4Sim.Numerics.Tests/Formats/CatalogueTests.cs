using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Tests.Formats;

/// <summary>Catalogue limits against the published values (OCP, ml_dtypes, IEEE, LLM-FP4).</summary>
public class CatalogueTests
{
    [Theory]
    [InlineData("e2m1", 6.0, 1.0, 0.5)]
    [InlineData("e3m0", 16.0, 0.25, 0.25)]
    [InlineData("e1m2", 3.5, 2.0, 0.5)]
    [InlineData("e2m3", 7.5, 1.0, 0.125)]
    [InlineData("e3m2", 28.0, 0.25, 0.0625)]
    [InlineData("e4m3", 448.0, 0.015625, 0.001953125)]
    [InlineData("e4m3fn", 448.0, 0.015625, 0.001953125)]
    [InlineData("e4m3:specials=none", 480.0, 0.015625, 0.001953125)]
    [InlineData("e5m2", 57344.0, 6.103515625e-05, 1.52587890625e-05)]
    [InlineData("e5m2:specials=none", 114688.0, 6.103515625e-05, 1.52587890625e-05)]
    [InlineData("e4m3fnuz", 240.0, 0.0078125, 0.0009765625)]
    [InlineData("e5m2fnuz", 57344.0, 3.0517578125e-05, 7.62939453125e-06)]
    [InlineData("e4m3ieee", 240.0, 0.015625, 0.001953125)]
    [InlineData("e3m4", 15.5, 0.25, 0.015625)]
    [InlineData("e4m3b11fnuz", 30.0, 0.0009765625, 0.0001220703125)]
    [InlineData("e5m3fnu", 114688.0, 6.103515625e-05, 7.62939453125e-06)]
    [InlineData("fp16", 65504.0, 6.103515625e-05, 5.9604644775390625e-08)]
    [InlineData("int8", 127.0, 1.0, 1.0)]
    [InlineData("int4", 7.0, 1.0, 1.0)]
    [InlineData("int6", 31.0, 1.0, 1.0)]
    [InlineData("int16", 32767.0, 1.0, 1.0)]
    [InlineData("uint4", 15.0, 1.0, 1.0)]
    [InlineData("uint8", 255.0, 1.0, 1.0)]
    public void Limits_MatchPublishedValues(string spec, double max, double minNormal, double minSubnormal)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        Assert.Equal(max, CodeSpace.MaxFinite(f));
        Assert.Equal(minNormal, CodeSpace.MinNormal(f));
        Assert.Equal(minSubnormal, CodeSpace.MinSubnormal(f));
    }

    [Fact]
    public void E8M0_SpansTwoToThePlusMinus127()
    {
        FormatInfo f = KnownFormats.E8M0;
        Assert.Equal(Math.ScaleB(1.0, 127), CodeSpace.MaxFinite(f));
        Assert.Equal(Math.ScaleB(1.0, -127), Decoder.Decode(f, 0));
        Assert.Equal(1.0, Decoder.Decode(f, 0x7F));
        Assert.True(double.IsNaN(Decoder.Decode(f, 0xFF)));
        Assert.Equal(0x00400000u, BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, 0))); // the float32 subnormal 2^-127
    }

    [Fact]
    public void Bf16AndFp32_HaveBinary32Range()
    {
        Assert.Equal((double)float.MaxValue, CodeSpace.MaxFinite(KnownFormats.Fp32));
        Assert.Equal((double)float.Epsilon, CodeSpace.MinSubnormal(KnownFormats.Fp32));
        Assert.Equal(3.3895313892515355e38, CodeSpace.MaxFinite(KnownFormats.Bf16));
    }

    [Theory]
    [InlineData("e12m3", "exponent")]
    [InlineData("e4m3:specials=odd", "specials")]
    [InlineData("e4m3:bias=x", "bias")]
    [InlineData("e4m3:colour=red", "colour")]
    [InlineData("e8m0:bias=3", "no options")]
    [InlineData("e4m0:specials=ieee", "mantissa")]
    [InlineData("float7", "unknown format")]
    [InlineData("e11m30", "32 bits")]
    [InlineData("int1", "2..16 bits")]
    [InlineData("int17", "2..16 bits")]
    [InlineData("int6:bias=1", "no options")]
    [InlineData("e8m7:bias=2000", "binary64")]
    public void Parse_BadSpecs_ThrowOneLineErrors(string spec, string mentions)
    {
        var error = Assert.Throws<FormatException>(() => FormatSpec.Parse(spec));
        Assert.Contains(mentions, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(12)]
    public void GenericInteger_EncodesEveryIntegerAndSaturatesBeyond(int bits)
    {
        FormatInfo f = FormatSpec.Parse($"int{bits}");
        Assert.True(f.IsInteger);
        int min = -(1 << (bits - 1)), max = (1 << (bits - 1)) - 1;
        for (int v = min; v <= max; v++)
        {
            uint code = Encoder.Encode(f, (double)v, Rounding.RoundingContext.Default);
            Assert.Equal((uint)v & ((1u << bits) - 1), code);
            Assert.Equal(v, Decoder.Decode(f, code));
        }
        Assert.Equal((uint)max, Encoder.Encode(f, max + 0.5 + 1, Rounding.RoundingContext.Default));
        Assert.Equal(-2.0, Decoder.Decode(f, Encoder.Encode(f, -1.5, Rounding.RoundingContext.Default))); // ties to even
        Assert.Equal(0.0, Decoder.Decode(f, Encoder.Encode(f, 0.5, Rounding.RoundingContext.Default)));
    }

    [Fact]
    public void Parse_GenericSpecs_GetDocumentedDefaults()
    {
        Assert.Equal(SpecialsPolicy.Ieee, FormatSpec.Parse("e5m10").Specials);
        Assert.Equal(15, FormatSpec.Parse("e5m10").Bias);
        Assert.Equal(16, FormatSpec.Parse("e5m2:bias=16").Bias);
        Assert.Equal(8, FormatSpec.Parse("e4m3:specials=fnuz").Bias);
        Assert.False(FormatSpec.Parse("e3m2:subnormals=off").Subnormals);
        Assert.Same(KnownFormats.E4M3, FormatSpec.Parse("E4M3FN"));
        Assert.Equal(1023, FormatSpec.Parse("e11m4").Bias);                       // binary64's exponent range
        Assert.Throws<FormatException>(() => FormatSpec.Parse("e11m4:specials=none")); // its top binade would pass 2^1024
        Assert.Equal(1024, FormatSpec.Parse("e11m4:specials=none:bias=1024").Bias);
    }
}
