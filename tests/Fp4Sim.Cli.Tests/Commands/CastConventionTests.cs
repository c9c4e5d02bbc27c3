using Fp4Sim.Cli;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>cast --convention</c> and <c>:subnormals=ftz</c> through the CLI: the examples of docs/semantics.md §7.1.</summary>
public class CastConventionTests
{
    private static string[] Cast(string format, string input, params string[] extra)
    {
        CliResult r = CliRunner.RunWithInput(input.Replace(' ', '\n') + "\n", ["cast", "--format", format, .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Lines;
    }

    [Theory]
    [InlineData("e4m3", "inf nan 1000", "fp4sim", "0x7e 0x7f 0x7e")]
    [InlineData("e4m3", "inf nan 1000", "ml_dtypes", "0x7f 0x7f 0x7f")]
    [InlineData("e4m3", "inf nan 1000", "gfloat", "0xff 0xff 0xff")]
    [InlineData("e4m3", "inf nan 1000", "microxcaling", "0x7f 0x7f 0x7e")]
    [InlineData("e8m0", "0 -3 3", "fp4sim", "0x00 0xff 0x80")]
    [InlineData("float8_e8m0fnu", "0 -3 3", "ml_dtypes", "0xff 0xff 0x81")]
    [InlineData("e8m0", "0 -3 3", "gfloat", "0x00 0xff 0x80")]
    [InlineData("e8m0", "0 -3 3", "microxcaling", "0x00 0xff 0x81")]
    [InlineData("e2m1", "nan -nan", "fp4sim", "0x7 0x7")]
    [InlineData("float4_e2m1fn", "nan -nan", "ML_DTYPES", "0x8 0x0")]
    [InlineData("int8", "-128", "microxcaling", "0x81")]
    [InlineData("int8", "-128", "gfloat", "0x80")]
    public void DocumentedExamples(string format, string inputs, string convention, string expected) =>
        Assert.Equal(expected.Split(' '), Cast(format, inputs, "--convention", convention));

    [Fact]
    public void AnExplicitOptionBeatsTheConventionsDefault() =>
        Assert.Equal(["0x00", "0x00"], Cast("e8m0", "0 -3", "--convention", "ml_dtypes", "--overflow", "saturate"));

    [Fact]
    public void FlushToZero_IsASpecOption() =>
        Assert.Equal(["0x00", "0x08", "0x80"], Cast("e4m3:subnormals=ftz", "0.015 0.015625 -0.001"));

    [Theory]
    [InlineData("e4m3", "--rounding rna --convention ml_dtypes", "ml_dtypes rounds to nearest even or truncates")]
    [InlineData("int4", "--convention ml_dtypes", "not modelled")]
    [InlineData("e4m3", "--convention gfloat --rounding sr", "srbits")]
    [InlineData("e4m3", "--convention microxcaling --rounding rup", "'floor' (rtz), not rup")]
    [InlineData("e4m3", "--convention numpy", "unknown convention 'numpy'")]
    public void RefusedCombinations_AreExit2WithOneLine(string format, string options, string message)
    {
        CliResult r = CliRunner.RunWithInput("1\n", ["cast", "--format", format, .. options.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void AValueGfloatRaisesOn_IsExit2NamingTheLine()
    {
        CliResult r = CliRunner.RunWithInput("1\n2\nnan\n", ["cast", "--format", "e2m1", "--convention", "gfloat"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cast: line 3: gfloat raises: NaN into e2m1", r.Stderr);
    }

    [Fact]
    public void MxQuantize_Microxcaling_ClampsMxint8Symmetrically_InLinesAndArrays()
    {
        string input = "-1.9921875\n" + string.Concat(Enumerable.Repeat("1.5\n", 31)); // −127.5/64: a tie to −128
        CliResult ours = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "mxint8");
        CliResult theirs = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "mxint8", "--convention", "microxcaling");
        Assert.True(ours.ExitCode == 0 && theirs.ExitCode == 0, ours.Stderr + theirs.Stderr);
        Assert.Equal("0x80", ours.Lines[0].Split(' ')[1]);
        Assert.Equal("0x81", theirs.Lines[0].Split(' ')[1]);
        Assert.Equal(ours.Lines[0].Split(' ')[2..], theirs.Lines[0].Split(' ')[2..]);
    }

    [Fact]
    public void MxQuantize_RefusesAModeTheConventionLacks()
    {
        CliResult r = CliRunner.RunWithInput("1\n", "mx", "quantize", "--format", "mxfp4", "--pad", "--convention", "ml_dtypes", "--rounding", "sr");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: mx quantize: --convention ml_dtypes: ", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void MxQuantize_AGfloatRaise_IsExit2()
    {
        string input = "nan\n" + string.Concat(Enumerable.Repeat("1\n", 31));
        CliResult r = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "mxfp4", "--nan-policy", "ignore", "--convention", "gfloat");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("gfloat raises: NaN into e2m1", Assert.Single(r.ErrorLines));
    }
}
