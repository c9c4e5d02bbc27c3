using System.Text;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim mx quantize</c>: one float32 per stdin line, taken in blocks in order; one line per block,
/// <c>0x&lt;scale&gt; 0x&lt;e0&gt; 0x&lt;e1&gt; …</c> (nvfp4 first prints its FP32 tensor scale's bits on a line of its own).
/// A short last block is an error unless <c>--pad</c> (zeros) is given.
/// </summary>
public static class MxQuantizeCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("mx quantize", argv, "format", "scale-rule", "rounding", "nan-policy", "scale-rounding", "seed", "!pad");
        BlockFormat format = KnownBlockFormats.Parse(args.Required("format"));
        var options = new BlockQuantizeOptions(
            ParseScaleRule(args.Optional("scale-rule") ?? "ocp"),
            RoundingNames.ParseMode(args.Optional("rounding") ?? "rne"),
            ParseNaNPolicy(args.Optional("nan-policy") ?? "nan-block"),
            RoundingNames.ParseMode(args.Optional("scale-rounding") ?? "rne"),
            args.Unsigned("seed", 0));

        List<float> values = ReadValues(stdin);
        int remainder = values.Count % format.BlockSize;
        if (remainder != 0)
        {
            if (!args.Flag("pad"))
                throw new CliException($"mx quantize: {values.Count} values leave a short last block of {remainder} " +
                                       $"({format.Name} blocks hold {format.BlockSize}; add --pad to fill it with zeros)");
            values.AddRange(new float[format.BlockSize - remainder]);
        }
        QuantizedBlocks q = BlockQuantizer.Quantize(format, values.ToArray(), options);

        if (format.HasTensorScale)
            stdout.Write(CodeText.Format(BitConverter.SingleToUInt32Bits(q.TensorScale), 8) + "\n");
        int scaleDigits = CodeText.Digits(format.Scale), elementDigits = CodeText.Digits(format.Element);
        var line = new StringBuilder();
        for (int b = 0; b < q.Scales.Length; b++)
        {
            line.Clear().Append(CodeText.Format(q.Scales[b], scaleDigits));
            for (int i = b * format.BlockSize; i < (b + 1) * format.BlockSize; i++)
                line.Append(' ').Append(CodeText.Format(q.Elements[i], elementDigits));
            stdout.Write(line.Append('\n').ToString());
        }
        stdout.Flush();
        return 0;
    }

    private static List<float> ReadValues(TextReader stdin)
    {
        var values = new List<float>();
        for (string? line; (line = stdin.ReadLine()) != null;)
            values.Add(FloatInput.ParseLine(line, (ulong)values.Count + 1));
        return values;
    }

    private static ScaleRule ParseScaleRule(string text) => text.ToLowerInvariant() switch
    {
        "ocp" => ScaleRule.Ocp,
        "rceil" => ScaleRule.Rceil,
        _ => throw new FormatException($"unknown scale rule '{text}' (expected ocp or rceil)"),
    };

    private static BlockNaNPolicy ParseNaNPolicy(string text) => text.ToLowerInvariant() switch
    {
        "nan-block" => BlockNaNPolicy.NaNBlock,
        "nan-scale" => BlockNaNPolicy.NaNScale,
        "ignore" => BlockNaNPolicy.Ignore,
        _ => throw new FormatException($"unknown nan policy '{text}' (expected nan-block, nan-scale or ignore)"),
    };
}
