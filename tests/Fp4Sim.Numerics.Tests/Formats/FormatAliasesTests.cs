using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Tests.Formats;

/// <summary>
/// The names users type (ml_dtypes, PyTorch, ONNX): each parses, in any case, to the format it names; every code decodes
/// as that format's code; and the format has the limits, NaN and Inf encodings and zeros the library publishes.
/// </summary>
public class FormatAliasesTests
{
    /// <summary>
    /// A library's published definition of a float type. <see cref="NaN"/> and <see cref="Inf"/> list codes in hex, or
    /// say <c>ieee</c> (every code whose exponent field is all ones: NaN with a nonzero trailing significand, Inf with
    /// zero), or <c>-</c> (none).
    /// </summary>
    public sealed record Published(int Bits, int E, int M, double Max, double MinNormal, double MinSubnormal,
        string NaN, string Inf, bool NegativeZero);

    // ml_dtypes: README.md "Specifications of implemented floating point formats" (E, M, bias, inf/NaN encodings) and
    // ml_dtypes/_finfo.py (max, smallest_normal, smallest_subnormal). ONNX: docs/technical/float8.md (E4M3FN, E4M3FNUZ,
    // E5M2, E5M2FNUZ: bias, infinities, NaN, zeros, max, min), onnx.proto (FLOAT4E2M1 and FLOAT8E8M0 follow OCP MX v1.0).
    // PyTorch: c10/util/Float8_*.h header comments (bias, NaN, no infinities or negative zero for the fnuz types).
    // IEEE 754 binary16 / binary32 and bfloat16 (binary32 truncated to 16 bits) for the wider types.
    private static double P2(int exponent) => Math.ScaleB(1.0, exponent);

    private static readonly Published E2M1 = new(4, 2, 1, 6, 1, 0.5, "-", "-", true);
    private static readonly Published E2M3 = new(6, 2, 3, 7.5, 1, 0.125, "-", "-", true);
    private static readonly Published E3M2 = new(6, 3, 2, 28, 0.25, 0.0625, "-", "-", true);
    private static readonly Published E3M4 = new(8, 3, 4, 15.5, P2(-2), P2(-6), "ieee", "0x70,0xf0", true);
    private static readonly Published E4M3 = new(8, 4, 3, 240, P2(-6), P2(-9), "ieee", "0x78,0xf8", true);
    private static readonly Published E4M3B11Fnuz = new(8, 4, 3, 30, P2(-10), P2(-13), "0x80", "-", false);
    private static readonly Published E4M3Fn = new(8, 4, 3, 448, P2(-6), P2(-9), "0x7f,0xff", "-", true);
    private static readonly Published E4M3Fnuz = new(8, 4, 3, 240, P2(-7), P2(-10), "0x80", "-", false);
    private static readonly Published E5M2 = new(8, 5, 2, 57344, P2(-14), P2(-16), "ieee", "0x7c,0xfc", true);
    private static readonly Published E5M2Fnuz = new(8, 5, 2, 57344, P2(-15), P2(-17), "0x80", "-", false);
    private static readonly Published E5M3Fnu = new(8, 5, 3, 114688, P2(-14), P2(-17), "0xff", "-", false); // unsigned
    private static readonly Published E8M0Fnu = new(8, 8, 0, P2(127), P2(-127), P2(-127), "0xff", "-", false); // no zero
    private static readonly Published Float16 = new(16, 5, 10, 65504, P2(-14), P2(-24), "ieee", "0x7c00,0xfc00", true);
    private static readonly Published BFloat16 = new(16, 8, 7, Math.ScaleB(255.0, 120), P2(-126), P2(-133), "ieee", "0x7f80,0xff80", true);
    private static readonly Published Float32 =
        new(32, 8, 23, float.MaxValue, P2(-126), P2(-149), "ieee", "0x7f800000,0xff800000", true);

