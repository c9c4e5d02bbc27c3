using Fp4Sim.Numerics.Blocks;

namespace Fp4Sim.Cli.Tests;

public class MxQuantizeCommandTests
{
    private static string Lines(IEnumerable<double> values) =>
        string.Join("\n", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "\n";

    [Fact]
    public void Mxfp4_PrintsScaleThenElements_PerBlock()
    {
        var input = Lines(Enumerable.Range(0, 64).Select(i => i < 32 ? i / 4.0 : -(i - 32) / 8.0));
        var result = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "mxfp4");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Lines.Length);
        string[] first = result.Lines[0].Split(' ');
        Assert.Equal(33, first.Length);
        Assert.Equal("0x7f", first[0]);          // amax 7.75: floor(log2) 2 − emax 2 = 0 → 0x7F
        Assert.Equal("0x2", first[5]);           // 1.25 → tie between 1 and 1.5 → even code 0x2
        Assert.Equal("0x7", first[32]);          // 7.75 clamps to 6
        // amax 3.875 → scale 2^-1 (0x7e); 0 → 0x0; −0.125 / 0.5 = −0.25 ties to −0 (0x8); −0.25 / 0.5 = −0.5 → 0x9
        Assert.StartsWith("0x7e 0x0 0x8 0x9 ", result.Lines[1]);
    }

    [Fact]
    public void Nvfp4_PrintsTensorScaleFirst_AndRceilAndPadWork()
    {
        var input = Lines(Enumerable.Range(0, 20).Select(i => (double)i));
        var shortBlock = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "nvfp4");
        Assert.Equal(2, shortBlock.ExitCode);
        Assert.Contains("--pad", shortBlock.Stderr);
        var padded = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "nvfp4", "--pad");
        Assert.Equal(0, padded.ExitCode);
        Assert.Equal(3, padded.Lines.Length);
        Assert.Matches("^0x[0-9a-f]{8}$", padded.Lines[0]);
        Assert.Equal(17, padded.Lines[1].Split(' ').Length);
        var rceil = CliRunner.RunWithInput(Lines([7.0, .. new double[31]]), "mx", "quantize", "--format", "mxfp4", "--scale-rule", "rceil");
        Assert.StartsWith("0x80 0x6 ", rceil.Lines[0]); // NVIDIA rule: X = 2, 3.5 → 4 (code 0x6)
    }

    [Theory]
    [InlineData("--format", "mxfp5")]
    [InlineData("--format", "mxfp4", "--scale-rule", "floor")]
    [InlineData("--format", "mxfp4", "--nan-policy", "drop")]
    [InlineData("--format", "mxfp4", "--pad=yes")]
    public void BadOptions_ExitWith2(params string[] options)
    {
        var result = CliRunner.RunWithInput("1\n", ["mx", "quantize", .. options]);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void EveryBlockFormat_RoundTripsThroughTheLibrary()
    {
        foreach (BlockFormat f in KnownBlockFormats.All)
        {
            var input = Lines(Enumerable.Range(0, f.BlockSize * 2).Select(i => Math.Sin(i) * 10));
            var result = CliRunner.RunWithInput(input, "mx", "quantize", "--format", f.Name);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(2 + (f.HasTensorScale ? 1 : 0), result.Lines.Length);
        }
    }
}
