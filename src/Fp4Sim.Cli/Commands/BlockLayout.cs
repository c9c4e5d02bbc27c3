using Fp4Sim.Numerics.Blocks;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// An array taken in blocks along its last axis (as microxcaling and the ml_dtypes users do): the leading dimensions,
/// the row length, the row length padded to whole blocks, and the shapes of the codes, scales and values that follow.
/// </summary>
/// <param name="Leading">Every dimension but the last.</param>
/// <param name="RowLength">The last dimension of the input.</param>
/// <param name="PaddedRowLength">The row length in whole blocks (equal to <paramref name="RowLength"/> unless padded).</param>
/// <param name="BlockSize">Elements per block.</param>
internal sealed record BlockLayout(int[] Leading, int RowLength, int PaddedRowLength, int BlockSize)
{
    /// <summary>Blocks per row.</summary>
    public int BlocksPerRow => PaddedRowLength / BlockSize;

    /// <summary>The element codes: the padded rows, or half of them with two 4-bit codes per byte.</summary>
    public int[] CodesShape(bool packed) => [.. Leading, packed ? PaddedRowLength / 2 : PaddedRowLength];

    /// <summary>One scale per block.</summary>
    public int[] ScalesShape => [.. Leading, BlocksPerRow];

    /// <summary>The dequantized values: one per (padded) element.</summary>
    public int[] ValuesShape => [.. Leading, PaddedRowLength];

    /// <summary>
    /// The layout of an array of <paramref name="shape"/> in <paramref name="path"/>: a last dimension that is not a
    /// whole number of blocks is the one-line error (exit 2) unless <paramref name="pad"/>; so is a 0-d array.
    /// </summary>
    public static BlockLayout Of(string verb, string path, IReadOnlyList<int> shape, BlockFormat format, bool pad)
    {
        if (shape.Count == 0) throw new CliException($"{verb}: {path}: a 0-d array has no last axis to take blocks along");
        int row = shape[^1], size = format.BlockSize;
        long padded = (row + (long)size - 1) / size * size;
        if (padded > int.MaxValue) throw new CliException($"{verb}: {path}: last dimension {row} is too long to pad");
        if (padded != row && !pad)
            throw new CliException($"{verb}: {path}: last dimension {row} is not a multiple of the {format.Name} block size {size} " +
                                   "(add --pad to fill each row with zeros)");
        return new BlockLayout([.. shape.Take(shape.Count - 1)], row, (int)padded, size);
    }

    /// <summary>The shape as numpy prints it: <c>(2, 64)</c>.</summary>
    public static string Text(IReadOnlyList<int> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape) + ")",
    };
}