    /// <summary>Every float name of the three libraries and the definition it is published with.</summary>
    public static TheoryData<string, string> FloatNames => new()
    {
        // ml_dtypes
        { "float4_e2m1fn", nameof(E2M1) }, { "float6_e2m3fn", nameof(E2M3) }, { "float6_e3m2fn", nameof(E3M2) },
        { "float8_e3m4", nameof(E3M4) }, { "float8_e4m3", nameof(E4M3) }, { "float8_e4m3b11fnuz", nameof(E4M3B11Fnuz) },
        { "float8_e4m3fn", nameof(E4M3Fn) }, { "float8_e4m3fnuz", nameof(E4M3Fnuz) }, { "float8_e5m2", nameof(E5M2) },
        { "float8_e5m2fnuz", nameof(E5M2Fnuz) }, { "float8_e5m3fnu", nameof(E5M3Fnu) }, { "float8_e8m0fnu", nameof(E8M0Fnu) },
        { "bfloat16", nameof(BFloat16) },
        // NumPy / short spellings
        { "float16", nameof(Float16) }, { "half", nameof(Float16) }, { "float32", nameof(Float32) },
        { "e4m3fn", nameof(E4M3Fn) }, { "e8m0fnu", nameof(E8M0Fnu) },
        // PyTorch
        { "torch.float8_e4m3fn", nameof(E4M3Fn) }, { "torch.float8_e4m3fnuz", nameof(E4M3Fnuz) },
        { "torch.float8_e5m2", nameof(E5M2) }, { "torch.float8_e5m2fnuz", nameof(E5M2Fnuz) },
        { "torch.float8_e8m0fnu", nameof(E8M0Fnu) }, { "torch.bfloat16", nameof(BFloat16) },
        { "torch.float16", nameof(Float16) }, { "torch.half", nameof(Float16) },
        { "torch.float32", nameof(Float32) }, { "torch.float", nameof(Float32) },
        // ONNX TensorProto.DataType
        { "FLOAT8E4M3FN", nameof(E4M3Fn) }, { "FLOAT8E4M3FNUZ", nameof(E4M3Fnuz) }, { "FLOAT8E5M2", nameof(E5M2) },
        { "FLOAT8E5M2FNUZ", nameof(E5M2Fnuz) }, { "FLOAT4E2M1", nameof(E2M1) }, { "FLOAT8E8M0", nameof(E8M0Fnu) },
        { "BFLOAT16", nameof(BFloat16) }, { "FLOAT16", nameof(Float16) }, { "FLOAT", nameof(Float32) },
    };

    /// <summary>
    /// Every integer name and its published range: ml_dtypes README (int2, int4, uint1, uint2, uint4), onnx.proto
    /// ("UINT4: unsigned integer in range [0, 15]", "INT4: signed integer in range [-8, 7], two's complement"; INT2, UINT2,
    /// INT8, UINT8, INT16, UINT16), PyTorch's dtypes (torch.int2 .. torch.int8, torch.int16 / torch.short, torch.uint1 ..
    /// torch.uint8, torch.uint16).
    /// </summary>
    public static TheoryData<string, int, int, int> IntegerNames
    {
        get
        {
            var data = new TheoryData<string, int, int, int>
            {
                { "int2", 2, -2, 1 }, { "int4", 4, -8, 7 }, { "uint1", 1, 0, 1 }, { "uint2", 2, 0, 3 }, { "uint4", 4, 0, 15 },
                { "INT2", 2, -2, 1 }, { "UINT2", 2, 0, 3 }, { "INT4", 4, -8, 7 }, { "UINT4", 4, 0, 15 }, { "INT8", 8, -128, 127 },
                { "UINT8", 8, 0, 255 }, { "INT16", 16, -32768, 32767 }, { "UINT16", 16, 0, 65535 },
                { "torch.short", 16, -32768, 32767 }, { "torch.int16", 16, -32768, 32767 }, { "torch.uint16", 16, 0, 65535 },
            };
            for (int bits = 2; bits <= 8; bits++) data.Add($"torch.int{bits}", bits, -(1 << (bits - 1)), (1 << (bits - 1)) - 1);
            for (int bits = 1; bits <= 8; bits++) data.Add($"torch.uint{bits}", bits, 0, (1 << bits) - 1);
            return data;
        }
    }

    private static Published Definition(string key) => key switch
    {
        nameof(E2M1) => E2M1,
        nameof(E2M3) => E2M3,
        nameof(E3M2) => E3M2,
        nameof(E3M4) => E3M4,
        nameof(E4M3) => E4M3,
        nameof(E4M3B11Fnuz) => E4M3B11Fnuz,
        nameof(E4M3Fn) => E4M3Fn,
        nameof(E4M3Fnuz) => E4M3Fnuz,
        nameof(E5M2) => E5M2,
        nameof(E5M2Fnuz) => E5M2Fnuz,
        nameof(E5M3Fnu) => E5M3Fnu,
        nameof(E8M0Fnu) => E8M0Fnu,
        nameof(Float16) => Float16,
        nameof(BFloat16) => BFloat16,
        nameof(Float32) => Float32,
        _ => throw new ArgumentException(key),
    };

    /// <summary>Every code of ≤ 16-bit formats; for 32 bits, each sign and exponent field with a spread of significands.</summary>
    private static IEnumerable<uint> Codes(FormatInfo f)
    {
        if (f.TotalBits <= 16) return CodeSpace.AllCodes(f);
        uint[] trailing = [0, 1, 2, 3, 0x1234, 0x3FFFFF, 0x400000, 0x400001, 0x555555, 0x7FFFFE, 0x7FFFFF];
        return Enumerable.Range(0, 512).SelectMany(top => trailing.Select(t => ((uint)top << 23) | t));
    }

