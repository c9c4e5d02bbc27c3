using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// <c>fp4sim mx dequantize</c>: what <c>mx quantize</c> wrote, lines or arrays, back to float32 — each value the
/// reference dequantization (<see cref="QuantizedBlocks.Value"/>, rounded once to float32) of the same blocks.
/// </summary>
public sealed class MxDequantizeTests : IDisposable
{
    private readonly TempFolder _folder = new("mx-dequantize");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Formats => [.. KnownBlockFormats.All.Select(f => f.Name)];

    [Theory, MemberData(nameof(Formats))]
    public void Quantize_then_dequantize_gives_the_reference_values_in_both_modes(string name)
    {
        BlockFormat f = KnownBlockFormats.Parse(name);
        float[] values = MxData.Values(4 * 2 * f.BlockSize, seed: 3);
        var options = new BlockQuantizeOptions(ElementRounding: RoundingMode.Sr, NaNPolicy: BlockNaNPolicy.NaNScale, Seed: 3);
        QuantizedBlocks reference = BlockQuantizer.Quantize(f, values, options);
        float[] expected = [.. Enumerable.Range(0, values.Length).Select(i => (float)reference.Value(i))];
        string[] quantizeOptions = ["--format", name, "--rounding", "sr", "--seed", "3", "--nan-policy", "nan-scale"];

        CliResult quantized = CliRunner.RunWithInput(MxData.HexLines(values), ["mx", "quantize", .. quantizeOptions]);
        CliResult lines = CliRunner.RunWithInput(quantized.Stdout, "mx", "dequantize", "--format", name);
        Assert.True(lines.ExitCode == 0, lines.Stderr);
        AssertSameValues(expected, [.. lines.Lines.Select(l => Assert.IsType<float>(FloatInput.TryParse(l, out float v) ? v : null))]);

        bool pack = f.Element.TotalBits == 4;
        string input = _folder.File("a.npy"), codes = _folder.File("codes.npy"), scales = _folder.File("scales.npy");
        string tensor = _folder.File("t.npy"), output = _folder.File("values.npy");
        NpyFile.Write<float>(input, values, [4, 2 * f.BlockSize]);
        string[] tensorOut = f.HasTensorScale ? ["--tensor-scale-out", tensor] : [], tensorIn = f.HasTensorScale ? ["--tensor-scale", tensor] : [];
        string[] packing = pack ? ["--pack"] : [], packed = pack ? ["--packed"] : [];
        Assert.Equal(0, CliRunner.Run(["mx", "quantize", .. quantizeOptions, "--in", input, "--out", codes, "--scales-out", scales,
            .. tensorOut, .. packing]).ExitCode);
        CliResult arrays = CliRunner.Run(["mx", "dequantize", "--format", name, "--in", codes, "--scales", scales, .. tensorIn, .. packed,
            "--out", output]);
        Assert.True(arrays.ExitCode == 0, arrays.Stderr);
        Assert.Equal($"wrote {output}\n", arrays.Stdout);
        NpyArray<float> read = NpyFile.Read<float>(output);
        Assert.Equal([4, 2 * f.BlockSize], read.Shape);
        AssertSameValues(expected, read.Data);
    }

    [Fact]
    public void Lines_print_the_shortest_decimal_of_each_value()
    {
        string block = "0x80 0x1 0xf 0x8 0x0" + string.Concat(Enumerable.Repeat(" 0x7", 28)) + "\n";
        CliResult r = CliRunner.RunWithInput(block + "0xff" + string.Concat(Enumerable.Repeat(" 0x2", 32)) + "\n" +
                                             "0x00" + string.Concat(Enumerable.Repeat(" 0x1", 32)) + "\n", "mx", "dequantize", "--format", "mxfp4");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(96, r.Lines.Length);
        Assert.Equal(["1", "-12", "-0", "0", "12"], r.Lines[..5]); // scale 2^1: 0.5, -6, -0, 0, 6
        Assert.Equal("nan", r.Lines[32]); // a NaN scale
        Assert.Matches("^[0-9.]+e-39$", r.Lines[64]); // 0.5 * 2^-127 = 2^-128, a float32 subnormal, reads back exactly
        Assert.True(FloatInput.TryParse(r.Lines[64], out float tiny) && tiny == MathF.ScaleB(1, -128));
    }

