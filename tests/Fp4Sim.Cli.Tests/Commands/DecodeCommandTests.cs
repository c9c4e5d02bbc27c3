using Fp4Sim.Cli;
using Fp4Sim.Numerics.Exact;

namespace Fp4Sim.Cli.Tests;

public class DecodeCommandTests
{
    [Fact]
    public void E2m1_lists_all_sixteen_codes()
    {
        CliResult r = CliRunner.Run("decode", "--format", "e2m1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            ["0x0 0", "0x1 0.5", "0x2 1", "0x3 1.5", "0x4 2", "0x5 3", "0x6 4", "0x7 6",
             "0x8 -0", "0x9 -0.5", "0xa -1", "0xb -1.5", "0xc -2", "0xd -3", "0xe -4", "0xf -6"],
            r.Lines);
    }

    [Fact]
    public void E8m0_prints_exact_tiny_values_without_exponents()
    {
        string[] lines = CliRunner.Run("decode", "--format", "e8m0").Lines;
        Assert.Equal(256, lines.Length);
        Assert.StartsWith("0x00 0.0000", lines[0]);
        Assert.EndsWith("2578125", lines[0]); // 2^-127 exactly
        Assert.DoesNotContain(lines, l => l.Split(' ')[1].Contains('E') || l.Split(' ')[1].Contains('e'));
        Assert.Equal("0x7f 1", lines[127]);
        Assert.Equal("0xfe 170141183460469231731687303715884105728", lines[254]);
        Assert.Equal("0xff nan", lines[255]);
    }

    [Fact]
    public void Specials_and_widths_follow_the_format()
    {
        string[] e5m2 = CliRunner.Run("decode", "--format", "e5m2").Lines;
        Assert.Equal("0x7c inf", e5m2[0x7c]);
        Assert.Equal("0xfc -inf", e5m2[0xfc]);
        Assert.Equal("0x7d nan", e5m2[0x7d]);
        Assert.Equal("0x80 -0", e5m2[0x80]);
        Assert.Equal("0x01 0.0000152587890625", e5m2[1]);
        string[] fnuz = CliRunner.Run("decode", "--format", "e4m3fnuz").Lines;
        Assert.Equal("0x80 nan", fnuz[0x80]);
        string[] int4 = CliRunner.Run("decode", "--format", "int4").Lines;
        Assert.Equal(["0x7 7", "0x8 -8", "0xf -1"], new[] { int4[7], int4[8], int4[15] });
        string[] fp16 = CliRunner.Run("decode", "--format", "fp16").Lines;
        Assert.Equal(65536, fp16.Length);
        Assert.Equal("0x3c00 1", fp16[0x3c00]);
        Assert.Equal("0x7bff 65504", fp16[0x7bff]);
    }

    /// <summary>Library names decode exactly as the format they name (ml_dtypes, PyTorch, ONNX spellings, any case).</summary>
    [Theory]
    [InlineData("float8_e4m3fn", "e4m3")]
    [InlineData("torch.float8_e5m2fnuz", "e5m2fnuz")]
    [InlineData("FLOAT8E4M3FNUZ", "e4m3fnuz")]
    [InlineData("float8_e4m3", "e4m3ieee")]
    [InlineData("float8_e4m3b11fnuz", "e4m3b11fnuz")]
    [InlineData("UINT4", "uint4")]
    [InlineData("torch.uint8", "uint8")]
    public void Aliases_decode_as_their_format(string alias, string format) =>
        Assert.Equal(CliRunner.Run("decode", "--format", format).Lines, CliRunner.Run("decode", "--format", alias).Lines);

    [Fact]
    public void Unsigned_integers_decode_to_their_codes()
    {
        Assert.Equal(Enumerable.Range(0, 16).Select(c => $"0x{c:x} {c}"), CliRunner.Run("decode", "--format", "uint4").Lines);
        string[] b11 = CliRunner.Run("decode", "--format", "float8_e4m3b11fnuz").Lines;
        Assert.Equal("0x80 nan", b11[0x80]);
        Assert.Equal("0x7f 30", b11[0x7f]);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.0, "1")]
    [InlineData(-0.015625, "-0.015625")]
    [InlineData(0.1, "0.1000000000000000055511151231257827021181583404541015625")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(double.Epsilon, "0.")] // prefix check below
    public void Exact_decimal_is_exact(double value, string expected)
    {
        string text = ExactDecimal.Format(value);
        if (expected.EndsWith('.')) Assert.StartsWith("0.000", text);
        else Assert.Equal(expected, text);
        Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }
}