    private static HashSet<uint> Hex(string list, FormatInfo f, Func<uint, bool> ieeeRule) => list switch
    {
        "-" => [],
        "ieee" => Codes(f).Where(ieeeRule).ToHashSet(),
        _ => list.Split(',').Select(h => Convert.ToUInt32(h, 16)).ToHashSet(),
    };

    [Theory, MemberData(nameof(FloatNames))]
    public void FloatName_HasThePublishedDefinition(string name, string definition)
    {
        Published p = Definition(definition);
        FormatInfo f = FormatSpec.Parse(name);
        Assert.Equal((p.Bits, p.E, p.M), (f.TotalBits, f.ExponentBits, f.MantissaBits));
        Assert.Equal(p.Max, CodeSpace.MaxFinite(f));
        Assert.Equal(p.MinNormal, CodeSpace.MinNormal(f));
        Assert.Equal(p.MinSubnormal, CodeSpace.MinSubnormal(f));

        uint allOnes = (uint)((1 << p.E) - 1), trailingMask = (1u << p.M) - 1;
        uint Field(uint c) => (c >> p.M) & allOnes;
        HashSet<uint> nan = Hex(p.NaN, f, c => Field(c) == allOnes && (c & trailingMask) != 0);
        HashSet<uint> inf = Hex(p.Inf, f, c => Field(c) == allOnes && (c & trailingMask) == 0);
        var codes = Codes(f).Concat(nan).Concat(inf).Distinct().ToArray();
        Assert.Equal(nan.Order(), codes.Where(c => Decoder.Classify(f, c) == CodeClass.NaN).Order());
        Assert.Equal(inf.Order(), codes.Where(c => Decoder.Classify(f, c) == CodeClass.Infinity).Order());
        Assert.Equal(p.NegativeZero, codes.Any(c => Decoder.Decode(f, c) == 0 && double.IsNegative(Decoder.Decode(f, c))));
        Assert.Equal(p.NegativeZero, f.HasNegativeZero);

        if (f.TotalBits > 16) return;
        double[] finite = codes.Select(c => Decoder.Decode(f, c)).Where(double.IsFinite).ToArray();
        Assert.Equal(p.Max, finite.Max());                                       // the scan agrees with CodeSpace
        Assert.Equal(p.MinSubnormal, finite.Where(v => v > 0).Min());
        IEnumerable<uint> normals = codes.Where(c => Decoder.Classify(f, c) == CodeClass.Normal);
        Assert.Equal(p.MinNormal, normals.Select(c => Math.Abs(Decoder.Decode(f, c))).Min());
    }

    [Theory, MemberData(nameof(IntegerNames))]
    public void IntegerName_HoldsEachIntegerOfThePublishedRangeOnce(string name, int bits, int min, int max)
    {
        FormatInfo f = FormatSpec.Parse(name);
        Assert.True(f.IsInteger);
        Assert.Equal(bits, f.TotalBits);
        Assert.Equal(min < 0, f.IsSigned);
        int[] values = CodeSpace.AllCodes(f).Select(c => (int)Decoder.Decode(f, c)).Order().ToArray();
        Assert.Equal(Enumerable.Range(min, max - min + 1), values);
        Assert.DoesNotContain(CodeSpace.AllCodes(f), c => Decoder.Classify(f, c) is CodeClass.NaN or CodeClass.Infinity);
    }