    [Theory]
    [InlineData("mxfp4", "0x7f 0x1\n", "fp4sim: line 1: expected a scale and 32 elements (33 fields), got 2")]
    [InlineData("mxfp4", "0x100" + Ones32 + "\n", "fp4sim: line 1: scale '0x100' is out of range for e8m0 (codes 0x00..0xff)")]
    [InlineData("mxfp4", "0x7f 0x1 0x1 0x1 0x10" + Ones28 + "\n", "fp4sim: line 1: element 3 '0x10' is out of range for e2m1 (codes 0x0..0xf)")]
    [InlineData("mxfp4", "0x7f" + Ones32 + "\n0x7f 0x1 zz" + Ones28 + " 0x1 0x1\n",
        "fp4sim: line 2: malformed element 1 'zz' (expected 0x + hex digits or a decimal code)")]
    [InlineData("nvfp4", "zz\n", "fp4sim: line 1: malformed number 'zz' (expected 0x + 8 hex digits or a decimal number)")]
    public void Line_errors_name_the_line_and_the_field(string format, string input, string error)
    {
        CliResult r = CliRunner.RunWithInput(input, "mx", "dequantize", "--format", format);
        Assert.Equal((2, error), (r.ExitCode, Assert.Single(r.ErrorLines)));
    }

    private const string Ones28 = " 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1 0x1";
    private const string Ones32 = Ones28 + " 0x1 0x1 0x1 0x1";

    public static TheoryData<string[], string> BadArrays => new()
    {
        { ["--format", "mxfp4", "--in", "codes64.npy", "--scales", "scales3.npy", "--out", "v.npy"],
            "shapes do not match: codes (2, 64) in blocks of 32 take scales of shape (2, 2), {scales3.npy} has (2, 3)" },
        { ["--format", "mxfp4", "--in", "codes64.npy", "--scales", "scales2.npy", "--packed", "--out", "v.npy"],
            "shapes do not match: codes (2, 64) (unpacked) in blocks of 32 take scales of shape (2, 4), {scales2.npy} has (2, 2)" },
        { ["--format", "mxfp4", "--in", "codes48.npy", "--scales", "scales2.npy", "--out", "v.npy"],
            "{codes48.npy}: last dimension 48 is not a multiple of the mxfp4 block size 32" },
        { ["--format", "mxfp4", "--in", "codes64.npy", "--scales", "scales2.npy", "--out", "v.npy"],
            "{codes64.npy}: element 70 (flat index, C order) is 22, out of range for e2m1 codes (0x0..0xf)" },
        { ["--format", "mxfp8_e4m3", "--in", "codes64.npy", "--scales", "scales2.npy", "--packed", "--out", "v.npy"],
            "--packed takes 4-bit elements (mxfp4, nvfp4); mxfp8_e4m3 has 8-bit ones" },
        { ["--format", "nvfp4", "--in", "codes64.npy", "--scales", "scales2.npy", "--out", "v.npy"], "nvfp4 needs --tensor-scale T.npy" },
        { ["--format", "mxfp4", "--in", "codes64.npy", "--scales", "scales2.npy", "--tensor-scale", "t3.npy", "--out", "v.npy"],
            "mxfp4 has no tensor scale" },
        { ["--format", "nvfp4", "--in", "codes64.npy", "--scales", "scales4.npy", "--tensor-scale", "t3.npy", "--out", "v.npy"],
            "{t3.npy}: a tensor scale is one float32 (<f4), found <f4 of shape (3,)" },
        { ["--format", "mxfp4", "--in", "floats.npy", "--scales", "scales2.npy", "--out", "v.npy"],
            "{floats.npy}: dtype '<f4' is not an array of codes (expected |u1, <u2, <u4 or <i4)" },
        { ["--format", "mxfp4", "--in", "codes64.npy", "--out", "v.npy"], "--in, --scales and --out go together" },
    };

