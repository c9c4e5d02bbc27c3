using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim cast --in A.npy --out B.npy</c>: every element is the reference encoder's code, in the same shape.</summary>
public sealed class CastArrayTests : IDisposable
{
    private readonly TempFolder _folder = new("cast-npy");

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// Decision points, specials and seeded random values of the format as a (2, n/2) float32 array; for 32-bit
    /// formats (whose values are too many to list) specials and uniformly random bit patterns.
    /// </summary>
    private static float[] Inputs(FormatInfo format)
    {
        var random = new Random(9);
        uint[] bits = format.TotalBits <= 16
            ? [.. CastInputs.EdgeBits(format), .. CastInputs.RandomBits(format, seed: 9, count: 4001)]
            : [0x7FC00000, 0xFF800000, 0x00000001, 0x80000000, 0x7F7FFFFF,
                .. Enumerable.Range(0, 4001).Select(_ => (uint)random.NextInt64(1L << 32))];
        float[] values = bits.Select(BitConverter.UInt32BitsToSingle).ToArray();
        return values.Length % 2 == 0 ? values : values[..^1];
    }

    private CliResult Cast(string input, string output, params string[] options) =>
        CliRunner.Run(["cast", "--in", input, "--out", output, .. options]);

    [Theory]
    [InlineData("e2m1", "rne")]
    [InlineData("e4m3", "rtz")]
    [InlineData("e5m2", "rup")]
    [InlineData("e2m3", "sr")]
    [InlineData("fp16", "rne")]
    [InlineData("bf16", "rdn")]
    [InlineData("fp32", "rna")]
    [InlineData("int4", "rne")]
    public void Float32Arrays_CastElementByElement_ToTheReferenceCodes(string spec, string rounding)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        float[] values = Inputs(format);
        int[] shape = [2, values.Length / 2];
        string input = _folder.File("in.npy"), output = _folder.File("out.npy");
        NpyFile.Write<float>(input, values, shape);
        CliResult r = Cast(input, output, "--format", spec, "--rounding", rounding, "--seed", "5");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal($"wrote {output}\n", r.Stdout);

