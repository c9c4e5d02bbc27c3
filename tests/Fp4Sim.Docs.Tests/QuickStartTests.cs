using System.Text.RegularExpressions;
using Fp4Sim.Hardware;

namespace Fp4Sim.Docs.Tests;

/// <summary>
/// The README's quick-start tour runs as written: its second shell block, taken from the README, in bash with
/// errexit and pipefail, from the repository root (the set-up and build of the first block are the test run's own).
/// </summary>
public partial class QuickStartTests
{
    [Fact]
    public void The_quick_start_tour_runs_as_written()
    {
        string readme = Repository.Read("README.md");
        int start = readme.IndexOf("## Quick start", StringComparison.Ordinal), end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        string[] blocks = [.. ShellBlock().Matches(readme[start..end]).Select(m => m.Groups[1].Value)];
        Assert.Equal(2, blocks.Length);
        Assert.Contains("scripts/setup.sh", blocks[0]);

        ToolRun? run = ExternalTool.Run("/bin/bash", Repository.Root, TimeSpan.FromMinutes(5), ["-euo", "pipefail", "-c", blocks[1]]);
        Assert.True(run is not null, "the tour ran past 5 minutes");
        Assert.True(run.ExitCode == 0, $"the tour failed (exit {run.ExitCode}):\n{run.Stderr}");
        string output = run.Stdout;
        // What the comments promise.
        Assert.Contains("0x45\n0xc2\n0x7e\n0x01\n", output);
        Assert.Contains("0x43e06000 448.75\n", output);
        Assert.Contains("PASS 3816 vectors", output);
        Assert.StartsWith("0x82 0x0 0x0 0x1", output.Split('\n').Single(l => l.StartsWith("0x82 ", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