    /// <summary>Every alias, upper- and lower-case, parses to the very format it names, and decodes every code as it.</summary>
    [Fact]
    public void EveryAlias_ParsesToItsFormat_AndDecodesEveryCodeAsIt()
    {
        foreach (FormatAlias alias in FormatAliases.All)
        {
            FormatInfo canonical = FormatSpec.Parse(alias.Format.Name);
            Assert.Equal(alias.Format, canonical);
            foreach (string spelling in new[] { alias.Name, alias.Name.ToUpperInvariant(), $"  {alias.Name} " })
            {
                FormatInfo parsed = FormatSpec.Parse(spelling);
                Assert.True(parsed == canonical, $"{spelling} parsed as {parsed.Name}, not {canonical.Name}");
                foreach (uint code in Codes(canonical))
                {
                    Assert.Equal(Decoder.Classify(canonical, code), Decoder.Classify(parsed, code));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Decoder.Decode(canonical, code)),
                                 BitConverter.DoubleToInt64Bits(Decoder.Decode(parsed, code)));
                    Assert.Equal(BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(canonical, code)),
                                 BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(parsed, code)));
                }
            }
        }
    }

    [Fact]
    public void Aliases_AreLowerCase_Distinct_AndNeverShadowACatalogueName()
    {
        Assert.All(FormatAliases.All, a => Assert.Equal(a.Name.ToLowerInvariant(), a.Name));
        Assert.Equal(FormatAliases.All.Count, FormatAliases.All.Select(a => a.Name).Distinct().Count());
        Assert.DoesNotContain(FormatAliases.All, a => KnownFormats.All.Any(f => f.Name == a.Name));
        Assert.Same(FormatAliases.ByName, KnownFormats.Aliases);
        Assert.Equal(new[] { "e4m3fn", "float8_e4m3fn", "torch.float8_e4m3fn", "float8e4m3fn" }, FormatAliases.Of(KnownFormats.E4M3));
        Assert.Empty(FormatAliases.Of(FormatSpec.Parse("e4m3:specials=none")));
    }

    [Theory]
    [InlineData("torch.float4_e2m1fn_x2")] // two e2m1 codes packed in a byte: not one code
    [InlineData("float8_e4m3b11")]         // ml_dtypes' pre-0.2 name, since removed
    [InlineData("torch.int32")]
    [InlineData("FLOAT64")]
    [InlineData("torch.complex32")]
    public void NamesWithoutAFormat_AreRejected(string name)
    {
        var error = Assert.Throws<FormatException>(() => FormatSpec.Parse(name));
        Assert.Contains("unknown format", error.Message);
    }

    [Theory]
    [InlineData("int1", "integer formats take 2..16 bits")] // ml_dtypes int1 / torch.int1 (values −1, 0) are not supported
    [InlineData("torch.int1", "unknown format")]
    public void OneBitSignedIntegers_AreRejected(string name, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => FormatSpec.Parse(name)).Message);

    /// <summary>An alias is only a spelling: options after it act as after its canonical name (the result is named by the spec).</summary>
    [Theory]
    [InlineData("float8_e4m3fn:bias=8", "e4m3:bias=8")]
    [InlineData("FLOAT8E4M3FN:subnormals=off", "e4m3:subnormals=off")]
    [InlineData("torch.float8_e5m2fnuz:specials=fn", "e5m2fnuz:specials=fn")]
    [InlineData("float8_e4m3:specials=fn", "e4m3ieee:specials=fn")]
    [InlineData("torch.bfloat16:subnormals=off", "bf16:subnormals=off")]
    [InlineData("float4_e2m1fn:specials=fn:bias=2", "e2m1:specials=fn:bias=2")]
    public void OptionsAfterAnAlias_ActAsAfterItsFormat(string alias, string canonical)
    {
        FormatInfo viaAlias = FormatSpec.Parse(alias), direct = FormatSpec.Parse(canonical);
        Assert.Equal(direct with { Name = "" }, viaAlias with { Name = "" });
        Assert.Equal(alias.ToLowerInvariant(), viaAlias.Name);
        Assert.Equal(viaAlias, FormatSpec.Parse(viaAlias.Name)); // the name parses back
    }

    /// <summary>Without bias=, a kept specials policy keeps the named format's bias; a changed one takes its default.</summary>
    [Theory]
    [InlineData("float8_e4m3b11fnuz:subnormals=off", 11)]
    [InlineData("e4m3b11fnuz:specials=fnuz", 11)]
    [InlineData("e4m3b11fnuz:specials=fn", 7)]
    [InlineData("float8_e4m3fnuz:specials=fn", 7)]
    [InlineData("float8_e4m3fn:specials=fnuz", 8)]
    [InlineData("e4m3b11fnuz:bias=9", 9)]
    public void OptionsAfterAnAlias_KeepTheBiasUnlessTheSpecialsChange(string spec, int bias) =>
        Assert.Equal(bias, FormatSpec.Parse(spec).Bias);

    [Theory]
    [InlineData("torch.int16:bias=1", "format 'torch.int16' takes no options")]
    [InlineData("UINT4:bias=1", "format 'uint4' takes no options")]
    [InlineData("float8_e8m0fnu:bias=1", "format 'float8_e8m0fnu' takes no options")]
    [InlineData("float8_e5m3fnu:specials=ieee", "format 'float8_e5m3fnu' takes no options")]
    [InlineData("float8_e4m3fn:colour=red", "unknown option 'colour'")]
    public void OptionsAfterAnAlias_ThatItsFormatRefuses_AreRefused(string spec, string message)
    {
        var error = Assert.Throws<FormatException>(() => FormatSpec.Parse(spec));
        Assert.Contains(message, error.Message);
    }
}
