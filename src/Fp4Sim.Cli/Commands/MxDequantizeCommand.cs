using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim mx dequantize</c>: block codes back to float32 values, each RNE_fp32(element × block scale (× tensor
/// scale)) through <see cref="MxDequantizer"/>, the library's one dequantization. Lines: what <c>mx quantize</c>
/// prints (one block per line, <c>0x&lt;scale&gt; 0x&lt;e0&gt; …</c>; nvfp4's tensor scale on a line of its own
/// first) in, one value per element out, as the shortest decimal that reads back to it (<see cref="FloatInput.Format"/>).
/// Arrays: <c>--in CODES.npy --scales SCALES.npy [--tensor-scale T.npy] [--packed] --out VALUES.npy</c>, what the
/// array mode of <c>mx quantize</c> writes, to a <c>&lt;f4</c> array of the unpacked codes' shape. Both streamed.
/// </summary>
public static class MxDequantizeCommand
{
    private const string Verb = "mx dequantize";

    /// <summary>Blocks dequantized per chunk: the memory used does not grow with the input.</summary>
    private const int ChunkElements = 1 << 20;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader(Verb, argv, "format", "in", "scales", "tensor-scale", "!packed", "out");
        BlockFormat format = KnownBlockFormats.Parse(args.Required("format"));
        string? input = args.Optional("in"), scales = args.Optional("scales"), output = args.Optional("out");
        string? tensor = args.Optional("tensor-scale");
        bool packed = args.Flag("packed");
        if (input is null && scales is null && output is null && tensor is null && !packed) return RunLines(format, stdin, stdout);
        if (input is null || scales is null || output is null)
            throw new CliException($"{Verb}: --in, --scales and --out go together (.npy files; --packed and --tensor-scale need them)");
        if (format.HasTensorScale && tensor is null) throw new CliException($"{Verb}: {format.Name} needs --tensor-scale T.npy");
        if (!format.HasTensorScale && tensor is not null)
            throw new CliException($"{Verb}: {format.Name} has no tensor scale (--tensor-scale is for nvfp4)");
        if (packed && format.Element.TotalBits != 4)
            throw new CliException($"{Verb}: --packed takes 4-bit elements (mxfp4, nvfp4); {format.Name} has {format.Element.TotalBits}-bit ones");
        return RunArrays(format, input, scales, tensor, packed, output, stdout);
    }

    /// <summary>Dequantizes <paramref name="blocks"/> whole blocks into <paramref name="values"/>.</summary>
    private static void Dequantize(BlockFormat format, float tensorScale, uint[] scales, byte[] elements, int blocks, float[] values)
    {
        // Every element depends on its block alone: the chunk is a matrix of one block per row.
        var matrix = new MxMatrix(new QuantizedBlocks(format, scales, elements, tensorScale), blocks, format.BlockSize);
        MxDequantizer.ToSingle(matrix, values, transpose: false);
    }

    private static int RunLines(BlockFormat format, TextReader stdin, TextWriter stdout)
    {
        int size = format.BlockSize, chunkBlocks = ChunkElements / 8 / size;
        var scales = new uint[chunkBlocks];
        var elements = new byte[chunkBlocks * size];
        var values = new float[chunkBlocks * size];
        float tensorScale = 1f;
        int blocks = 0;
        ulong number = 0;
        for (string? line; (line = stdin.ReadLine()) != null;)
        {
            if (++number == 1 && format.HasTensorScale)
            {
                tensorScale = FloatInput.ParseLine(line, number); // the tensor scale line: 0x + 8 hex digits (or a decimal)
                continue;
            }
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != size + 1)
                throw new CliException($"line {number}: expected a scale and {size} elements ({size + 1} fields), got {fields.Length}");
            scales[blocks] = CodeText.Parse(fields[0], format.Scale, number, "scale");
            for (int j = 0; j < size; j++) elements[blocks * size + j] = (byte)CodeText.Parse(fields[j + 1], format.Element, number, $"element {j}");
            if (++blocks < chunkBlocks) continue;
            WriteLines(format, tensorScale, scales, elements, blocks, values, stdout);
            blocks = 0;
        }
        WriteLines(format, tensorScale, scales, elements, blocks, values, stdout);
        stdout.Flush();
        return 0;
    }

    private static void WriteLines(BlockFormat format, float tensorScale, uint[] scales, byte[] elements, int blocks, float[] values,
        TextWriter stdout)
    {
        if (blocks == 0) return;
        Dequantize(format, tensorScale, scales, elements, blocks, values);
        for (int i = 0; i < blocks * format.BlockSize; i++)
        {
            stdout.Write(FloatInput.Format(values[i]));
            stdout.Write('\n');
        }
    }

    private static int RunArrays(BlockFormat format, string input, string scalesPath, string? tensorPath, bool packed, string output,
        TextWriter stdout)
    {
        string elementRange = $"{format.Element.Name} codes ({CodeText.Range(format.Element)})";
        using CodeArrayReader codes = CodeArrayReader.Open(Verb, input, packed ? 256u : format.Element.CodeCount,
            packed ? $"bytes of packed {elementRange}" : elementRange);
        using CodeArrayReader scales = CodeArrayReader.Open(Verb, scalesPath, format.Scale.CodeCount,
            $"{format.Scale.Name} scale codes ({CodeText.Range(format.Scale)})");
        BlockLayout layout = Layout(format, input, codes.Shape, packed, scalesPath, scales.Shape);
        float tensorScale = tensorPath is null ? 1f : ReadTensorScale(tensorPath);
        ArrayFiles.CheckOutput(Verb, output);

        using NpyWriter<float> writer = ArrayFiles.CreateOutput<float>(Verb, output, layout.ValuesShape);
        int size = format.BlockSize, chunkBlocks = ChunkElements / size;
        uint[] scaleCodes = new uint[chunkBlocks], read = new uint[packed ? chunkBlocks * size / 2 : chunkBlocks * size];
        byte[] elements = new byte[chunkBlocks * size], bytes = new byte[read.Length];
        float[] values = new float[chunkBlocks * size];
        for (int blocks; (blocks = scales.Read(scaleCodes)) > 0;)
        {
            int n = blocks * size, stored = packed ? n / 2 : n;
            if (codes.Read(read.AsSpan(0, stored)) != stored) throw new InvalidOperationException("the codes ended before the scales");
            for (int i = 0; i < stored; i++) bytes[i] = (byte)read[i];
            if (packed) CodePacking.UnpackFp4(bytes, elements, n);
            else bytes.AsSpan(0, n).CopyTo(elements);
            Dequantize(format, tensorScale, scaleCodes, elements, blocks, values);
            writer.Write(values.AsSpan(0, n));
        }
        writer.Commit();
        stdout.Write($"wrote {output}\n");
        stdout.Flush();
        return 0;
    }

    /// <summary>The layout the codes' shape implies, checked against the scales' shape (one line naming both, exit 2).</summary>
    private static BlockLayout Layout(BlockFormat format, string input, IReadOnlyList<int> codes, bool packed, string scalesPath,
        IReadOnlyList<int> scales)
    {
        if (codes.Count == 0) throw new CliException($"{Verb}: {input}: a 0-d array has no last axis to take blocks along");
        long row = packed ? 2L * codes[^1] : codes[^1];
        string unpacked = packed ? " (unpacked)" : "";
        if (row % format.BlockSize != 0 || row > int.MaxValue)
            throw new CliException($"{Verb}: {input}: last dimension {row}{unpacked} is not a multiple of the {format.Name} block size " +
                                   $"{format.BlockSize}");
        var layout = new BlockLayout([.. codes.Take(codes.Count - 1)], (int)row, (int)row, format.BlockSize);
        if (!layout.ScalesShape.SequenceEqual(scales))
            throw new CliException($"{Verb}: shapes do not match: codes {BlockLayout.Text(codes)}{unpacked} in blocks of {format.BlockSize} " +
                                   $"take scales of shape {BlockLayout.Text(layout.ScalesShape)}, {scalesPath} has {BlockLayout.Text(scales)}");
        return layout;
    }

    /// <summary>nvfp4's tensor scale: a <c>&lt;f4</c> array of one element (0-d, as <c>mx quantize</c> writes it, or any shape).</summary>
    private static float ReadTensorScale(string path)
    {
        using NpyReader reader = ArrayFiles.OpenInput(Verb, path);
        if (reader.ElementType != typeof(float) || reader.Count != 1)
            throw new CliException($"{Verb}: {path}: a tensor scale is one float32 (<f4), found {reader.Descr} of shape " +
                                   BlockLayout.Text(reader.Shape));
        Span<float> scale = stackalloc float[1];
        reader.Read(scale);
        return scale[0];
    }
}
