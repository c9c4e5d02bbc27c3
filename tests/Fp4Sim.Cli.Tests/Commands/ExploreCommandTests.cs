namespace Fp4Sim.Cli.Tests;

public sealed class ExploreCommandTests
{
    [Theory]
    [InlineData("explore", "missing required option --model")]
    [InlineData("explore --model bert", "unknown --model 'bert' (expected use-lite)")]
    [InlineData("explore --model use-lite --set big", "unknown --set 'big' (expected default or full)")]
    [InlineData("explore --model use-lite --eval 3", "malformed --eval")]
    [InlineData("explore --model use-lite --acc exact", "unknown option '--acc'")]
    public void Bad_options_give_one_line_and_exit_2(string command, string fragment)
    {
        CliResult r = CliRunner.RunWithInput("", command.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(fragment, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
