using System.Globalization;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Quartet;

namespace Fp4Sim.Cli.Tests;

public class QuartetCommandTests
{
    private static float[] Values(int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((long)rng.Below(2001) - 1000) / 97f)];
    }

    private static string Lines(IEnumerable<float> values) =>
        string.Join("\n", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n";

    [Theory]
    [InlineData("quest", "none", "before")]
    [InlineData("quest", "fixed", "before")]
    [InlineData("absmax", "random", "before")]
    [InlineData("absmax-sr", "random", "after")]
    public void EachLineIsTheLibrarysGroup(string method, string hadamard, string signs)
    {
        float[] values = Values(96, 4);
        CliResult r = CliRunner.RunWithInput(Lines(values), "quartet", "quantize", "--method", method, "--hadamard", hadamard,
            "--signs", signs, "--seed", "17");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.Lines.Length);
        var stream = new GroupStream(QuartetNames.ParseMethod(method), QuartetNames.ParseRotation(hadamard),
            QuartetNames.ParsePlacement(signs), 17);
        for (int g = 0; g < 3; g++)
        {
            QuartetGroup q = stream.Next(values.AsSpan(g * 32, 32));
            string expected = $"0x{q.Scale:x2} " + string.Join(" ", q.Elements.Select(e => $"0x{e:x}")) + $" 0x{q.Mask:x8}";
            Assert.Equal(expected, r.Lines[g]);
        }
    }

    [Fact]
    public void WorkedExampleGroup()
    {
        // ±1 alternating: σ = 1, scale 2^−2 (0x7d), every element ±4 (0x6 / 0xe), nothing clipped.
        string input = Lines(Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? 1f : -1f));
        CliResult r = CliRunner.RunWithInput(input, "quartet", "quantize", "--method", "quest");
        Assert.Equal("0x7d " + string.Join(" ", Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? "0x6" : "0xe")) + " 0xffffffff",
            Assert.Single(r.Lines));
        // absmax: the same group scales to 2^(0 − 2) with 3/4 range: 3·1/1 = 3 → 0x5; mask all ones.
        r = CliRunner.RunWithInput(input, "quartet", "quantize", "--method", "absmax");
        Assert.StartsWith("0x7d 0x5 0xd 0x5 ", Assert.Single(r.Lines));
    }

    [Theory]
    [InlineData(40, null, "short last group of 8")]
    [InlineData(32, "nan", "line 32: nan is not finite")]
    [InlineData(32, "-inf", "line 32: -inf is not finite")]
    [InlineData(32, "abc", "line 32: malformed number")]
    public void BadInputIsOneLineAndExitTwo(int count, string? last, string message)
    {
        List<string> lines = [.. Values(count, 1).Select(v => v.ToString("R", CultureInfo.InvariantCulture))];
        if (last is not null) lines[^1] = last;
        CliResult r = CliRunner.RunWithInput(string.Join("\n", lines) + "\n", "quartet", "quantize", "--method", "quest");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.ErrorLines));
    }

    [Theory]
    [InlineData("--method", "rtn", "unknown quartet method 'rtn'")]
    [InlineData("--hadamard", "walsh", "unknown hadamard 'walsh'")]
    [InlineData("--signs", "left", "unknown sign placement 'left'")]
    public void UnknownChoicesAreRefused(string option, string value, string message)
    {
        string[] args = option == "--method" ? ["quartet", "quantize", option, value] : ["quartet", "quantize", "--method", "quest", option, value];
        CliResult r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.ErrorLines));
        Assert.Equal(2, CliRunner.Run("quartet", "fly").ExitCode);
    }

    [Fact]
    public void Table2PrintsMeasuredNextToPublished()
    {
        CliResult r = CliRunner.Run("quartet", "table2", "--samples", "262144", "--seed", "3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("262,144 N(0, 1) samples", r.Lines[0]);
        string rtn = Assert.Single(r.Lines, l => l.StartsWith("RTN AbsMax"));
        Assert.Contains("1.37e-2", rtn);
        Assert.Contains("9.30e-3", rtn);
        Assert.Equal(2, CliRunner.Run("quartet", "table2", "--samples", "8").ExitCode);
    }
}
