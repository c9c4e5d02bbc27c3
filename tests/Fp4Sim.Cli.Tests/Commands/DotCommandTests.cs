namespace Fp4Sim.Cli.Tests;

public class DotCommandTests
{
    [Fact]
    public void Fp32_PrintsBitsAndExactValue()
    {
        var r = CliRunner.RunWithInput("1.5 2\n0x7 0x2\n-0.5 0.5\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fp32");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["0x410c0000 8.75"], r.Lines); // 1.5·2 + 6·1 + (−0.5·0.5)
    }

    [Fact]
    public void ExactAndFp32_DifferWhereFp32LosesBits()
    {
        string input = "16777216 1\n1 1\n-16777216 1\n";
        var fp32 = CliRunner.RunWithInput(input, "dot", "--a-format", "fp32", "--b-format", "fp32", "--acc", "fp32");
        var exact = CliRunner.RunWithInput(input, "dot", "--a-format", "fp32", "--b-format", "fp32", "--acc", "exact");
        Assert.Equal("0x00000000 0", fp32.Lines[0]);
        Assert.Equal("0x3f800000 1", exact.Lines[0]);
    }

    [Fact]
    public void Fixed_PrintsTheTwosComplementWord()
    {
        var r = CliRunner.RunWithInput("-6 6\n0.5 0.5\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fixed:12.2");
        Assert.Equal(["0xf71 -35.75"], r.Lines); // −36 + 0.25 = −35.75 = −143 quarters = 0xF71 in 12 bits
        var sat = CliRunner.RunWithInput("6 6\n6 6\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fixed:8.2");
        Assert.Equal(["0x7f 31.75"], sat.Lines);
        var wrap = CliRunner.RunWithInput("6 6\n6 6\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fixed:8.2:wrap");
        Assert.Equal(["0x20 8"], wrap.Lines); // 72 = 288 quarters ≡ 32 (mod 256)
        var inf = CliRunner.RunWithInput("inf 1\n1 1\n", "dot", "--a-format", "e5m2", "--b-format", "e5m2", "--acc", "fixed:16.4");
        Assert.Equal(["0x0010 1 invalid"], inf.Lines);
    }

    [Fact]
    public void TensorCore_ReproducesTheV100GuardBitCase()
    {
        // Fasi et al.: 1·1 + (−(1 − 2^−24)) gives 2^−23 on V100 (no guard bit), but the exact answer is 2^−24.
        string input = "1 1\n-0.999999940395355224609375 1\n";
        var v100 = CliRunner.RunWithInput(input, "dot", "--a-format", "fp32", "--b-format", "fp16", "--acc", "tc:v100");
        var exact = CliRunner.RunWithInput(input, "dot", "--a-format", "fp32", "--b-format", "fp16", "--acc", "exact");
        Assert.Equal("0x34000000 0.00000011920928955078125", v100.Lines[0]);
        Assert.Equal("0x33800000 0.000000059604644775390625", exact.Lines[0]);
    }

    [Fact]
    public void BiasAChannel_ShiftsEachProduct()
    {
        var r = CliRunner.RunWithInput("6 6\n6 6\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "exact", "--bias-a-channel", "0,3");
        Assert.Equal(["0x42220000 40.5"], r.Lines); // 36 + 36/8
        var wrongCount = CliRunner.RunWithInput("6 6\n6 6\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "exact",
            "--bias-a-channel", "1");
        Assert.Equal(2, wrongCount.ExitCode);
        Assert.Contains("1 offset(s) for more than 1 pair(s) (line 2)", wrongCount.Stderr);
    }

    [Theory]
    [InlineData("0.3 1\n", "line 1: 0.3 is not a value of e2m1 (nearest: 0.5 = 0x1)")]
    [InlineData("1\n", "line 1: expected two operands 'a b', got 1 field(s)")]
    [InlineData("1 1\n0x10 1\n", "line 2: code 0x10 does not fit e2m1 (4 bits)")]
    [InlineData("1 x\n", "line 1: malformed number 'x'")]
    public void BadInput_OneLineErrorAndExit2(string input, string message)
    {
        var r = CliRunner.RunWithInput(input, "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fp32");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public void BadAccumulator_Exit2()
    {
        var r = CliRunner.RunWithInput("1 1\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fixed:200.3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("accumulator 'fixed:200.3': width must be 2..128 bits", r.Stderr);
    }
}
