using System.Text;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Rounding;

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

    /// <summary>
    /// Inputs longer than the command's chunk (4096 blocks) give exactly what quantizing the whole tensor at once
    /// gives, printed block by block: every format, stochastic rounding keyed on the tensor index, a padded tail.
    /// </summary>
    [Fact]
    public void Streamed_output_equals_quantizing_the_whole_input_at_once()
    {
        var random = new Random(3);
        float[] values = Enumerable.Range(0, 4096 * 32 * 2 + 1000).Select(i => i % 4099 == 17 ? float.NaN
            : (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-12, 12)))).ToArray();
        string input = string.Concat(values.Select(v => $"0x{BitConverter.SingleToUInt32Bits(v):x8}\n"));
        var options = new BlockQuantizeOptions(ElementRounding: RoundingMode.Sr, Seed: 7);
        foreach (BlockFormat f in new[] { KnownBlockFormats.MxFp4, KnownBlockFormats.MxFp8E4M3, KnownBlockFormats.NvFp4 })
        {
            var result = CliRunner.RunWithInput(input, "mx", "quantize", "--format", f.Name, "--rounding", "sr", "--seed", "7", "--pad");
            Assert.Equal(0, result.ExitCode);
            float[] padded = [.. values, .. new float[(f.BlockSize - values.Length % f.BlockSize) % f.BlockSize]];
            Assert.Equal(Expected(f, BlockQuantizer.Quantize(f, padded, options)), result.Stdout);
        }
    }

    [Fact]
    public void A_short_last_block_after_a_chunk_fails_after_the_chunk_was_printed()
    {
        string input = string.Concat(Enumerable.Repeat("1.5\n", 4096 * 32 + 5));
        var result = CliRunner.RunWithInput(input, "mx", "quantize", "--format", "mxfp4");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("fp4sim: mx quantize: 131077 values leave a short last block of 5 (mxfp4 blocks hold 32; add --pad to fill it with zeros)",
            Assert.Single(result.ErrorLines));
        Assert.Equal(4096, result.Lines.Length); // streamed: the whole blocks before the tail were already out
    }

    private static string Expected(BlockFormat f, QuantizedBlocks q)
    {
        var sb = new StringBuilder();
        if (f.HasTensorScale) sb.Append($"0x{BitConverter.SingleToUInt32Bits(q.TensorScale):x8}\n");
        int scaleDigits = (f.Scale.TotalBits + 3) / 4, elementDigits = (f.Element.TotalBits + 3) / 4;
        for (int b = 0; b < q.Scales.Length; b++)
        {
            sb.Append("0x").Append(q.Scales[b].ToString($"x{scaleDigits}"));
            for (int i = b * f.BlockSize; i < (b + 1) * f.BlockSize; i++) sb.Append(" 0x").Append(q.Elements[i].ToString($"x{elementDigits}"));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
