using System.Globalization;

namespace Fp4Sim.Cli.Tests;

public class BenchMxGemmCommandTests
{
    [Theory]
    [InlineData("fp32")]
    [InlineData("exact")]
    public void SmallShape_ChecksTheSampleAndEndsWithBothRates(string acc)
    {
        var r = CliRunner.Run("bench", "mxgemm", "--m", "40", "--n", "24", "--k", "96", "--threads", "2", "--acc", acc);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("sampled outputs bit-identical to the scalar reference", r.Stdout);
        string[] last = r.Lines[^1].Split(' ');
        Assert.Equal(8, last.Length);
        Assert.Equal(["exact", "fakequant", "peak", "ratio"], new[] { last[0], last[2], last[4], last[6] });
        Assert.All(new[] { last[1], last[3], last[5], last[7] }, v => Assert.True(double.Parse(v, CultureInfo.InvariantCulture) > 0, v));
        Assert.Matches(@"^int8 peak: \d+\.\d GMAC/s \(.+, register-only, 2 threads\); exact/peak \d+\.\d\d", r.Lines[^2]);
    }

    [Theory]
    [InlineData("--k", "100", "not a multiple of the MXFP4 block size 32")]
    [InlineData("--acc", "tc:h100", "not supported by the fast GEMM")]
    [InlineData("--m", "0", "--m")]
    public void BadShapesAndAccumulators_Exit2(string option, string value, string message)
    {
        var r = CliRunner.Run("bench", "mxgemm", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public void UnknownBenchTarget_NamesBoth()
    {
        var r = CliRunner.Run("bench", "gemm");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'bench cast' or 'bench mxgemm'", r.Stderr);
    }
}
