using System.Text.RegularExpressions;

namespace Fp4Sim.Cli.Tests;

public class BenchDecodeCommandTests
{
    [Theory]
    [InlineData("e2m1", "1")]
    [InlineData("e4m3", "0")]
    [InlineData("e5m2", "2")]
    [InlineData("e8m0", "1")]
    [InlineData("int4", "0")]
    [InlineData("uint8", "1")]
    [InlineData("e4m3:subnormals=ftz", "1")] // no encode kernel, but the decode table covers every format
    public void Small_run_agrees_and_ends_with_the_rates_line(string format, string threads)
    {
        CliResult r = CliRunner.Run("bench", "decode", "--format", format, "--count", "300000", "--threads", threads);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(r.ErrorLines);
        Assert.Contains(r.Progress, line => line.EndsWith(" s] timing the fast path and the stream baseline", StringComparison.Ordinal));
        Assert.Contains(r.Lines, line => line.StartsWith("stream: ", StringComparison.Ordinal) && line.Contains("read 1 B, write 4 B"));
        Assert.Contains(r.Lines, line => Regex.IsMatch(line, @"^fast/stream \d+\.\d\d$"));
        Assert.Contains("all 300000 results identical", r.Stdout);
        Assert.Matches(BenchCastCommandTests.LastLine, r.Lines[^1]);
    }

    // Shorter than a vector and than the parallel threshold: the scalar head and tail alone.
    [Fact]
    public void Tiny_count_is_fine() =>
        Assert.Matches(BenchCastCommandTests.LastLine, CliRunner.Run("bench", "decode", "--format", "e3m2", "--count", "5").Lines[^1]);

    [Theory]
    [InlineData("fp16", "bench decode: format fp16 has 16 bits")]
    [InlineData("bf16", "bench decode: format bf16 has 16 bits")]
    public void Formats_wider_than_a_byte_are_exit_2(string format, string message)
    {
        CliResult r = CliRunner.Run("bench", "decode", "--format", format, "--count", "1000");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.ErrorLines));
    }

    [Theory]
    [InlineData("fp4sim: bench decode: malformed --count '0'", "--count", "0")]
    [InlineData("fp4sim: bench decode: malformed --count '-5'", "--count", "-5")]
    [InlineData("fp4sim: bench decode: malformed --count '2147483648'", "--count", "2147483648")]
    [InlineData("fp4sim: bench decode: malformed --threads 'many'", "--threads", "many")]
    [InlineData("fp4sim: bench decode: unknown option '--rounding'", "--rounding", "rne")]
    public void Bad_options_are_exit_2_with_one_line(string message, string option, string value)
    {
        CliResult r = CliRunner.Run("bench", "decode", "--format", "e2m1", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message, Assert.Single(r.ErrorLines));
    }
}
