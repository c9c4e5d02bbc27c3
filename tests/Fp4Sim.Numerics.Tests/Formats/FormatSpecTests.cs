using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Numerics.Tests.Formats;

/// <summary>
/// Every numeric parameter of a spec is range-checked before use, with the allowed range in the message: the exponent
/// and mantissa widths, int&lt;N&gt;'s width, and the bias (<see cref="FormatSpec.BiasRange"/>: every value exact in binary64).
/// </summary>
public class FormatSpecTests
{
    public static TheoryData<string> Floats
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (FormatInfo f in TestFormats.UpTo(16).Where(f => !f.IsInteger && f.IsSigned)) data.Add(f.Name);
            return data;
        }
    }

    [Theory]
    [InlineData("e4m3", -1008, 1072)]          // fn: top field 15, M = 3
    [InlineData("e4m3:specials=ieee", -1009, 1072)]
    [InlineData("e4m3:specials=none", -1008, 1072)]
    [InlineData("e2m1", -1020, 1074)]
    [InlineData("e5m2", -993, 1073)]
    [InlineData("e3m0:specials=fn", -1017, 1075)] // M = 0 fn: the all-ones field holds only the NaN
    [InlineData("e8m7", -769, 1068)]
    [InlineData("e11m4", 1023, 1071)]
    [InlineData("e11m4:specials=none:bias=1024", 1024, 1071)]
    [InlineData("e8m23", -769, 1052)]
    public void BiasRange_IsWhatBinary64HoldsExactly(string spec, int min, int max) =>
        Assert.Equal((min, max), FormatSpec.BiasRange(FormatSpec.Parse(spec)));

    [Fact]
    public void BiasRange_OfE8m0_CountsItsZerolessBottomBinade() =>
        Assert.Equal((254 - 1023, 1074), FormatSpec.BiasRange(KnownFormats.E8M0));

    /// <summary>Both ends parse, and there the largest value is in 2^1023's binade or the least value is 2^−1074.</summary>
    [Theory, MemberData(nameof(Floats))]
    public void BiasRange_Ends_Parse_AndReachBinary64sEnds_AndOneBeyondIsRejected(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        (int min, int max) = FormatSpec.BiasRange(f);
        string shape = $"e{f.ExponentBits}m{f.MantissaBits}:specials={f.Specials.ToString().ToLowerInvariant()}"
                       + (f.Subnormals ? "" : ":subnormals=off");
        FormatInfo low = FormatSpec.Parse($"{shape}:bias={min}"), high = FormatSpec.Parse($"{shape}:bias={max}");
        Assert.Equal(1023, Math.ILogB(CodeSpace.MaxFinite(low)));
        Assert.Equal(-1074, Math.ILogB(Math.ScaleB(1.0, high.MinNormalExponent - high.MantissaBits)));
        Assert.True(double.IsFinite(CodeSpace.MaxFinite(low)) && CodeSpace.MinSubnormal(high) > 0);
        foreach (int outside in new[] { min - 1, max + 1 })
        {
            var error = Assert.Throws<FormatException>(() => FormatSpec.Parse($"{shape}:bias={outside}"));
            Assert.Contains($"bias must be in {min}..{max}", error.Message);
            Assert.Throws<FormatException>(() => FormatSpec.Validate(f with { Bias = outside }));
        }
    }

    /// <summary>At both ends every code decodes exactly: encoding its value gives the code back, in binary64.</summary>
    [Theory]
    [InlineData("e4m3")]
    [InlineData("e5m2")]
    [InlineData("e2m1:subnormals=off")]
    [InlineData("e3m0")]
    [InlineData("e5m10")]
    public void BiasRange_Ends_EveryCodeRoundTripsThroughBinary64(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        (int min, int max) = FormatSpec.BiasRange(f);
        var ieee = new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee);
        foreach (int bias in new[] { min, max })
        {
            FormatInfo g = f with { Bias = bias };
            foreach (uint code in CodeSpace.AllCodes(g))
            {
                if (Decoder.Classify(g, code) == CodeClass.NaN || !CodeSpace.IsCanonical(g, code)) continue;
                Assert.Equal(code, Encoder.Encode(g, Decoder.Decode(g, code), ieee));
            }
        }
    }

    [Theory]
    [InlineData("e4m3:bias=100000", "format 'e4m3:bias=100000': bias must be in -1008..1072 for e4m3 with fn specials " +
                                    "(values must stay within binary64), not 100000")]
    [InlineData("e4m3:bias=2147483647", "bias must be in -1008..1072 for e4m3 with fn specials (values must stay within binary64), not 2147483647")]
    [InlineData("e4m3:bias=-2147483648", "not -2147483648")]
    [InlineData("e4m3:bias=99999999999999999999999", "not 99999999999999999999999")]
    [InlineData("e4m3:bias=-1009", "bias must be in -1008..1072")]
    [InlineData("e2m1:bias=-1100", "bias must be in -1020..1074 for e2m1 with none specials")]
    [InlineData("e4m3:bias=-1010:specials=ieee", "bias must be in -1009..1072 for e4m3 with ieee specials")] // order-free
    [InlineData("e11m0", "bias must be in 1024..1075 for e11m0 with none specials (values must stay within binary64), " +
                         "and the default bias 1023 is not (give :bias=N)")]
    [InlineData("e11m4:specials=none", "and the default bias 1023 is not")]
    [InlineData("e4m3:bias=1e3", "malformed bias '1e3'")]
    [InlineData("e4m3:bias=٣", "malformed bias")]
    [InlineData("e4m3:bias=+-3", "malformed bias")]
    [InlineData("e12m3", "format 'e12m3': exponent bits must be 1..11")]
    [InlineData("e0m3", "exponent bits must be 1..11")]
    [InlineData("e99999999999m3", "exponent bits must be 1..11")]
    [InlineData("e4m28", "format 'e4m28': mantissa bits must be 0..27 for e4 (at most 32 bits in all)")]
    [InlineData("e1m31", "mantissa bits must be 0..30 for e1")]
    [InlineData("e8m123", "mantissa bits must be 0..23 for e8")]
    [InlineData("int1", "integer formats take 2..16 bits")]
    [InlineData("int123", "integer formats take 2..16 bits")]
    [InlineData("int99999999999", "integer formats take 2..16 bits")]
    public void Parse_OutOfRangeParameters_NameTheAllowedRange(string spec, string message)
    {
        var error = Assert.Throws<FormatException>(() => FormatSpec.Parse(spec));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_AcceptsEveryWidthInRange_AndLeadingZeros()
    {
        for (int e = 1; e <= 11; e++)
            for (int m = 0; m <= 31 - e; m++)
            {
                // e11m0's default bias 1023 would put its top binade at 2^1024.
                FormatInfo f = FormatSpec.Parse(e == 11 && m == 0 ? "e11m0:bias=1024" : $"e{e}m{m}");
                Assert.Equal((e, m), (f.ExponentBits, f.MantissaBits));
            }
        Assert.Equal(5, FormatSpec.Parse("e004m003:bias=+005").Bias);
        Assert.Equal(16, FormatSpec.Parse("int016").TotalBits);
    }

    [Fact]
    public void Validate_ChecksFormatsMadeInCode_WithTheSameRange()
    {
        var error = Assert.Throws<FormatException>(() => FormatSpec.Validate(KnownFormats.E4M3 with { Bias = -2_000_000_000 }));
        Assert.Contains("bias must be in -1008..1072", error.Message);
        Assert.Throws<FormatException>(() => FormatSpec.Validate(KnownFormats.E8M0 with { Bias = 1075 }));
        FormatSpec.Validate(KnownFormats.E8M0 with { Bias = 1074 });
        Assert.Throws<ArgumentException>(() => FormatSpec.BiasRange(KnownFormats.Int8));
    }

    /// <summary>The sweep's names are specs that parse back to the same format.</summary>
    [Theory, MemberData(nameof(Floats))]
    public void BiasSweep_Names_ParseToTheSameFormat(string spec)
    {
        foreach (FormatInfo f in BiasSweep.Variants(FormatSpec.Parse(spec)))
            Assert.Equal(f, FormatSpec.Parse(f.Name));
    }
}
