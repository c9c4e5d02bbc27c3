using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim decode</c>: every code of a format with its exact value, one <c>0x&lt;code&gt; &lt;value&gt;</c> per line;
/// with <c>--stdin</c>, the codes read from stdin (one per line) instead of all of them; with
/// <c>--in CODES.npy --out VALUES.npy</c>, an array of codes to the array of their values (<c>&lt;f4</c>, or
/// <c>&lt;f8</c> with <c>--dtype f8</c>), streamed in chunks. Values come from the scalar reference
/// <see cref="Decoder"/>.
/// </summary>
public static class DecodeCommand
{
    /// <summary>Elements per chunk of the array mode.</summary>
    private const int Chunk = 1 << 20;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("decode", argv, "format", "!stdin", "in", "out", "dtype");
        FormatInfo format = CommonOptions.Format(args);
        string? input = args.Optional("in"), output = args.Optional("out"), dtype = args.Optional("dtype");
        if ((input is null) != (output is null)) throw new CliException("decode: --in and --out go together (both .npy files)");
        if (input is not null && args.Flag("stdin")) throw new CliException("decode: --stdin and --in are two inputs; give one");
        if (dtype is not null && input is null) throw new CliException("decode: --dtype goes with --in/--out");
        bool wide = dtype?.ToLowerInvariant() switch
        {
            null or "f4" => false,
            "f8" => true,
            _ => throw new CliException($"decode: unknown --dtype '{ErrorText.Quote(dtype)}' (expected f4 or f8)"),
        };
        if (input is not null) return DecodeArray(format, input, output!, wide, stdout);

        var line = new LineWriter(format, stdout);
        if (args.Flag("stdin"))
        {
            ulong number = 0;
            for (string? text; (text = stdin.ReadLine()) != null;) line.Write(CodeText.Parse(text, format, ++number));
        }
        else
        {
            for (ulong code = 0; code < format.CodeCount; code++) line.Write((uint)code);
        }
        stdout.Flush();
        return 0;
    }

    /// <summary>Prints <c>0x&lt;code&gt; &lt;exact value&gt;</c> lines, the value from <see cref="Decoder.Decode"/>.</summary>
    private sealed class LineWriter(FormatInfo format, TextWriter stdout)
    {
        private readonly int _digits = CodeText.Digits(format);
        private readonly char[] _buffer = new char[16];

        public void Write(uint code)
        {
            int length = CodeText.Write(code, _digits, _buffer);
            _buffer[length] = ' ';
            stdout.Write(_buffer, 0, length + 1);
            stdout.Write(ExactDecimal.Format(Decoder.Decode(format, code)));
            stdout.Write('\n');
        }
    }

    private static int DecodeArray(FormatInfo format, string input, string output, bool wide, TextWriter stdout)
    {
        using CodeArrayReader codes = CodeArrayReader.Open("decode", input, format.CodeCount, $"{format.Name} codes ({CodeText.Range(format)})");
        ArrayFiles.CheckOutput("decode", output);
        if (wide) DecodeArray<double>(codes, output, (code, _) => Double(format, code));
        else DecodeArray(codes, output, (code, index) => Single(format, code, input, index));
        stdout.Write($"wrote {output}\n");
        stdout.Flush();
        return 0;
    }

    private static void DecodeArray<T>(CodeArrayReader codes, string output, Func<uint, long, T> value) where T : unmanaged
    {
        using NpyWriter<T> writer = ArrayFiles.CreateOutput<T>("decode", output, codes.Shape);
        int chunk = (int)Math.Min(Chunk, Math.Max(1, codes.Count));
        var buffer = new uint[chunk];
        var values = new T[chunk];
        long done = 0;
        for (int n; (n = codes.Read(buffer)) > 0; done += n)
        {
            for (int i = 0; i < n; i++) values[i] = value(buffer[i], done + i);
            writer.Write(values.AsSpan(0, n));
        }
        writer.Commit();
    }

    /// <summary>The value as binary64: exact; a NaN keeps its sign and payload as <see cref="Decoder.DecodeToSingle"/> gives them.</summary>
    private static double Double(FormatInfo format, uint code) =>
        Decoder.Classify(format, code) == CodeClass.NaN ? Decoder.DecodeToSingle(format, code) : Decoder.Decode(format, code);

    /// <summary>The value as float32, which must hold it exactly (a format wider than float32 needs <c>--dtype f8</c>).</summary>
    private static float Single(FormatInfo format, uint code, string input, long index)
    {
        float value = Decoder.DecodeToSingle(format, code);
        double exact = Decoder.Decode(format, code);
        if (float.IsNaN(value) || value == exact) return value;
        throw new CliException($"decode: {input}: element {index} (flat index, C order), {format.Name} code " +
                               $"{CodeText.Format(code, CodeText.Digits(format))}, is {ExactDecimal.Format(exact)}, " +
                               "which float32 does not hold exactly (use --dtype f8)");
    }
}
