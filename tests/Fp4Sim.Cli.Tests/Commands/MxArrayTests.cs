using System.Globalization;
using System.Text;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// <c>fp4sim mx quantize --in A.npy --out CODES.npy --scales-out SCALES.npy</c>: the arrays hold exactly what the line
/// mode prints for the same values (and what the library's reference gives), in blocks along the last axis.
/// </summary>
public sealed class MxArrayTests : IDisposable
{
    private readonly TempFolder _folder = new("mx-npy");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> FormatsAndRoundings()
    {
        var data = new TheoryData<string, string>();
        foreach (BlockFormat f in KnownBlockFormats.All)
        {
            data.Add(f.Name, "rne");
            data.Add(f.Name, "sr");
        }
        return data;
    }

    [Theory, MemberData(nameof(FormatsAndRoundings))]
    public void The_arrays_hold_what_the_lines_print(string name, string rounding)
    {
        BlockFormat f = KnownBlockFormats.Parse(name);
        int[] shape = [3, 2, 3 * f.BlockSize];
        float[] values = MxData.Values(3 * 2 * 3 * f.BlockSize, seed: 11);
        string input = _folder.File("a.npy");
        NpyFile.Write<float>(input, values, shape);
        string[] options = ["--format", name, "--rounding", rounding, "--seed", "5", "--scale-rule", "rceil", "--nan-policy", "nan-scale"];
        Quantized arrays = QuantizeArrays(f, input, options);

        CliResult lines = CliRunner.RunWithInput(MxData.HexLines(values), ["mx", "quantize", .. options]);
        Assert.True(lines.ExitCode == 0, lines.Stderr);
        Quantized text = MxData.ParseLines(f, lines.Lines);
        Assert.Equal(text.Elements, arrays.Elements);
        Assert.Equal(text.Scales, arrays.Scales);
        Assert.Equal(text.TensorScale, arrays.TensorScale);

        var reference = BlockQuantizer.Quantize(f, values, new BlockQuantizeOptions(ScaleRule.Rceil, RoundingNames.ParseMode(rounding),
            BlockNaNPolicy.NaNScale, Seed: 5));
        Assert.Equal(reference.Elements, arrays.Elements);
        Assert.Equal(reference.Scales.Select(s => (byte)s), arrays.Scales);
        Assert.Equal([3, 2, 3 * f.BlockSize], arrays.CodesShape);
        Assert.Equal([3, 2, 3], arrays.ScalesShape);
    }

    [Fact]
    public void Pad_fills_each_row_with_zeros_and_element_i_of_the_padded_codes_is_line_i()
    {
        BlockFormat f = KnownBlockFormats.MxFp4;
        float[] values = MxData.Values(3 * 40, seed: 4);
        string input = _folder.File("a.npy");
        NpyFile.Write<float>(input, values, [3, 40]);
        string[] options = ["--format", "mxfp4", "--rounding", "sr", "--seed", "9"];
        CliResult refused = CliRunner.Run(["mx", "quantize", .. options, .. Files(input)]);
        Assert.Equal((2, $"fp4sim: mx quantize: {input}: last dimension 40 is not a multiple of the mxfp4 block size 32 " +
            "(add --pad to fill each row with zeros)"), (refused.ExitCode, Assert.Single(refused.ErrorLines)));

        Quantized arrays = QuantizeArrays(f, input, [.. options, "--pad"]);
        Assert.Equal([3, 64], arrays.CodesShape);
        Assert.Equal([3, 2], arrays.ScalesShape);
        float[] padded = [.. Enumerable.Range(0, 3).SelectMany(r => values.Skip(40 * r).Take(40).Concat(new float[24]))];
        Quantized text = MxData.ParseLines(f, CliRunner.RunWithInput(MxData.HexLines(padded), ["mx", "quantize", .. options]).Lines);
        Assert.Equal(text.Elements, arrays.Elements);
        Assert.Equal(text.Scales, arrays.Scales);
    }

    /// <summary>
    /// Past a chunk (2^20 elements) and across the parallel slices (1024 blocks), with short rows padded: the codes
    /// are the reference's for the whole padded tensor, stochastic rounding keyed on the padded index.
    /// </summary>
    [Theory]
    [InlineData("mxfp4")]
    [InlineData("nvfp4")]
    public void Chunks_and_slices_give_the_whole_tensors_codes(string name)
    {
        BlockFormat f = KnownBlockFormats.Parse(name);
        const int Rows = 33, Row = 32790, Padded = 32800;
        float[] values = MxData.Values(Rows * Row, seed: 12);
        string input = _folder.File("a.npy");
        NpyFile.Write<float>(input, values, [Rows, Row]);
        Quantized arrays = QuantizeArrays(f, input, ["--format", name, "--rounding", "sr", "--seed", "77", "--pad"]);
        float[] padded = new float[Rows * Padded];
        for (int r = 0; r < Rows; r++) values.AsSpan(r * Row, Row).CopyTo(padded.AsSpan(r * Padded));
        QuantizedBlocks reference = BlockQuantizer.Quantize(f, padded, new BlockQuantizeOptions(ElementRounding: RoundingMode.Sr, Seed: 77));
        Assert.Equal([Rows, Padded], arrays.CodesShape);
        Assert.True(reference.Elements.AsSpan().SequenceEqual(arrays.Elements), "element codes differ");
        Assert.Equal(reference.Scales.Select(s => (byte)s), arrays.Scales);
        Assert.Equal(reference.TensorScale, arrays.TensorScale);
    }

