using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// <c>rtl generate</c> and <c>rtl vectors --count N</c> into one folder, in either order: both verbs write the same
/// testbench (it does not depend on the vector count), so neither undoes the other, and the folder simulates to PASS
/// in Icarus Verilog.
/// </summary>
public class RtlSameFolderTests
{
    [Theory]
    [InlineData("fp_mul", "e2m1,e1m2", null, true)]
    [InlineData("fp_mul", "e2m1,e1m2", null, false)]
    [InlineData("fp_mac", "e2m1", "fixed:16.2", true)]
    [InlineData("fp_mac", "e2m1", "fixed:16.2", false)]
    [InlineData("mx_dot", "mxfp4", null, true)]
    public void Generate_and_vectors_write_the_same_testbench_in_either_order(string kind, string format, string? acc, bool generateFirst)
    {
        using var folder = new TempFolder("cli-rtl-same-folder");
        string[] unit = acc is null ? ["--unit", kind, "--format", format] : ["--unit", kind, "--format", format, "--acc", acc];
        string[] generate = ["rtl", "generate", .. unit, "--out", folder.Path];
        string[] vectors = ["rtl", "vectors", .. unit, "--count", "777", "--seed", "5", "--out", folder.Path];

        CliResult first = CliRunner.Run(generateFirst ? generate : vectors);
        Assert.Equal(0, first.ExitCode);
        string testbench = Assert.Single(Directory.GetFiles(folder.Path, "tb_*.v"));
        string written = File.ReadAllText(testbench);
        CliResult second = CliRunner.Run(generateFirst ? vectors : generate);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(testbench, Assert.Single(Directory.GetFiles(folder.Path, "tb_*.v")));
        Assert.Equal(written, File.ReadAllText(testbench));
        Assert.Contains($"wrote {testbench}", first.Lines); // both verbs wrote it
        Assert.Contains($"wrote {testbench}", second.Lines);
        string count = (generateFirst ? second : first).Lines[^1]; // rtl vectors' last line: "<n> vectors"

        string iverilog = Simulators.Require("iverilog", "iverilog"), vvp = Simulators.Require("vvp", "iverilog");
        string[] sources = Directory.GetFiles(folder.Path, "*.v").Order(StringComparer.Ordinal).ToArray();
        var (code, log) = Simulators.Run(iverilog, folder.Path, TimeSpan.FromMinutes(2), ["-g2001", "-Wall", "-o", "sim", .. sources]);
        Assert.True(code == 0 && log.Trim().Length == 0, $"iverilog:\n{log}");
        var (_, run) = Simulators.Run(vvp, folder.Path, TimeSpan.FromMinutes(2), ["-n", "sim"]); // default +vectors: vectors.hex
        int passed = Simulators.PassedVectors(run, $"{kind} after {(generateFirst ? "generate, vectors" : "vectors, generate")}");
        Assert.Equal(count, $"{passed} vectors");
    }
}
