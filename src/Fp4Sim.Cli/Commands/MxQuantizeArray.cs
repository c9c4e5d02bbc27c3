using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim mx quantize --in A.npy --out CODES.npy --scales-out SCALES.npy [--tensor-scale-out T.npy] [--pack]</c>:
/// a float array (<c>&lt;f4</c>, <c>&lt;f2</c>, or <c>&lt;f8</c> rounded to float32 first) quantized in blocks along
/// its last axis, whose length must be a multiple of the block size (or <c>--pad</c> fills each row with zeros up to
/// one). CODES: <c>|u1</c>, the input's shape with the padded last axis (halved with <c>--pack</c>: two E2M1 codes per
/// byte, element 2i in the low nibble, <see cref="CodePacking"/>); SCALES: <c>|u1</c>, the last axis in blocks;
/// nvfp4's tensor scale: a 0-d <c>&lt;f4</c> array. Element i of the (padded) codes in C order is quantized as line i
/// of the line mode (stochastic rounding included). Streamed in chunks; nvfp4 reads the file twice (the global amax
/// first). The outputs are written as one atomic set.
/// </summary>
internal static class MxQuantizeArray
{
    private const string Verb = "mx quantize";

    /// <summary>Elements per chunk: a few MB of buffers whatever the file size.</summary>
    private const int ChunkElements = 1 << 20;

    /// <summary>The files of the array mode.</summary>
    /// <param name="Input">The float array.</param>
    /// <param name="Codes">The element codes.</param>
    /// <param name="Scales">The block scale codes.</param>
    /// <param name="TensorScale">nvfp4's tensor scale (null for the MX formats).</param>
    /// <param name="Pack">Two 4-bit codes per byte.</param>
    internal sealed record Paths(string Input, string Codes, string Scales, string? TensorScale, bool Pack);

    /// <summary>The array mode's files, or null when none of its options was given (the line mode).</summary>
    public static Paths? ParsePaths(ArgumentReader args, BlockFormat format)
    {
        string? input = args.Optional("in"), codes = args.Optional("out"), scales = args.Optional("scales-out");
        string? tensor = args.Optional("tensor-scale-out");
        bool pack = args.Flag("pack");
        if (input is null && codes is null && scales is null && tensor is null && !pack) return null;
        if (input is null || codes is null || scales is null)
            throw new CliException($"{Verb}: --in, --out and --scales-out go together (.npy files; --pack and --tensor-scale-out need them)");
        if (format.HasTensorScale && tensor is null)
            throw new CliException($"{Verb}: {format.Name} needs --tensor-scale-out T.npy for its FP32 tensor scale");
        if (!format.HasTensorScale && tensor is not null)
            throw new CliException($"{Verb}: {format.Name} has no tensor scale (--tensor-scale-out is for nvfp4)");
        if (pack && format.Element.TotalBits != 4)
            throw new CliException($"{Verb}: --pack takes 4-bit elements (mxfp4, nvfp4); {format.Name} has {format.Element.TotalBits}-bit ones");
        string[] outputs = tensor is null ? [codes, scales] : [codes, scales, tensor];
        if (outputs.Select(Path.GetFullPath).Distinct().Count() != outputs.Length)
            throw new CliException($"{Verb}: --out, --scales-out and --tensor-scale-out must be three different files");
        return new Paths(input, codes, scales, tensor, pack);
    }

    /// <summary>Runs the array mode; returns the exit code.</summary>
    public static int Run(MxQuantizeSettings settings, Paths paths, TextWriter stdout)
    {
        BlockFormat format = settings.Format;
        using NpyReader reader = OpenFloats(paths.Input);
        BlockLayout layout = BlockLayout.Of(Verb, paths.Input, reader.Shape, format, settings.Pad);
        OutputPaths.RequireWritable(Verb, paths.Codes, paths.Scales, paths.TensorScale);
        float tensorScale = format.HasTensorScale ? BlockQuantizer.TensorScaleForAmax(format, Amax(paths.Input, layout)) : 1f;

        using var set = new AtomicFileSet();
        using NpyWriter<byte> codes = ArrayFiles.CreateOutput<byte>(Verb, set, paths.Codes, layout.CodesShape(paths.Pack));
        using NpyWriter<byte> scales = ArrayFiles.CreateOutput<byte>(Verb, set, paths.Scales, layout.ScalesShape);
        var rows = new PaddedRows(reader, layout);
        int chunk = ChunkElements / format.BlockSize * format.BlockSize;
        float[] values = new float[chunk];
        uint[] scaleCodes = new uint[chunk / format.BlockSize];
        byte[] scaleBytes = new byte[scaleCodes.Length], elements = new byte[chunk], packed = new byte[paths.Pack ? chunk / 2 : 0];
        ulong index = 0; // the element's index in the padded codes, as line index in the line mode
        for (int n; (n = rows.Read(values)) > 0; index += (ulong)n)
        {
            Quantize(format, values, n, tensorScale, settings.Options, index, scaleCodes, elements);
            int blocks = n / format.BlockSize;
            for (int b = 0; b < blocks; b++) scaleBytes[b] = (byte)scaleCodes[b]; // E8M0 and E4M3 scales are bytes
            scales.Write(scaleBytes.AsSpan(0, blocks));
            if (!paths.Pack)
            {
                codes.Write(elements.AsSpan(0, n));
                continue;
            }
            CodePacking.PackFp4(elements.AsSpan(0, n), packed); // n is whole blocks, so even: pairs never straddle chunks
            codes.Write(packed.AsSpan(0, n / 2));
        }
        codes.Commit();
        scales.Commit();
        if (paths.TensorScale is not null)
        {
            using NpyWriter<float> tensor = ArrayFiles.CreateOutput<float>(Verb, set, paths.TensorScale, []);
            tensor.Write([tensorScale]);
            tensor.Commit();
        }
        ArrayFiles.Commit(Verb, set, stdout);
        return 0;
    }

