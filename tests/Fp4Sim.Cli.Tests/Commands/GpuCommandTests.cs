using Fp4Sim.Gpu;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim gpu …</c>: on a machine without a GPU, one error line and exit 2; with one, a device description.</summary>
public sealed class GpuCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        CliResult r = CliRunner.Run(args);
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    [NoGpuTheory]
    [InlineData("gpu info")]
    [InlineData("gpu check --count 10")]
    public void Without_a_gpu_the_command_names_the_cause_and_exits_3(string command)
    {
        string reason = GpuSession.UnavailableReason()!;
        var (exit, stdout, stderr) = Run(command.Split(' '));
        Assert.Equal(CommandLine.EnvironmentError, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"fp4sim: gpu: {reason}\n", stderr);
    }

    [Fact]
    public void A_missing_or_unknown_action_is_bad_input()
    {
        Assert.Equal(2, Run("gpu").Exit);
        var (exit, _, stderr) = Run("gpu", "launch");
        Assert.Equal(2, exit);
        Assert.Contains("unknown gpu action 'launch'", stderr);
    }

    [Fact]
    public void Bad_check_options_are_reported_before_touching_the_gpu()
    {
        var (exit, _, stderr) = Run("gpu", "check", "--count", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--count", stderr);
    }

    [GpuFact]
    public void Info_prints_the_device()
    {
        var (exit, stdout, _) = Run("gpu", "info");
        Assert.Equal(0, exit);
        Assert.Contains("compute capability: ", stdout);
        Assert.Contains("theoretical bandwidth: ", stdout);
    }
}
