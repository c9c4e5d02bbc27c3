using Fp4Sim.Gpu;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// <c>fp4sim gpu …</c>: <c>gpu info</c> on a machine without a CUDA device (as ILGPU sees it), one error line and exit 3;
/// with one, a device description.
/// <c>gpu check</c> runs the ILGPU kernels, on ILGPU's CPU accelerator where asked or where no CUDA device exists.
/// </summary>
public sealed class GpuCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        CliResult r = CliRunner.Run(args);
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    [NoGpuTheory]
    [InlineData("gpu info")]
    public void Without_a_gpu_the_command_names_the_cause_and_exits_3(string command)
    {
        string reason = IlgpuSession.CudaUnavailableReason()!;
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

    [Fact]
    public void Check_on_the_cpu_accelerator_runs_every_kernel_without_a_mismatch()
    {
        var (exit, stdout, stderr) = Run("gpu", "check", "--accelerator", "cpu", "--count", "64", "--seed", "3");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal("", stderr);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        int blockRuns = KnownBlockFormats.All.Count * GpuCastCheck.IlgpuModes.Count, gemmRuns = 4, quartetRuns = 3;
        int kernels = GpuCastCheck.FormatSpecs.Count * (GpuCastCheck.IlgpuModes.Count * 2 + 1) + blockRuns + gemmRuns + quartetRuns;
        Assert.EndsWith("(ILGPU cpu accelerator); 64 random inputs per format, seed 3", lines[0]);
        Assert.Equal(kernels + 2, lines.Length);
        Assert.Equal($"{kernels} of {kernels} kernel runs match the CPU reference bit for bit", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("encode e2m1 sr ieee ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("mxquant nvfp4 sr ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("gemm mxfp4 256x256x256 exact ", StringComparison.Ordinal)
            && l.Contains("(realistic: 0 by the host"));
        Assert.Contains(lines, l => l.StartsWith("quartet quest ", StringComparison.Ordinal));
        const string Line = @"^(encode|decode|mxquant|gemm|quartet) \S+.* \d+ elements +0 mismatches +\d+\.\d GB/s( \(.+\))?$";
        Assert.All(lines[1..^1], l => Assert.Matches(Line, l));
    }

    [Fact]
    public void Check_on_the_cpu_accelerator_with_the_default_count_compares_a_million_random_inputs_per_format_and_mode()
    {
        var (exit, stdout, stderr) = Run("gpu", "check", "--accelerator", "cpu");
        Assert.True(exit == 0, stdout + stderr);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.EndsWith("(ILGPU cpu accelerator); 1000000 random inputs per format, seed 1", lines[0]);
        string[] encodes = [.. lines.Where(l => l.StartsWith("encode ", StringComparison.Ordinal))];
        Assert.Equal(GpuCastCheck.FormatSpecs.Count * GpuCastCheck.IlgpuModes.Count * 2, encodes.Length);
        Assert.All(encodes, l => Assert.True(long.Parse(l.Split(" elements")[0].Split(' ')[^1]) > 1_000_000, l));
        Assert.EndsWith(" kernel runs match the CPU reference bit for bit", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains(" elements") && !l.Contains(" 0 mismatches"));
    }

    [Fact]
    public void Check_without_a_cuda_device_says_so_on_stderr_and_runs_on_the_cpu()
    {
        string? reason = IlgpuSession.CudaUnavailableReason();
        var (exit, stdout, stderr) = Run("gpu", "check", "--count", "1");
        Assert.True(exit == 0, stdout + stderr);
        if (reason is null)
        {
            Assert.Equal("", stderr); // a CUDA device: the check ran there
            Assert.Contains("(ILGPU cuda accelerator)", stdout);
            return;
        }
        Assert.Equal($"fp4sim: gpu check: {reason}; running on ILGPU's CPU accelerator instead (--count as given)\n", stderr);
        Assert.Contains("(ILGPU cpu accelerator); 1 random inputs per format", stdout);
    }

    [Fact]
    public void An_unknown_accelerator_is_bad_input()
    {
        var (exit, stdout, stderr) = Run("gpu", "check", "--accelerator", "tpu");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("unknown --accelerator 'tpu' (expected cuda or cpu)", stderr);
    }

    [GpuFact]
    public void Info_prints_the_device()
    {
        var (exit, stdout, stderr) = Run("gpu", "info");
        Assert.True(exit == 0, stdout + stderr);
        string[] keys = stdout.TrimEnd('\n').Split('\n').Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]).ToArray();
        Assert.Equal(["device", "compute capability", "memory", "multiprocessors", "driver (CUDA version)", "ilgpu",
            "theoretical bandwidth"], keys);
        Assert.Contains($"\nilgpu: {GpuInfo.IlgpuAssemblyVersion}\n", stdout);
        Assert.Matches(@"\ntheoretical bandwidth: [1-9]\d* GB/s\n$", stdout);
    }
}