    /// <summary>
    /// Quantizes a chunk of whole blocks, in slices on all cores: each slice passes its first element's tensor index,
    /// so the codes are those of one call over the chunk (<see cref="BlockQuantizer.QuantizeBlocks"/>; the vector path
    /// <see cref="FastBlockQuantizer"/> where it applies, code for code the same).
    /// </summary>
    private static void Quantize(BlockFormat format, float[] values, int count, float tensorScale, BlockQuantizeOptions options,
        ulong firstElement, uint[] scales, byte[] elements)
    {
        const int SliceBlocks = 1024;
        int blocks = count / format.BlockSize, slices = (blocks + SliceBlocks - 1) / SliceBlocks;
        Parallel.For(0, slices, s =>
        {
            int b0 = s * SliceBlocks, count = Math.Min(SliceBlocks, blocks - b0), e0 = b0 * format.BlockSize;
            FastBlockQuantizer.QuantizeBlocks(format, values.AsSpan(e0, count * format.BlockSize), tensorScale, options,
                firstElement + (ulong)e0, scales.AsSpan(b0, count), elements.AsSpan(e0, count * format.BlockSize));
        });
    }

    /// <summary>The global finite amax of a two-level format, from a first pass over the file.</summary>
    private static double Amax(string input, BlockLayout layout)
    {
        using NpyReader reader = OpenFloats(input);
        var rows = new PaddedRows(reader, layout);
        float[] values = new float[ChunkElements];
        double amax = 0;
        for (int n; (n = rows.Read(values)) > 0;) amax = Math.Max(amax, BlockQuantizer.FiniteAmax(values.AsSpan(0, n)));
        return amax;
    }

    private static NpyReader OpenFloats(string path)
    {
        NpyReader reader = ArrayFiles.OpenInput(Verb, path);
        if (reader.ElementType == typeof(float) || reader.ElementType == typeof(Half) || reader.ElementType == typeof(double)) return reader;
        string descr = reader.Descr;
        reader.Dispose();
        throw new CliException($"{Verb}: {path}: dtype '{descr}' is not a float array (expected <f4, <f2 or <f8)");
    }

    /// <summary>
    /// An array's elements as float32 (<c>&lt;f8</c> rounded once, RNE), each row of the last axis followed by zeros up
    /// to the padded row length.
    /// </summary>
    private sealed class PaddedRows(NpyReader reader, BlockLayout layout)
    {
        private readonly bool _floats = reader.ElementType != typeof(double);
        private double[] _doubles = [];
        private int _column; // position in the current padded row

        /// <summary>Fills <paramref name="destination"/> as far as the array goes; returns how many (0 at the end).</summary>
        public int Read(Span<float> destination)
        {
            int filled = 0, row = layout.RowLength, padded = layout.PaddedRowLength;
            while (filled < destination.Length && padded > 0)
            {
                if (_column < row)
                {
                    int got = ReadFloats(destination.Slice(filled, Math.Min(destination.Length - filled, row - _column)));
                    if (got == 0) break; // the end of the array
                    filled += got;
                    _column += got;
                }
                else
                {
                    int zeros = Math.Min(destination.Length - filled, padded - _column);
                    destination.Slice(filled, zeros).Clear();
                    filled += zeros;
                    _column += zeros;
                }
                if (_column == padded) _column = 0;
            }
            return filled;
        }

        private int ReadFloats(Span<float> destination)
        {
            if (_floats) return reader.Read(destination);
            if (_doubles.Length < destination.Length) _doubles = new double[destination.Length];
            int n = reader.Read(_doubles.AsSpan(0, destination.Length));
            for (int i = 0; i < n; i++) destination[i] = (float)_doubles[i];
            return n;
        }
    }
}