    [Fact]
    public void Float64_and_float16_inputs_are_their_float32_values()
    {
        double[] doubles = [.. MxData.Values(64, seed: 2).Select((v, i) => v * (1 + 1e-9 * i))];
        NpyFile.Write<double>(_folder.File("f8.npy"), doubles, [2, 32]);
        NpyFile.Write<float>(_folder.File("f4.npy"), [.. doubles.Select(d => (float)d)], [2, 32]);
        Half[] halves = [.. doubles.Select(d => (Half)d)];
        NpyFile.Write<Half>(_folder.File("f2.npy"), halves, [64]);
        NpyFile.Write<float>(_folder.File("f2as4.npy"), [.. halves.Select(h => (float)h)], [64]);
        foreach ((string wide, string narrow) in new[] { ("f8.npy", "f4.npy"), ("f2.npy", "f2as4.npy") })
        {
            Quantized a = QuantizeArrays(KnownBlockFormats.MxFp8E4M3, _folder.File(wide), ["--format", "mxfp8_e4m3"]);
            Quantized b = QuantizeArrays(KnownBlockFormats.MxFp8E4M3, _folder.File(narrow), ["--format", "mxfp8_e4m3"]);
            Assert.Equal(b.Elements, a.Elements);
            Assert.Equal(b.Scales, a.Scales);
        }
    }

