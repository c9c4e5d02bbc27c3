using Fp4Sim.Cli;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli.Tests;

public class CastCommandTests
{
    private static string Cast(string format, string input, params string[] extra)
    {
        CliResult r = CliRunner.RunWithInput(input + "\n", ["cast", "--format", format, .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        return Assert.Single(r.Lines);
    }

    [Theory]
    [InlineData("e2m1", "1.0", "0x2")]
    [InlineData("e2m1", "6.0", "0x7")]
    [InlineData("e2m1", "100", "0x7")]
    [InlineData("e2m1", "-0.5", "0x9")]
    [InlineData("e2m1", "0.25", "0x0")]    // tie between 0 and 0.5: to the even code 0x0
    [InlineData("e2m1", "0.75", "0x2")]    // tie between 0.5 (0x1) and 1 (0x2): even
    [InlineData("e4m3", "448", "0x7e")]
    [InlineData("e4m3", "464", "0x7e")]
    [InlineData("fp32", "0x3f800000", "0x3f800000")]
    [InlineData("fp16", "1.0", "0x3c00")]
    [InlineData("fp16", "  -2e0  ", "0xc000")]
    [InlineData("int4", "-8", "0x8")]
    [InlineData("uint4", "15.5", "0xf")]   // saturates
    [InlineData("uint4", "2.5", "0x2")]    // tie: even
    [InlineData("uint4", "-3", "0x0")]     // below the range: 0
    [InlineData("torch.uint4", "7", "0x7")]
    [InlineData("float8_e4m3fn", "448", "0x7e")]
    [InlineData("float8_e4m3", "240", "0x77")]
    [InlineData("float8_e4m3", "1000", "0x77")] // saturating by default; ieee overflow gives Inf 0x78
    [InlineData("FLOAT8E8M0", "0.5", "0x7e")]
    [InlineData("e2m3", "1", "0x08")]
    [InlineData("e4m3", "nan", "0x7f")]
    [InlineData("e4m3", "-nan", "0xff")]
    [InlineData("fp16", "-inf", "0xfbff")]      // saturate: Inf inputs become ±max finite
    [InlineData("fp16", "1e9", "0x7bff")]
    public void Casts_known_values(string format, string input, string expected) =>
        Assert.Equal(expected, Cast(format, input));

    [Fact]
    public void Ieee_overflow_gives_nan_for_e4m3() =>
        Assert.Equal("0x7f", Cast("e4m3", "480", "--overflow", "ieee"));

    [Theory]
    [InlineData("-inf", "0xfc00")]
    [InlineData("Infinity", "0x7c00")]
    [InlineData("1e9", "0x7c00")]
    [InlineData("0x7fc00001", "0x7e00")]
    public void Ieee_overflow_keeps_infinities(string input, string expected) =>
        Assert.Equal(expected, Cast("fp16", input, "--overflow", "ieee"));

    [Fact]
    public void Rounding_option_selects_the_mode()
    {
        Assert.Equal("0x1", Cast("e2m1", "0.25", "--rounding", "rna"));
        Assert.Equal("0x2", Cast("e2m1", "1.4", "--rounding=rtz"));
        Assert.Equal("0x3", Cast("e2m1", "1.1", "--rounding", "rup"));
    }

    [Theory]
    [InlineData("e2m1")]
    [InlineData("e4m3")]
    [InlineData("e5m2fnuz")]
    [InlineData("e8m0")]
    [InlineData("fp16")]
    [InlineData("int8")]
    public void Matches_the_library_encoder_for_many_values(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        float[] values = [0f, -0f, 1e-3f, 0.3f, -0.7f, 1.5f, 2.5f, 3.75f, -13f, 100f, 1e5f, -1e30f, 1e-40f];
        CliResult r = CliRunner.RunWithInput(
            string.Join("\n", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
            "cast", "--format", spec);
        Assert.Equal(0, r.ExitCode);
        string[] expected = values
            .Select(v => CodeText.Format(Encoder.Encode(format, v, RoundingContext.Default), CodeText.Digits(format))).ToArray();
        Assert.Equal(expected, r.Lines);
    }

    [Fact]
    public void Stochastic_rounding_uses_the_line_index_and_seed()
    {
        FormatInfo format = KnownFormats.E2M1;
        string input = string.Join("\n", Enumerable.Repeat("0x3fa00000", 64)); // 1.25: halfway between 1 and 1.5
        CliResult r = CliRunner.RunWithInput(input, "cast", "--format", "e2m1", "--rounding", "sr", "--seed", "7");
        Assert.Equal(0, r.ExitCode);
        string[] expected = Enumerable.Range(0, 64).Select(i => CodeText.Format(
            Encoder.Encode(format, 1.25f, new RoundingContext(RoundingMode.Sr, OverflowMode.Saturate, StochasticBits.For(7, (ulong)i))),
            1)).ToArray();
        Assert.Equal(expected, r.Lines);
        Assert.Contains("0x2", r.Lines);
        Assert.Contains("0x3", r.Lines);
    }

    [Fact]
    public void Seed_without_sr_is_ignored() =>
        Assert.Equal("0x2", Cast("e2m1", "1", "--seed", "5"));

    [Fact]
    public void Output_before_a_bad_line_is_kept()
    {
        CliResult r = CliRunner.RunWithInput("1\n2\nabc\n4\n", "cast", "--format", "e2m1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["0x2", "0x4"], r.Lines);
        Assert.Equal("fp4sim: line 3: malformed number 'abc' (expected 0x + 8 hex digits or a decimal number)", Assert.Single(r.ErrorLines));
    }

    [Theory]
    [InlineData("0x3f80")]
    [InlineData("0x3f8000000")]
    [InlineData("0xzzzzzzzz")]
    [InlineData("1,5")]
    [InlineData("1.5x")]
    [InlineData("--1")]
    public void Malformed_numbers_are_rejected(string line)
    {
        CliResult r = CliRunner.RunWithInput(line + "\n", "cast", "--format", "e2m1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"fp4sim: line 1: malformed number '{line}' (expected 0x + 8 hex digits or a decimal number)", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void Empty_line_is_an_error()
    {
        CliResult r = CliRunner.RunWithInput("1\n\n2\n", "cast", "--format", "e2m1");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: line 2: empty line", Assert.Single(r.ErrorLines));
    }
}
