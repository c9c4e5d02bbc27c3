using System.Globalization;

namespace Fp4Sim.Cli.Tests;

public class BenchSgemmCommandTests
{
    [Theory]
    [InlineData("40", "24", "96", "1")] // below the parallel threshold: one thread whatever is asked
    [InlineData("150", "140", "130", "2")]
    public void SmallShape_EndsWithTheRateLine(string m, string n, string k, string threads)
    {
        var r = CliRunner.Run("bench", "sgemm", "--m", m, "--n", n, "--k", k, "--threads", threads, "--rounds", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(r.ErrorLines);
        Assert.Contains(r.Progress, line => line.EndsWith(" s] timing the float32 SGEMM", StringComparison.Ordinal));
        Assert.StartsWith($"float32 SGEMM C = A·B, M {m} N {n} K {k}, threads {threads}", r.Lines[0]);
        Assert.Contains("best of 2 after a warm-up", r.Lines[0]);
        Assert.Matches(@"^sgemm: \d+\.\d{3} ms, \d+\.\d GFLOP/s", r.Lines[^2]);
        string[] last = r.Lines[^1].Split(' ');
        Assert.Equal(6, last.Length);
        Assert.Equal(["sgemm", "ms", "threads"], new[] { last[0], last[2], last[4] });
        Assert.All(new[] { last[1], last[3] }, v => Assert.True(double.Parse(v, CultureInfo.InvariantCulture) > 0, v));
        Assert.Equal(threads, last[5]);
    }

    [Fact]
    public void SmallShape_OnAllCores_SaysItRanOnOne()
    {
        var r = CliRunner.Run("bench", "sgemm", "--m", "8", "--n", "8", "--k", "8", "--threads", "0", "--rounds", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("threads 1 (asked all (", r.Lines[0]);
        Assert.EndsWith(" threads 1", r.Lines[^1]);
    }

    [Theory]
    [InlineData("--m", "0", "fp4sim: bench sgemm: malformed --m '0' (expected an integer 1..65536)")]
    [InlineData("--k", "65537", "fp4sim: bench sgemm: malformed --k '65537'")]
    [InlineData("--rounds", "0", "fp4sim: bench sgemm: malformed --rounds '0' (expected an integer 1..1000)")]
    [InlineData("--threads", "many", "fp4sim: bench sgemm: malformed --threads 'many'")]
    [InlineData("--acc", "fp32", "fp4sim: bench sgemm: unknown option '--acc'")]
    public void BadOptions_Exit2WithOneLine(string option, string value, string message)
    {
        var r = CliRunner.Run("bench", "sgemm", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message, Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void TooLargeForOneArray_Exit2()
    {
        var r = CliRunner.Run("bench", "sgemm", "--m", "65536", "--n", "65536", "--k", "8");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("fp4sim: bench sgemm: 65536x65536x8 is too large for one array", Assert.Single(r.ErrorLines));
    }
}
