namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim bench gpu</c> on ILGPU's CPU accelerator: every kernel timed next to the stream yardstick; bad options exit 2.</summary>
public sealed class BenchGpuCommandTests
{
    [Fact]
    public void Times_every_kernel_next_to_the_stream_yardstick()
    {
        CliResult r = CliRunner.Run("bench", "gpu", "--accelerator", "cpu", "--count", "65536", "--repeats", "2");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Empty(r.ErrorLines);
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("CPUAccelerator (ILGPU cpu accelerator); 65536 elements, best of 2", lines[0]);
        Assert.Matches(@"^kernel +GB/s +stream GB/s +of stream$", lines[1]);
        string[] kernels = ["encode e2m1 rne", "encode e4m3 rne", "encode e4m3 sr", "decode e4m3", "mxquant mxfp4 rne", "mxquant nvfp4 rne"];
        Assert.Equal(kernels, lines[2..^1].Select(l => l[..22].TrimEnd()));
        Assert.All(lines[2..^1], l => Assert.Matches(@"^.{22} +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d$", l));
        Assert.Matches(@"^slowest .+: \d+\.\d\d of stream$", lines[^1]);
    }

    [Theory]
    [InlineData("--count", "16", "--count")]
    [InlineData("--repeats", "0", "--repeats")]
    [InlineData("--accelerator", "tpu", "--accelerator")]
    [InlineData("--threads", "2", "--threads")]
    public void Bad_options_are_one_line_and_exit_2(string option, string value, string named)
    {
        CliResult r = CliRunner.Run("bench", "gpu", "--accelerator", "cpu", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("fp4sim: bench gpu: ", r.ErrorLines[0]);
        Assert.Contains(named, r.ErrorLines[0]);
    }
}
