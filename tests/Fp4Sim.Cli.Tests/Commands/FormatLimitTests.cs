using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// Format parameters at and past their limits through every verb that takes a format: out-of-range widths and biases are
/// one-line exit-2 errors naming the allowed range; biases at both ends of <see cref="FormatSpec.BiasRange"/> work in
/// decode, cast (text and arrays, whose ≤ 8-bit path is the vector cast), bench cast, bench decode and dot, with the reference's codes.
/// </summary>
public sealed class FormatLimitTests : IDisposable
{
    private readonly TempFolder _folder = new("format-limits");

    public void Dispose() => _folder.Dispose();

    /// <summary>Each spec at both ends of its bias range (e4m3: −1008 and 1072), and just past float32's top (e4m3:bias=-113).</summary>
    public static TheoryData<string> EndSpecs
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string shape in new[] { "e4m3", "e2m1", "e5m2", "e3m2:subnormals=off", "e4m3:specials=fnuz", "e3m0", "e1m6:specials=none" })
            {
                (int min, int max) = FormatSpec.BiasRange(FormatSpec.Parse(shape));
                data.Add($"{shape}:bias={min}");
                data.Add($"{shape}:bias={max}");
            }
            data.Add("e4m3:bias=-113");
            data.Add("e5m10:bias=-993");
            data.Add("e5m10:bias=1065");
            return data;
        }
    }

    private static void AssertOneLineError(CliResult r, string mentions)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("fp4sim: ", r.Stderr);
        Assert.Contains(mentions, r.Stderr);
    }

    [Theory]
    [InlineData("e4m3:bias=100000", "bias must be in -1008..1072 for e4m3 with fn specials (values must stay within binary64), not 100000")]
    [InlineData("e4m3:bias=2147483647", "bias must be in -1008..1072")]
    [InlineData("e4m3:bias=-1009", "bias must be in -1008..1072")]
    [InlineData("e4m3:bias=1073", "bias must be in -1008..1072")]
    [InlineData("e2m1:bias=123456789012345678901234567890", "not 123456789012345678901234567890")]
    [InlineData("e11m0", "and the default bias 1023 is not (give :bias=N)")]
    [InlineData("e12m3", "exponent bits must be 1..11")]
    [InlineData("e4m28", "mantissa bits must be 0..27 for e4 (at most 32 bits in all)")]
    [InlineData("int17", "integer formats take 2..16 bits")]
    public void OutOfRangeParameters_AreOneLineErrors_InEveryVerb(string spec, string mentions)
    {
        AssertOneLineError(CliRunner.Run("decode", "--format", spec), mentions);
        AssertOneLineError(CliRunner.RunWithInput("1\n", "cast", "--format", spec), mentions);
        AssertOneLineError(CliRunner.Run("bench", "cast", "--format", spec, "--count", "64"), mentions);
        AssertOneLineError(CliRunner.RunWithInput("0x0 0x0\n", "dot", "--a-format", spec, "--b-format", "e2m1", "--acc", "fp32"), mentions);
        AssertOneLineError(CliRunner.RunWithInput("0x0 0x0\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", $"exact:{spec}"),
            mentions);
    }

    [Theory, MemberData(nameof(EndSpecs))]
    public void Decode_AtTheEnds_PrintsEveryCodesExactValue(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        CliResult r = CliRunner.Run("decode", "--format", spec);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string[] lines = r.Lines;
        Assert.Equal((int)f.CodeCount, lines.Length);
        for (uint c = 0; c < f.CodeCount; c++)
        {
            string value = lines[c].Split(' ')[1];
            Assert.Equal(ExactDecimal.Format(Decoder.Decode(f, c)), value);
            Assert.Matches(new Regex("^(-?[0-9]+(\\.[0-9]*[1-9])?|-?inf|nan|-0)$"), value);
        }
    }

    [Fact]
    public void Decode_AtTheEnds_ReachesBinary64sLeastSubnormalAndTopBinade()
    {
        string[] high = CliRunner.Run("decode", "--format", "e4m3:bias=1072").Lines;
        Assert.Equal("0x01 " + Exact(BigInteger.One, -1074), high[1]); // 2^-1074
        string[] low = CliRunner.Run("decode", "--format", "e4m3:bias=-1008").Lines;
        Assert.Equal("0x7e " + Exact(7, 1021), low[0x7e]);              // 1.75 · 2^1023
        Assert.Equal("0x7f nan", low[0x7f]);
    }

    private static string Exact(BigInteger significand, int exponent) => ExactDecimal.Format(ExactValue.Of(significand, exponent));

    [Theory, MemberData(nameof(EndSpecs))]
    public void CastText_AtTheEnds_GivesTheReferenceCodes(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        // The quiet NaN is the positive one, as "NaN" reads (float.NaN is 0xFFC00000).
        float[] values = [0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity,
            BitConverter.UInt32BitsToSingle(0x7FC00000), float.MaxValue, -float.MaxValue,
            float.Epsilon, -float.Epsilon, 1e-40f, 1.17549435e-38f, 3e38f, 1e-30f];
        string input = string.Concat(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + "\n"));
        foreach (string rounding in new[] { "rne", "rtz", "rup" })
            foreach (string overflow in new[] { "saturate", "ieee" })
            {
                CliResult r = CliRunner.RunWithInput(input, "cast", "--format", spec, "--rounding", rounding, "--overflow", overflow);
                Assert.True(r.ExitCode == 0, r.Stderr);
                var ctx = new RoundingContext(RoundingNames.ParseMode(rounding), RoundingNames.ParseOverflow(overflow));
                string[] expected = values.Select(v => CodeText.Format(Encoder.Encode(f, v, ctx), CodeText.Digits(f))).ToArray();
                Assert.Equal(expected, r.Lines);
            }
    }

    /// <summary>
    /// The array cast (the vector path for ≤ 8-bit formats and float inputs) at the ends: decision points, float32's binade
    /// boundaries and specials, seeded random patterns; every deterministic mode, both overflow modes.
    /// </summary>
    [Theory, MemberData(nameof(EndSpecs))]
    public void CastArrays_AtTheEnds_GiveTheReferenceCodes(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        var bits = new List<uint>(CastInputs.EdgeBits(f));
        for (uint signExponent = 0; signExponent < 512; signExponent++)
            foreach (uint m in new uint[] { 0, 1, 0x400000, 0x7FFFFF })
                bits.Add(signExponent << 23 | m);
        bits.AddRange(CastInputs.RandomBits(f, seed: 3, count: 2000));
        float[] values = bits.Select(BitConverter.UInt32BitsToSingle).ToArray();
        string input = _folder.File("in.npy"), output = _folder.File("out.npy");
        NpyFile.Write<float>(input, values, [values.Length]);
        foreach (string rounding in new[] { "rne", "rna", "rtz", "rup", "rdn" })
            foreach (string overflow in new[] { "saturate", "ieee" })
            {
                CliResult r = CliRunner.Run("cast", "--in", input, "--out", output, "--format", spec, "--rounding", rounding, "--overflow", overflow);
                Assert.True(r.ExitCode == 0, r.Stderr);
                var ctx = new RoundingContext(RoundingNames.ParseMode(rounding), RoundingNames.ParseOverflow(overflow));
                uint[] codes = f.TotalBits <= 8
                    ? NpyFile.Read<byte>(output).Data.Select(c => (uint)c).ToArray()
                    : NpyFile.Read<ushort>(output).Data.Select(c => (uint)c).ToArray();
                (long count, IReadOnlyList<string> first) =
                    Counterexamples.Scan(bits, i => Encoder.Encode(f, values[i], ctx), i => codes[i], "cast --in", 5);
                Assert.True(count == 0, $"{spec} {rounding} {overflow}: {count} differ; {string.Join("; ", first)}");
            }
    }

    [Theory, MemberData(nameof(EndSpecs))]
    public void BenchCast_AtTheEnds_AgreesWithTheReference(string spec)
    {
        if (FormatSpec.Parse(spec).TotalBits > 8) return; // bench cast is for the ≤ 8-bit vector path (its refusal is tested elsewhere)
        foreach (string overflow in new[] { "saturate", "ieee" })
        {
            CliResult r = CliRunner.Run("bench", "cast", "--format", spec, "--rounding", "rup", "--overflow", overflow, "--count", "4096");
            Assert.True(r.ExitCode == 0, $"{spec} {overflow}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Matches(BenchCastCommandTests.LastLine, r.Lines[^1]);
        }
    }

    [Theory, MemberData(nameof(EndSpecs))]
    public void BenchDecode_AtTheEnds_AgreesWithTheReference(string spec)
    {
        if (FormatSpec.Parse(spec).TotalBits > 8) return; // bench decode is for ≤ 8-bit codes (its refusal is tested elsewhere)
        CliResult r = CliRunner.Run("bench", "decode", "--format", spec, "--count", "4096");
        Assert.True(r.ExitCode == 0, $"{spec}: exit {r.ExitCode}: {r.Stderr}");
        Assert.Matches(BenchCastCommandTests.LastLine, r.Lines[^1]);
    }

    /// <summary>The case of the report: ±Inf into e4m3:bias=-113 (max finite 1.75 · 2^128) saturates to 0x7e, not 0x78 (= 2^128).</summary>
    [Fact]
    public void BenchCast_InfinityIntoAFormatPastFloat32sRange_Saturates()
    {
        foreach (string rounding in new[] { "rne", "rna", "rtz", "rup", "rdn" })
        {
            CliResult r = CliRunner.Run("bench", "cast", "--format", "e4m3:bias=-113", "--rounding", rounding, "--count", "20000");
            Assert.True(r.ExitCode == 0, $"{rounding}: {r.Stderr}");
        }
        string path = _folder.File("inf.npy"), output = _folder.File("inf-codes.npy");
        NpyFile.Write<float>(path, Enumerable.Repeat(float.PositiveInfinity, 64).Append(float.NegativeInfinity).ToArray(), [65]);
        Assert.Equal(0, CliRunner.Run("cast", "--in", path, "--out", output, "--format", "e4m3:bias=-113").ExitCode);
        byte[] codes = NpyFile.Read<byte>(output).Data;
        Assert.All(codes[..64], c => Assert.Equal(0x7e, c));
        Assert.Equal(0xfe, codes[64]);
    }

    [Theory, MemberData(nameof(EndSpecs))]
    public void Dot_AtTheEnds_PrintsOneResultLine(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        uint max = f.MaxFiniteMagnitude, one = 1;
        var input = new System.Text.StringBuilder();
        foreach ((uint a, uint b) in new[] { (one, one), (max, max), (one, max), (max | f.SignMask, max) })
            input.Append(CultureInfo.InvariantCulture, $"0x{a:x} 0x{b:x}\n");
        foreach (string acc in new[] { "exact", "fp32", "bf16", "fixed:32.8", "tc:v100", $"exact:{spec}" })
        {
            CliResult r = CliRunner.RunWithInput(input.ToString(), "dot", "--a-format", spec, "--b-format", spec, "--acc", acc);
            Assert.True(r.ExitCode == 0, $"{spec} {acc}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Single(r.Lines);
        }
        CliResult shifted = CliRunner.RunWithInput($"0x{max:x} 0x{max:x}\n0x1 0x1\n", "dot", "--a-format", spec, "--b-format", spec,
            "--acc", "fp32", "--bias-a-channel", "0,64");
        Assert.True(shifted.ExitCode == 0, shifted.Stderr);
    }
}
