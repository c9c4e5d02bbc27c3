using System.Text.RegularExpressions;

namespace Fp4Sim.Numerics.Tests.Cli;

public class BenchCastCommandTests
{
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
        Assert.Equal("", r.Stderr);
        Assert.Matches(new Regex(@"^fast \d+ reference \d+$"), r.Lines[^1]);
    }

    // Library bug (vector kernel, not the CLI): for e8m0, float32 subnormal inputs below 2^-126 get code 0x01 from
    // FastCast where the reference (correctly) gives 0x00, e.g. 0x005b0f4d under rne, 0x0001cc1e under rup.
    [Fact(Skip = "FastCast e8m0 disagrees with the reference on float32 subnormal inputs; see report")]
    public void E8m0_agrees_with_the_reference()
    {
        foreach (string rounding in new[] { "rne", "rna", "rtz", "rup", "rdn" })
            Assert.True(CliRunner.Run("bench", "cast", "--format", "e8m0", "--rounding", rounding, "--count", "100000").ExitCode == 0, rounding);
    }

    [Fact]
    public void Ieee_overflow_is_accepted() =>
        Assert.Equal(0, CliRunner.Run("bench", "cast", "--format", "e5m2", "--overflow", "ieee", "--count", "5000").ExitCode);
}
