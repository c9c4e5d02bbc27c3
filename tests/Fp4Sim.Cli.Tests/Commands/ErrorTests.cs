namespace Fp4Sim.Cli.Tests;

/// <summary>Every kind of bad input: exit code 2 and exactly one <c>fp4sim: …</c> line on stderr.</summary>
public class ErrorTests
{
    [Theory]
    [InlineData("fp4sim: missing command", new string[0])]
    [InlineData("fp4sim: unknown command 'frobnicate'", new[] { "frobnicate" })]
    [InlineData("fp4sim: cast: unknown option '--colour'", new[] { "cast", "--format", "e2m1", "--colour", "red" })]
    [InlineData("fp4sim: cast: option --format needs a value", new[] { "cast", "--format" })]
    [InlineData("fp4sim: cast: option --format needs a value", new[] { "cast", "--format", "--rounding", "rne" })]
    [InlineData("fp4sim: cast: option --format needs a value", new[] { "cast", "--format=" })]
    [InlineData("fp4sim: cast: option --format given more than once", new[] { "cast", "--format", "e2m1", "--format", "e4m3" })]
    [InlineData("fp4sim: cast: unexpected argument 'e2m1'", new[] { "cast", "e2m1" })]
    [InlineData("fp4sim: cast: missing required option --format", new[] { "cast" })]
    [InlineData("fp4sim: decode: missing required option --format", new[] { "decode" })]
    [InlineData("fp4sim: unknown format 'e9m9x'", new[] { "cast", "--format", "e9m9x" })]
    [InlineData("fp4sim: unknown format 'nope'", new[] { "decode", "--format", "nope" })]
    [InlineData("fp4sim: unknown option 'foo' in format 'e4m3:foo=1'", new[] { "decode", "--format", "e4m3:foo=1" })]
    [InlineData("fp4sim: unknown rounding 'nearest'", new[] { "cast", "--format", "e2m1", "--rounding", "nearest" })]
    [InlineData("fp4sim: unknown overflow 'clamp'", new[] { "cast", "--format", "e2m1", "--overflow", "clamp" })]
    [InlineData("fp4sim: cast: malformed --seed '-1'", new[] { "cast", "--format", "e2m1", "--seed", "-1" })]
    [InlineData("fp4sim: cast: malformed --seed 'x'", new[] { "cast", "--format", "e2m1", "--seed", "x" })]
    [InlineData("fp4sim: formats: unexpected argument 'all'", new[] { "formats", "all" })]
    [InlineData("fp4sim: missing bench target", new[] { "bench" })]
    [InlineData("fp4sim: unknown bench target 'encode'", new[] { "bench", "encode" })]
    [InlineData("fp4sim: bench decode: missing required option --format", new[] { "bench", "decode" })]
    [InlineData("fp4sim: bench cast: malformed --count 'lots'", new[] { "bench", "cast", "--format", "e4m3", "--count", "lots" })]
    [InlineData("fp4sim: bench cast: malformed --count '0'", new[] { "bench", "cast", "--format", "e4m3", "--count", "0" })]
    [InlineData("fp4sim: bench cast: malformed --threads '1.5'", new[] { "bench", "cast", "--format", "e4m3", "--threads", "1.5" })]
    [InlineData("fp4sim: bench cast: rounding sr is not supported", new[] { "bench", "cast", "--format", "e4m3", "--rounding", "sr" })]
    [InlineData("fp4sim: bench cast: format fp16 has 16 bits", new[] { "bench", "cast", "--format", "fp16" })]
    [InlineData("fp4sim: bench cast: unknown option '--seed'", new[] { "bench", "cast", "--format", "e4m3", "--seed", "1" })]
    public void Bad_input_exits_2_with_one_error_line(string expectedStart, string[] args)
    {
        CliResult r = CliRunner.RunWithInput("1\n", args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(expectedStart, Assert.Single(r.ErrorLines));
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    [InlineData("-h")]
    public void Help_prints_usage(string flag)
    {
        CliResult r = CliRunner.Run(flag);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("fp4sim cast --format F", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Verb_help_prints_usage() => Assert.Equal(0, CliRunner.Run("cast", "--help").ExitCode);

    [Fact]
    public void Version_prints_the_version()
    {
        CliResult r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^fp4sim \d+\.\d+\.\d+", r.Stdout);
    }
}