    [Theory]
    [InlineData("mxfp4")]
    [InlineData("nvfp4")]
    public void Pack_halves_the_last_axis_low_nibble_first_in_a_spec_npy_file(string name)
    {
        BlockFormat f = KnownBlockFormats.Parse(name);
        string input = _folder.File("a.npy");
        NpyFile.Write<float>(input, MxData.Values(2 * 64, seed: 8), [2, 64]);
        Quantized unpacked = QuantizeArrays(f, input, ["--format", name]);
        CliResult r = CliRunner.Run(["mx", "quantize", "--format", name, "--pack", .. Files(input, f)]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        byte[] file = File.ReadAllBytes(_folder.File("codes.npy"));
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, file[..8]);
        int headerLength = file[8] | file[9] << 8;
        Assert.Equal(0, (10 + headerLength) % 64); // the data starts 64-byte aligned
        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.StartsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 32), }", header);
        Assert.Matches("^[^\n]*} *\n$", header);
        byte[] data = file[(10 + headerLength)..];
        Assert.Equal(64, data.Length);
        for (int i = 0; i < data.Length; i++)
            Assert.Equal(unpacked.Elements[2 * i] | unpacked.Elements[2 * i + 1] << 4, data[i]); // element 2i: the low nibble
        byte[] packed = new byte[64];
        CodePacking.PackFp4(unpacked.Elements, packed);
        Assert.Equal(packed, data);
    }

    [Fact]
    public void Numpy_reads_codes_scales_and_the_tensor_scale_and_unpacks_the_nibbles()
    {
        if (!PythonNumpy.Available) return; // the byte-level checks above hold the contract on their own
        string input = _folder.File("a.npy");
        NpyFile.Write<float>(input, MxData.Values(2 * 3 * 32, seed: 5), [2, 3, 32]);
        Quantized unpacked = QuantizeArrays(KnownBlockFormats.NvFp4, input, ["--format", "nvfp4"]);
        Assert.Equal(0, CliRunner.Run(["mx", "quantize", "--format", "nvfp4", "--pack", .. Files(input, KnownBlockFormats.NvFp4)]).ExitCode);
        string script = $"""
            c = numpy.load('{_folder.File("codes.npy")}'); s = numpy.load('{_folder.File("scales.npy")}')
            t = numpy.load('{_folder.File("tensor.npy")}')
            u = numpy.stack([c & 15, c >> 4], axis=-1).reshape(2, 3, 32)
            print(c.dtype, c.shape, s.dtype, s.shape, t.dtype, t.shape, t.view(numpy.uint32).item())
            print(u.ravel().tolist())
            print(s.ravel().tolist())
            """;
        string[] printed = PythonNumpy.Run(script).Split('\n');
        Assert.Equal($"uint8 (2, 3, 16) uint8 (2, 3, 2) float32 () {BitConverter.SingleToUInt32Bits(unpacked.TensorScale)}", printed[0]);
        Assert.Equal("[" + string.Join(", ", unpacked.Elements) + "]", printed[1]);
        Assert.Equal("[" + string.Join(", ", unpacked.Scales) + "]", printed[2]);
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "bool.npy", ["--format", "mxfp4"], "dtype '|b1' is not supported" },
        { "big-endian.npy", ["--format", "mxfp4"], "dtype '>f4' is not supported" },
        { "fortran.npy", ["--format", "mxfp4"], "fortran_order True is not supported" },
        { "truncated.npy", ["--format", "mxfp4"], "data length does not match the shape" },
        { "bytes.npy", ["--format", "mxfp4"], "dtype '|u1' is not a float array (expected <f4, <f2 or <f8)" },
        { "scalar.npy", ["--format", "mxfp4"], "a 0-d array has no last axis to take blocks along" },
        { "a.npy", ["--format", "mxfp8_e4m3", "--pack"], "--pack takes 4-bit elements (mxfp4, nvfp4); mxfp8_e4m3 has 8-bit ones" },
        { "a.npy", ["--format", "nvfp4"], "nvfp4 needs --tensor-scale-out T.npy for its FP32 tensor scale" },
        { "a.npy", ["--format", "mxfp4", "--tensor-scale-out", "t.npy"], "mxfp4 has no tensor scale" },
        { "a.npy", ["--format", "nvfp4", "--tensor-scale-out", "scales.npy"], "must be three different files" },
        { "", ["--format", "mxfp4", "--pack"], "--in, --out and --scales-out go together" },
    };

    [Theory, MemberData(nameof(BadInputs))]
    public void Bad_inputs_are_one_line_exit_2_and_write_nothing(string file, string[] options, string expected)
    {
        MxData.WriteRaw(_folder.File("bool.npy"), "|b1", "False", "(2, 32)", 64);
        MxData.WriteRaw(_folder.File("big-endian.npy"), ">f4", "False", "(2, 32)", 256);
        MxData.WriteRaw(_folder.File("fortran.npy"), "<f4", "True", "(2, 32)", 256);
        MxData.WriteRaw(_folder.File("truncated.npy"), "<f4", "False", "(2, 32)", 255);
        NpyFile.Write<byte>(_folder.File("bytes.npy"), new byte[64], [2, 32]);
        NpyFile.Write<float>(_folder.File("scalar.npy"), [1f], []);
        NpyFile.Write<float>(_folder.File("a.npy"), new float[64], [2, 32]);
        string[] before = _folder.Entries();
        string[] args = file.Length == 0 ? []
            : ["--in", _folder.File(file), "--out", _folder.File("codes.npy"), "--scales-out", _folder.File("scales.npy")];
        args = [.. args, .. options.Select(o => o.EndsWith(".npy", StringComparison.Ordinal) ? _folder.File(o) : o)];
        CliResult r = CliRunner.Run(["mx", "quantize", .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: mx quantize: ", Assert.Single(r.ErrorLines));
        Assert.Contains(expected, r.Stderr);
        Assert.Equal(before, _folder.Entries());
    }

    [Fact]
    public void An_unwritable_output_is_exit_3_and_no_output_is_written()
    {
        string input = _folder.File("a.npy");
        NpyFile.Write<float>(input, MxData.Values(64, seed: 1), [64]);
        string[] args = ["mx", "quantize", "--format", "nvfp4", "--in", input, "--out", _folder.File("codes.npy"),
            "--scales-out", _folder.File("scales.npy")];
        CliResult r = CliRunner.Run([.. args, "--tensor-scale-out", _folder.File("missing/t.npy")]);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("does not exist", Assert.Single(r.ErrorLines));
        r = CliRunner.Run([.. args, "--tensor-scale-out", _folder.Path]);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("it is a directory", Assert.Single(r.ErrorLines));
        Assert.Equal(["a.npy"], _folder.Entries()); // neither the codes nor the scales, nor a temporary
    }

    /// <summary>The three output options, in the test folder (with the tensor scale's for a two-level format).</summary>
    private string[] Files(string input, BlockFormat? format = null) =>
    [
        "--in", input, "--out", _folder.File("codes.npy"), "--scales-out", _folder.File("scales.npy"),
        .. format is { HasTensorScale: true } ? new[] { "--tensor-scale-out", _folder.File("tensor.npy") } : [],
    ];

    private Quantized QuantizeArrays(BlockFormat f, string input, string[] options)
    {
        CliResult r = CliRunner.Run(["mx", "quantize", .. options, .. Files(input, f)]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string tensor = f.HasTensorScale ? $"wrote {_folder.File("tensor.npy")}\n" : "";
        Assert.Equal($"wrote {_folder.File("codes.npy")}\nwrote {_folder.File("scales.npy")}\n{tensor}", r.Stdout);
        NpyArray<byte> codes = NpyFile.Read<byte>(_folder.File("codes.npy")), scales = NpyFile.Read<byte>(_folder.File("scales.npy"));
        float tensorScale = 1f;
        if (f.HasTensorScale)
        {
            NpyArray<float> t = NpyFile.Read<float>(_folder.File("tensor.npy"));
            Assert.Empty(t.Shape);
            tensorScale = t.Data[0];
        }
        return new Quantized(codes.Data, scales.Data, tensorScale, codes.Shape, scales.Shape);
    }
}
