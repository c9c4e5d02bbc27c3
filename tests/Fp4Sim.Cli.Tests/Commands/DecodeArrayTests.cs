using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// <c>fp4sim decode --stdin</c> (the codes on stdin, the table's lines for them) and <c>decode --in CODES.npy --out
/// VALUES.npy</c> (each code's value from the reference decoder, in the codes' shape).
/// </summary>
public sealed class DecodeArrayTests : IDisposable
{
    private readonly TempFolder _folder = new("decode-npy");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("e2m1")]
    [InlineData("e4m3")]
    [InlineData("int4")]
    [InlineData("fp16")]
    public void Stdin_codes_print_the_tables_lines_for_them(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        string[] table = CliRunner.Run("decode", "--format", spec).Lines;
        uint[] codes = [.. Enumerable.Range(0, 300).Select(i => (uint)((ulong)i * 2654435761u % format.CodeCount))];
        // hex of any width and case, decimal, surrounding blanks and CRLF line ends
        string input = string.Concat(codes.Select((c, i) => (i % 4) switch
        {
            0 => $"0x{c:x}\n",
            1 => $" 0X{c:X8} \r\n",
            2 => $"{c}\n",
            _ => $"\t0x{c:x}\n",
        }));
        CliResult r = CliRunner.RunWithInput(input, "decode", "--format", spec, "--stdin");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(codes.Select(c => table[c]), r.Lines);
        Assert.Equal("", CliRunner.Run("decode", "--format", spec, "--stdin").Stdout); // no codes, no lines
    }

    [Theory]
    [InlineData("0x1\n0x10\n", "fp4sim: line 2: code '0x10' is out of range for e2m1 (codes 0x0..0xf)")]
    [InlineData("3\n\n", "fp4sim: line 2: empty code (expected 0x + hex digits or a decimal code)")]
    [InlineData("1.5\n", "fp4sim: line 1: malformed code '1.5' (expected 0x + hex digits or a decimal code)")]
    [InlineData("0x\n", "fp4sim: line 1: malformed code '0x' (expected 0x + hex digits or a decimal code)")]
    [InlineData("-1\n", "fp4sim: line 1: malformed code '-1' (expected 0x + hex digits or a decimal code)")]
    [InlineData("99999999999999999999999\n", "fp4sim: line 1: malformed code '99999999999999999999999' (expected 0x + hex digits or a decimal code)")]
    public void Stdin_errors_name_the_line(string input, string error)
    {
        CliResult r = CliRunner.RunWithInput(input, "decode", "--format", "e2m1", "--stdin");
        Assert.Equal((2, error), (r.ExitCode, Assert.Single(r.ErrorLines)));
    }

    public static TheoryData<string, string> FormatsAndDtypes => new()
    {
        { "e2m1", "|u1" }, { "e4m3", "<u2" }, { "e5m2fnuz", "<i4" }, { "fp16", "<u4" }, { "bf16", "<u2" }, { "int8", "|u1" },
        { "e8m0", "<u4" }, { "fp32", "<u4" },
    };

    [Theory, MemberData(nameof(FormatsAndDtypes))]
    public void Arrays_of_codes_decode_to_float32_in_their_shape(string spec, string dtype)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        uint[] codes = format.TotalBits <= 16
            ? [.. Enumerable.Range(0, (int)format.CodeCount).Select(c => (uint)c)]
            : [0x7FC00000, 0xFF800000, 0x00000001, 0x80000000, 0x7F7FFFFF, .. Enumerable.Range(0, 999).Select(i => (uint)i * 4294967u)];
        codes = codes[..(codes.Length / 2 * 2)];
        string input = WriteCodes(dtype, codes, [2, codes.Length / 2]), output = _folder.File("values.npy");
        CliResult r = CliRunner.Run("decode", "--format", spec, "--in", input, "--out", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal($"wrote {output}\n", r.Stdout);
        NpyArray<float> values = NpyFile.Read<float>(output);
        Assert.Equal([2, codes.Length / 2], values.Shape);
        Assert.Equal(codes.Select(c => BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(format, c))),
            values.Data.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Wide_formats_need_f8_which_holds_every_value_exactly()
    {
        FormatInfo format = FormatSpec.Parse("e5m26");
        uint[] codes = [0, 0x3C000001, 0x3C000000, 1, 0x7C000000, 0xFFFFFFFF]; // 0, 1 + 2^-26, 1, 2^-40, inf, -nan
        string input = WriteCodes("<u4", codes, [3, 2]), output = _folder.File("values.npy");
        CliResult r = CliRunner.Run("decode", "--format", "e5m26", "--in", input, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"fp4sim: decode: {input}: element 1 (flat index, C order), e5m26 code 0x3c000001, is 1.00000001490116119384765625, " +
            "which float32 does not hold exactly (use --dtype f8)", Assert.Single(r.ErrorLines));
        Assert.DoesNotContain("values.npy", _folder.Entries());

        r = CliRunner.Run("decode", "--format", "e5m26", "--in", input, "--out", output, "--dtype", "f8");
        Assert.True(r.ExitCode == 0, r.Stderr);
        NpyArray<double> values = NpyFile.Read<double>(output);
        Assert.Equal([3, 2], values.Shape);
        Assert.Equal(codes.Select(c => Decoder.Decode(format, c)).Take(5), values.Data.Take(5));
        Assert.True(double.IsNaN(values.Data[5]) && double.IsNegative(values.Data[5])); // the code's sign kept
    }

    [Fact]
    public void A_code_out_of_range_names_its_flat_index()
    {
        string output = _folder.File("values.npy");
        string input = WriteCodes("|u1", [1, 2, 3, 4, 17, 5], [2, 3]);
        CliResult r = CliRunner.Run("decode", "--format", "e2m1", "--in", input, "--out", output);
        Assert.Equal((2, $"fp4sim: decode: {input}: element 4 (flat index, C order) is 17, out of range for e2m1 codes (0x0..0xf)"),
            (r.ExitCode, Assert.Single(r.ErrorLines)));
        input = WriteCodes("<i4", [1, unchecked((uint)-3)], [2]);
        r = CliRunner.Run("decode", "--format", "e2m1", "--in", input, "--out", output);
        Assert.Contains("element 1 (flat index, C order) is -3, out of range", Assert.Single(r.ErrorLines));
        Assert.DoesNotContain("values.npy", _folder.Entries());
    }

    [Theory]
    [InlineData("--in", "codes.npy")]
    [InlineData("--stdin", "--in", "codes.npy", "--out", "v.npy")]
    [InlineData("--dtype", "f8")]
    [InlineData("--in", "codes.npy", "--out", "v.npy", "--dtype", "f2")]
    [InlineData("--in", "floats.npy", "--out", "v.npy")]
    [InlineData("--stdin=yes")]
    public void Bad_options_and_inputs_are_one_line_exit_2(params string[] options)
    {
        WriteCodes("|u1", [1, 2], [2]);
        NpyFile.Write<float>(_folder.File("floats.npy"), [1f], [1]);
        string[] args = [.. options.Select(o => o.EndsWith(".npy", StringComparison.Ordinal) ? _folder.File(o) : o)];
        CliResult r = CliRunner.Run(["decode", "--format", "e2m1", .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: decode: ", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void An_unwritable_output_is_exit_3_before_any_work()
    {
        string input = WriteCodes("|u1", [1, 2], [2]);
        CliResult r = CliRunner.Run("decode", "--format", "e2m1", "--in", input, "--out", _folder.File("no-such-dir/v.npy"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("does not exist", Assert.Single(r.ErrorLines));
        Assert.Equal(["codes.npy"], _folder.Entries());
    }

    [Fact]
    public void Numpy_reads_the_values_back()
    {
        if (!PythonNumpy.Available) return; // the byte-level checks above hold the contract on their own
        string input = WriteCodes("|u1", [.. Enumerable.Range(0, 16).Select(c => (uint)c)], [4, 4]), output = _folder.File("values.npy");
        Assert.Equal(0, CliRunner.Run("decode", "--format", "e2m1", "--in", input, "--out", output).ExitCode);
        Assert.Equal("float32 (4, 4) [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0]",
            PythonNumpy.Run($"a = numpy.load('{output}'); print(a.dtype, a.shape, a.ravel().tolist())"));
    }

    /// <summary>Writes <paramref name="codes"/> as codes.npy of <paramref name="dtype"/>; returns its path.</summary>
    private string WriteCodes(string dtype, uint[] codes, int[] shape)
    {
        string path = _folder.File("codes.npy");
        switch (dtype)
        {
            case "|u1": NpyFile.Write<byte>(path, [.. codes.Select(c => (byte)c)], shape); break;
            case "<u2": NpyFile.Write<ushort>(path, [.. codes.Select(c => (ushort)c)], shape); break;
            case "<i4": NpyFile.Write<int>(path, [.. codes.Select(c => (int)c)], shape); break;
            default: NpyFile.Write<uint>(path, codes, shape); break;
        }
        return path;
    }
}
