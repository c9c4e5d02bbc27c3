using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using StringBuilder = System.Text.StringBuilder;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// <c>dot</c> reads its input pair by pair: the results are bit-identical to the former whole-input implementation
/// (the expected lines were produced by it), for every accumulator kind, codes and decimals, with and without
/// <c>--bias-a-channel</c>.
/// </summary>
public class DotStreamingTests
{
    /// <summary>(case seed, a format, b format, accumulator, channel offsets?, non-finite operands allowed?, the former output).</summary>
    public static TheoryData<int, string, string, string, bool, bool, string> Cases => new()
    {
        { 1, "e2m1", "e2m1", "exact", false, false, "0xc25b0000 -54.75" },
        { 2, "e4m3", "e5m2", "exact:bf16", false, true, "0xff80 -inf" },
        { 3, "fp16", "fp16", "fp32", false, false, "0xcd558eb7 -223931248" },
        { 4, "e4m3", "e4m3", "fp16", false, false, "0xebfd -4090" },
        { 5, "bf16", "e2m1", "bf16", false, false, "0x7f5e 295088615064251323784645167382236495872" },
        { 6, "e2m1", "e2m1", "fixed:16.2", false, false, "0x00d2 52.5" },
        { 7, "e2m1", "e1m2", "fixed:12.2:round:wrap", false, false, "0x0c9 50.25" },
        { 8, "e4m3", "e4m3", "fixed:32.12:round", false, false, "0x0068ba30 1675.63671875" },
        { 9, "int8", "int8", "fixed:20.0:wrap", false, false, "0xed192 -77422" },
        { 10, "fp16", "fp16", "fixed:40.10", false, false, "0x3843dc267a 235992841.619140625" },
        { 11, "e5m2", "e5m2", "fixed:16.4", false, true, "0x7ffe 2047.875 invalid" },
        { 12, "fp16", "fp16", "tc:v100", false, false, "0x4d3dba24 198943296" },
        { 13, "e2m1", "e3m2", "tc:v100-f16", false, false, "0x5cfa 318.5" },
        { 14, "fp16", "e4m3", "tc:a100", false, false, "0x4b47e951 13101393" },
        { 15, "fp16", "fp16", "tc:h100", false, false, "0x4d8c8c59 294751008" },
        { 16, "e4m3", "e5m2", "tc:h100-fp8", false, false, "0xc982c400 -1071232" },
        { 17, "e4m3", "e4m3", "tc:ada-fp8", false, false, "0x47a9b000 86880" },
        { 18, "fp16", "fp16", "tc:b200", false, false, "0xcd51ce95 -219998544" },
        { 19, "e5m2", "e5m2", "tc:b200-fp8", false, false, "0xca5f520a -3658882.5" },
        { 20, "e2m1", "e2m1", "tc:b200-mxf4", false, false, "0x42070000 33.75" },
        { 21, "fp16", "fp16", "tc:h100", false, true, "0x7fffffff nan" },
        { 22, "e2m1", "e2m1", "exact", true, false, "0x419ee400 19.861328125" },
        { 23, "e2m1", "e2m1", "fixed:20.5", true, false, "0x000c4 6.125" },
        { 24, "e3m2", "e2m1", "tc:h100", true, false, "0x3f2de000 0.67919921875" },
        { 25, "fp16", "fp16", "fp32", true, false, "0x4ec845be 1680006912" },
        { 26, "e2m1", "e2m1", "fixed:10.1:round", true, false, "0x3bf -32.5" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomInputs_GiveTheFormerResultBitForBit(int seed, string fa, string fb, string acc, bool offsets, bool specials,
        string expected)
    {
        (string input, string? bias) = RandomInput((ulong)seed, FormatSpec.Parse(fa), FormatSpec.Parse(fb), offsets, specials);
        string[] args = bias is null
            ? ["dot", "--a-format", fa, "--b-format", fb, "--acc", acc]
            : ["dot", "--a-format", fa, "--b-format", fb, "--acc", acc, "--bias-a-channel", bias];
        var r = CliRunner.RunWithInput(input, args);
        Assert.Equal("", r.Stderr);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal([expected], r.Lines);
    }

    /// <summary>1..300 pairs of random codes, each written as 0x… or as its exact decimal; offsets 0..7 when asked.</summary>
    private static (string Input, string? Offsets) RandomInput(ulong seed, FormatInfo fa, FormatInfo fb, bool offsets, bool specials)
    {
        var random = new SplitMix64(seed * 0x9E3779B97F4A7C15UL + 17);
        int n = 1 + (int)random.Below(300);
        var text = new StringBuilder();
        var shifts = new List<string>();
        for (int i = 0; i < n; i++)
        {
            text.Append(Operand(random, fa, specials)).Append(' ').Append(Operand(random, fb, specials)).Append('\n');
            shifts.Add(random.Below(8).ToString(CultureInfo.InvariantCulture));
        }
        return (text.ToString(), offsets ? string.Join(',', shifts) : null);
    }

    private static string Operand(SplitMix64 random, FormatInfo f, bool specials)
    {
        while (true)
        {
            uint code = (uint)random.Below(f.CodeCount);
            ExactValue v = Decoder.DecodeExact(f, code);
            if (!v.IsFinite && !(specials && random.Below(2) == 0)) continue;
            if (v.Kind == ValueKind.NaN || random.Below(2) == 0) return "0x" + code.ToString("x", CultureInfo.InvariantCulture);
            return ExactDecimal.Format(v);
        }
    }
}
