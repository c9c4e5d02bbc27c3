using System.Text.RegularExpressions;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim bench mxquant</c>: vector path, reference and stream on one tensor; agreement checked; bad options exit 2.</summary>
public class BenchMxQuantCommandTests
{
    [Theory]
    [InlineData("mxfp4", "ocp", "rne", "1", "vector")]
    [InlineData("mxfp8_e4m3", "rceil", "rtz", "0", "vector")]
    [InlineData("mxint8", "ocp", "rna", "2", "vector")]
    [InlineData("nvfp4", "ocp", "rne", "1", "vector")]
    [InlineData("mxfp6_e2m3", "ocp", "sr", "1", "reference")]
    public void Small_run_agrees_and_ends_with_the_rates_line(string format, string rule, string rounding, string threads, string path)
    {
        CliResult r = CliRunner.Run("bench", "mxquant", "--format", format, "--scale-rule", rule, "--rounding", rounding,
            "--count", "300000", "--threads", threads);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(r.ErrorLines);
        Assert.StartsWith($"format {format} (blocks of ", r.Lines[0]);
        Assert.EndsWith($", path {path}", r.Lines[0]);
        Assert.Contains(r.Lines, line => line.StartsWith("stream: ", StringComparison.Ordinal) && line.Contains("read 4 B, write 1 B"));
        Assert.Contains(r.Lines, line => Regex.IsMatch(line, @"^fast/stream \d+\.\d\d$"));
        Assert.Matches(BenchCastCommandTests.LastLine, r.Lines[^1]);
    }

    [Theory]
    [InlineData("fp4sim: bench mxquant: unknown block format 'e2m1'", "--format", "e2m1")]
    [InlineData("fp4sim: bench mxquant: unknown scale rule 'max'", "--scale-rule", "max")]
    [InlineData("fp4sim: bench mxquant: malformed --count '8'", "--count", "8")]
    [InlineData("fp4sim: bench mxquant: malformed --threads 'many'", "--threads", "many")]
    public void Bad_options_are_exit_2_with_one_line(string message, string option, string value)
    {
        string[] args = option == "--format" ? ["bench", "mxquant", option, value] : ["bench", "mxquant", "--format", "mxfp4", option, value];
        CliResult r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message, Assert.Single(r.ErrorLines));
    }
}