        RoundingContext ctx = new(RoundingNames.ParseMode(rounding), OverflowMode.Saturate);
        uint Reference(int i) => Encoder.Encode(format, values[i],
            ctx.Mode == RoundingMode.Sr ? ctx with { RandomBits = StochasticBits.For(5, (ulong)i) } : ctx);
        uint[] codes = ReadCodes(output, format, shape);
        (long count, IReadOnlyList<string> first) = Counterexamples.Scan(
            values.Select(BitConverter.SingleToUInt32Bits).ToArray(), Reference, i => codes[i], "cast --in", 5);
        Assert.True(count == 0, $"{count} codes differ: {string.Join("; ", first)}");
    }

    [Fact]
    public void ElementI_IsLineI_AlsoForStochasticRounding()
    {
        float[] values = [.. Enumerable.Range(0, 200).Select(i => (float)Math.Sin(i) * 7)];
        string input = _folder.File("in.npy"), output = _folder.File("out.npy");
        NpyFile.Write<float>(input, values, [values.Length]);
        Assert.Equal(0, Cast(input, output, "--format", "e2m1", "--rounding", "sr", "--seed", "42").ExitCode);
        string lines = string.Join('\n', values.Select(v => $"0x{BitConverter.SingleToUInt32Bits(v):x8}")) + "\n";
        CliResult text = CliRunner.RunWithInput(lines, "cast", "--format", "e2m1", "--rounding", "sr", "--seed", "42");
        Assert.Equal(text.Lines, NpyFile.Read<byte>(output).Data.Select(c => $"0x{c:x}"));
    }

    [Fact]
    public void OtherDtypes_AreExactValues_CastOnce()
    {
        double[] doubles = [0.1, 1e-300, -2.75, 1e300, double.NaN, 3.0000001, -0.0];
        string input = _folder.File("f8.npy"), output = _folder.File("out.npy");
        NpyFile.Write<double>(input, doubles, [doubles.Length]);
        Assert.Equal(0, Cast(input, output, "--format", "e4m3").ExitCode);
        Assert.Equal(doubles.Select(d => (byte)Encoder.Encode(KnownFormats.E4M3, d, RoundingContext.Default)), NpyFile.Read<byte>(output).Data);

        int[] ints = [0, 1, -7, 100_000, int.MinValue];
        NpyFile.Write<int>(input, ints, [5, 1]);
        Assert.Equal(0, Cast(input, output, "--format", "fp16").ExitCode);
        NpyArray<ushort> codes = NpyFile.Read<ushort>(output);
        Assert.Equal([5, 1], codes.Shape);
        Assert.Equal(ints.Select(i => (ushort)Encoder.Encode(KnownFormats.Fp16, (double)i, RoundingContext.Default)), codes.Data);

        Half[] halves = [(Half)0.333, (Half)(-65504), Half.Epsilon];
        NpyFile.Write<Half>(input, halves, [3]);
        Assert.Equal(0, Cast(input, output, "--format", "e5m2").ExitCode);
        Assert.Equal(halves.Select(h => (byte)Encoder.Encode(KnownFormats.E5M2, (float)h)), NpyFile.Read<byte>(output).Data);
    }

    [Fact]
    public void Numpy_ReadsTheOutputBack()
    {
        if (!PythonNumpy.Available) return; // the byte-level checks above hold the contract on their own
        string input = _folder.File("in.npy"), output = _folder.File("out.npy");
        NpyFile.Write<float>(input, [1f, 6f, -0.5f, 100f, 0.25f, 3f], [2, 3]);
        Assert.Equal(0, Cast(input, output, "--format", "e2m1").ExitCode);
        Assert.Equal("uint8 (2, 3) [2, 7, 9, 7, 0, 5]",
            PythonNumpy.Run($"a = numpy.load('{output}'); print(a.dtype, a.shape, a.ravel().tolist())"));
    }

    [Fact]
    public void BadInput_IsOneLine_Exit2_AndAnUnwritableOutput_Exit3()
    {
        string good = _folder.File("good.npy");
        NpyFile.Write<float>(good, [1f], [1]);
        CliResult r = CliRunner.Run("cast", "--format", "e2m1", "--in", good);
        Assert.Equal((2, "fp4sim: cast: --in and --out go together (both .npy files)\n"), (r.ExitCode, r.Stderr));

        r = Cast(_folder.File("missing.npy"), _folder.File("out.npy"), "--format", "e2m1");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: cast: cannot read ", r.Stderr);

        string bad = _folder.Write("bad.npy", "not an array");
        r = Cast(bad, _folder.File("out.npy"), "--format", "e2m1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.npy: not a .npy file", r.Stderr);
        Assert.Single(r.ErrorLines);

        r = Cast(good, _folder.File("no-such-dir/out.npy"), "--format", "e2m1");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("does not exist", r.Stderr);
        r = Cast(good, _folder.Path, "--format", "e2m1");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("it is a directory", r.Stderr);
        Assert.Equal(["bad.npy", "good.npy"], _folder.Entries()); // nothing half-written left behind
    }

    private static uint[] ReadCodes(string path, FormatInfo format, int[] shape)
    {
        if (format.TotalBits <= 8) return Checked(NpyFile.Read<byte>(path), shape).Select(c => (uint)c).ToArray();
        if (format.TotalBits <= 16) return Checked(NpyFile.Read<ushort>(path), shape).Select(c => (uint)c).ToArray();
        return Checked(NpyFile.Read<uint>(path), shape);
    }

    private static T[] Checked<T>(NpyArray<T> array, int[] shape) where T : unmanaged
    {
        Assert.Equal(shape, array.Shape);
        return array.Data;
    }
}
