using System.Text.RegularExpressions;

namespace Fp4Sim.Cli.Tests;

public class BenchCastCommandTests
{
    /// <summary>The machine-readable last line; the tool's earlier contract (<c>fast … reference …</c>) is its prefix.</summary>
    internal static readonly Regex LastLine = new(@"^fast \d+ reference \d+ stream \d+ ratio \d+\.\d\d$");

    [Theory]
    [InlineData("e4m3", "rne")]
    [InlineData("e2m1", "rtz")]
    [InlineData("e5m2fnuz", "rup")]
    [InlineData("e3m2", "rdn")]
    [InlineData("int8", "rna")]
    public void Small_run_agrees_and_ends_with_the_rates_line(string format, string rounding)
    {
        CliResult r = CliRunner.Run("bench", "cast", "--format", format, "--rounding", rounding, "--count", "100000", "--threads", "0");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(r.ErrorLines);
        Assert.Contains(r.Progress, line => line.EndsWith(" s] timing the fast path and the stream baseline", StringComparison.Ordinal));
        Assert.Contains(r.Lines, line => line.StartsWith("stream: ", StringComparison.Ordinal) && line.Contains(" GB/s ("));
        Assert.Contains(r.Lines, line => Regex.IsMatch(line, @"^fast/stream \d+\.\d\d$"));
        Assert.Matches(LastLine, r.Lines[^1]);
    }

    // Float32 subnormal inputs are normal-range inputs for e8m0: this once caught a kernel bug (0x005b0f4d gave 0x01).
    [Fact]
    public void E8m0_agrees_with_the_reference()
    {
        foreach (string rounding in new[] { "rne", "rna", "rtz", "rup", "rdn" })
            Assert.True(CliRunner.Run("bench", "cast", "--format", "e8m0", "--rounding", rounding, "--count", "100000").ExitCode == 0, rounding);
    }

    [Fact]
    public void Ieee_overflow_is_accepted() =>
        Assert.Equal(0, CliRunner.Run("bench", "cast", "--format", "e5m2", "--overflow", "ieee", "--count", "5000").ExitCode);

    [Theory]
    [InlineData("fp16", "has 16 bits")]
    [InlineData("e4m3:subnormals=ftz", "no kernel for :subnormals=ftz")] // was an internal error (exit 70)
    public void Formats_without_a_vector_cast_are_exit_2(string format, string message)
    {
        CliResult r = CliRunner.Run("bench", "cast", "--format", format, "--count", "1000");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.ErrorLines));
    }
}