    [Theory, MemberData(nameof(BadArrays))]
    public void Array_errors_are_one_line_exit_2(string[] options, string error)
    {
        byte[] codes = new byte[128];
        codes[70] = 22;
        NpyFile.Write<byte>(_folder.File("codes64.npy"), codes, [2, 64]);
        NpyFile.Write<byte>(_folder.File("codes48.npy"), new byte[96], [2, 48]);
        NpyFile.Write<byte>(_folder.File("scales2.npy"), new byte[4], [2, 2]);
        NpyFile.Write<byte>(_folder.File("scales3.npy"), new byte[6], [2, 3]);
        NpyFile.Write<byte>(_folder.File("scales4.npy"), new byte[8], [2, 4]);
        NpyFile.Write<float>(_folder.File("t3.npy"), [1f, 2f, 3f], [3]);
        NpyFile.Write<float>(_folder.File("floats.npy"), new float[128], [2, 64]);
        string[] args = [.. options.Select(o => o.EndsWith(".npy", StringComparison.Ordinal) ? _folder.File(o) : o)];
        CliResult r = CliRunner.Run(["mx", "dequantize", .. args]);
        string expected = System.Text.RegularExpressions.Regex.Replace(error, @"\{([^}]*)\}", m => _folder.File(m.Groups[1].Value));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, Assert.Single(r.ErrorLines));
        Assert.StartsWith("fp4sim: mx dequantize: ", r.Stderr);
        Assert.DoesNotContain("v.npy", _folder.Entries());
    }

    [Fact]
    public void An_unwritable_output_is_exit_3()
    {
        NpyFile.Write<byte>(_folder.File("codes.npy"), new byte[32], [32]);
        NpyFile.Write<byte>(_folder.File("scales.npy"), new byte[1], [1]);
        CliResult r = CliRunner.Run("mx", "dequantize", "--format", "mxfp8_e5m2", "--in", _folder.File("codes.npy"),
            "--scales", _folder.File("scales.npy"), "--out", _folder.File("none/v.npy"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("does not exist", Assert.Single(r.ErrorLines));
        Assert.Equal(["codes.npy", "scales.npy"], _folder.Entries());
    }

    [Fact]
    public void Numpy_dequantizes_packed_mxfp4_to_the_same_values()
    {
        if (!PythonNumpy.Available) return; // the reference comparison above holds the contract on its own
        var random = new Random(6);
        string input = _folder.File("a.npy"), codes = _folder.File("codes.npy"), scales = _folder.File("scales.npy"), output = _folder.File("v.npy");
        float[] values = [.. Enumerable.Range(0, 128).Select(_ => (float)Math.ScaleB(random.NextDouble() - 0.5, random.Next(-9, 9)))];
        NpyFile.Write<float>(input, values, [2, 64]);
        Assert.Equal(0, CliRunner.Run("mx", "quantize", "--format", "mxfp4", "--in", input, "--out", codes, "--scales-out", scales,
            "--pack").ExitCode);
        Assert.Equal(0, CliRunner.Run("mx", "dequantize", "--format", "mxfp4", "--in", codes, "--scales", scales, "--packed",
            "--out", output).ExitCode);
        string script = $"""
            c = numpy.load('{codes}'); s = numpy.load('{scales}'); v = numpy.load('{output}')
            e2m1 = numpy.array([0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6])
            u = numpy.stack([c & 15, c >> 4], axis=-1).reshape(2, 64)
            ref = (e2m1[u] * numpy.exp2(s.astype(numpy.float64) - 127).repeat(32, axis=-1)).astype(numpy.float32)
            print(v.dtype, v.shape, numpy.array_equal(ref.view(numpy.uint32), v.view(numpy.uint32)))
            """;
        Assert.Equal("float32 (2, 64) True", PythonNumpy.Run(script));
    }

    private static void AssertSameValues(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i])
                : BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(actual[i]);
            Assert.True(same, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
