using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim mx quantize</c>: one float32 per stdin line, taken in blocks in order; one line per block,
/// <c>0x&lt;scale&gt; 0x&lt;e0&gt; 0x&lt;e1&gt; …</c> (nvfp4 first prints its FP32 tensor scale's bits on a line of its own).
/// A short last block is an error unless <c>--pad</c> (zeros) is given. Streamed: MX blocks are printed as their
/// chunk of input arrives (an error in a later line comes after the earlier blocks' lines); nvfp4 reads all input
/// first (its tensor scale needs the global amax), spooling it to a temporary file past a memory limit.
/// With <c>--in A.npy</c>, arrays instead (<see cref="MxQuantizeArray"/>).
/// </summary>
public static class MxQuantizeCommand
{
    /// <summary>Blocks quantized and printed per chunk: the memory used does not grow with the input.</summary>
    private const int ChunkBlocks = 4096;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("mx quantize", argv, "format", "scale-rule", "rounding", "convention", "nan-policy", "scale-rounding",
            "seed", "!pad",
            "in", "out", "scales-out", "tensor-scale-out", "!pack");
        MxQuantizeSettings settings = ParseSettings(args);
        if (MxQuantizeArray.ParsePaths(args, settings.Format) is { } paths) return MxQuantizeArray.Run(settings, paths, stdout);

        BlockFormat format = settings.Format;
        var output = new BlockWriter(format, settings.Options, stdout);
        if (format.HasTensorScale) RunTwoLevel(format, stdin, settings.Pad, output, stdout);
        else RunOneLevel(format, stdin, settings.Pad, output);
        stdout.Flush();
        return 0;
    }

    /// <summary>
    /// The options both modes share, parsed once. <c>--convention</c> brings its library's default element rounding
    /// (microxcaling: rna) and refuses a mode the library lacks; elements always saturate.
    /// </summary>
    private static MxQuantizeSettings ParseSettings(ArgumentReader args)
    {
        BlockFormat format = KnownBlockFormats.Parse(args.Required("format"));
        // The shared parser gives the convention's default mode and refuses what the library lacks; its overflow mode
        // is not used (elements always saturate, and mx quantize takes no --overflow).
        RoundingContext element = CommonOptions.Rounding(args, "mx quantize", format.Element);
        var options = new BlockQuantizeOptions(
            ParseScaleRule(args.Optional("scale-rule") ?? "ocp"),
            element.Mode,
            ParseNaNPolicy(args.Optional("nan-policy") ?? "nan-block"),
            RoundingNames.ParseMode(args.Optional("scale-rounding") ?? "rne"),
            args.Unsigned("seed", 0),
            element.Convention);
        return new MxQuantizeSettings(format, options, args.Flag("pad"));
    }

    /// <summary>MX formats: each chunk of whole blocks is quantized and printed as soon as it has been read.</summary>
    private static void RunOneLevel(BlockFormat format, TextReader stdin, bool pad, BlockWriter output)
    {
        var chunk = new float[ChunkBlocks * format.BlockSize];
        ReadInChunks(format, stdin, pad, chunk, n => output.Write(chunk.AsSpan(0, n), 1f));
    }

    /// <summary>
    /// NVFP4: the tensor scale comes from the global amax, so the values are spooled (in bounded memory, past a limit
    /// in a temporary file) while being read, then quantized chunk by chunk after the tensor scale is printed.
    /// </summary>
    private static void RunTwoLevel(BlockFormat format, TextReader stdin, bool pad, BlockWriter output, TextWriter stdout)
    {
        using var spool = new FloatSpool();
        var chunk = new float[ChunkBlocks * format.BlockSize];
        double amax = 0;
        ReadInChunks(format, stdin, pad, chunk, n =>
        {
            amax = Math.Max(amax, BlockQuantizer.FiniteAmax(chunk.AsSpan(0, n)));
            spool.Add(chunk.AsSpan(0, n));
        });
        float tensorScale = BlockQuantizer.TensorScaleForAmax(format, amax);
        stdout.Write(CodeText.Format(BitConverter.SingleToUInt32Bits(tensorScale), 8) + "\n");
        for (int n; (n = spool.Read(chunk)) > 0;) output.Write(chunk.AsSpan(0, n), tensorScale);
    }

    /// <summary>
    /// Parses stdin into <paramref name="chunk"/> (a whole number of blocks), handing <paramref name="use"/> the count
    /// of each full chunk, then of the rest, padded with zeros to whole blocks when <paramref name="pad"/> (else a
    /// short last block is an error).
    /// </summary>
    private static void ReadInChunks(BlockFormat format, TextReader stdin, bool pad, float[] chunk, Action<int> use)
    {
        int filled = 0;
        ulong count = 0;
        for (string? line; (line = stdin.ReadLine()) != null;)
        {
            chunk[filled++] = FloatInput.ParseLine(line, ++count);
            if (filled < chunk.Length) continue;
            use(filled);
            filled = 0;
        }
        int remainder = (int)(count % (ulong)format.BlockSize);
        if (remainder != 0)
        {
            if (!pad)
                throw new CliException($"mx quantize: {count} values leave a short last block of {remainder} " +
                                       $"({format.Name} blocks hold {format.BlockSize}; add --pad to fill it with zeros)");
            chunk.AsSpan(filled, format.BlockSize - remainder).Clear();
            filled += format.BlockSize - remainder;
        }
        if (filled > 0) use(filled);
    }

    /// <summary>Quantizes whole blocks in order and prints one line per block.</summary>
    private sealed class BlockWriter(BlockFormat format, BlockQuantizeOptions options, TextWriter stdout)
    {
        private readonly uint[] _scales = new uint[ChunkBlocks];
        private readonly byte[] _elements = new byte[ChunkBlocks * format.BlockSize];
        private readonly char[] _line = new char[(2 + CodeText.Digits(format.Scale)) + format.BlockSize * (3 + CodeText.Digits(format.Element)) + 1];
        private readonly int _scaleDigits = CodeText.Digits(format.Scale), _elementDigits = CodeText.Digits(format.Element);
        private ulong _next; // the tensor index of the next element (stochastic rounding keys on it)

        public void Write(ReadOnlySpan<float> values, float tensorScale)
        {
            FastBlockQuantizer.QuantizeBlocks(format, values, tensorScale, options, _next, _scales, _elements);
            _next += (ulong)values.Length;
            for (int b = 0; b < values.Length / format.BlockSize; b++)
            {
                int length = CodeText.Write(_scales[b], _scaleDigits, _line);
                for (int i = b * format.BlockSize; i < (b + 1) * format.BlockSize; i++)
                {
                    _line[length++] = ' ';
                    length += CodeText.Write(_elements[i], _elementDigits, _line.AsSpan(length));
                }
                _line[length++] = '\n';
                stdout.Write(_line, 0, length);
            }
        }
    }

    internal static ScaleRule ParseScaleRule(string text) => text.ToLowerInvariant() switch
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

/// <summary>The options of <c>mx quantize</c>, parsed once for the line and the array mode.</summary>
/// <param name="Format">The block format.</param>
/// <param name="Options">Scale rule, roundings, NaN policy and seed.</param>
/// <param name="Pad">Whether a short last block (lines) or a short row (arrays) is filled with zeros.</param>
internal sealed record MxQuantizeSettings(BlockFormat Format, BlockQuantizeOptions Options, bool Pad);
