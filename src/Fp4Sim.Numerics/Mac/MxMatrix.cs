using Fp4Sim.Numerics.Blocks;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// A row-major matrix quantized in blocks along its rows: row r holds <see cref="Columns"/> elements, i.e.
/// Columns / BlockSize blocks, stored in <see cref="Data"/> at element r · Columns and block r · Columns / BlockSize.
/// A GEMM takes A (M × K) and B as N × K (each output column's K-vector is a row, as in a linear layer's
/// (out, in) weight), so both operands are blocked along K.
/// </summary>
/// <param name="Data">The quantized elements and scales.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Row length (a whole number of blocks).</param>
public sealed record MxMatrix(QuantizedBlocks Data, int Rows, int Columns)
{
    /// <summary>Blocks per row.</summary>
    public int BlocksPerRow => Columns / Data.Format.BlockSize;

    /// <summary>Quantizes a row-major float32 matrix.</summary>
    public static MxMatrix Quantize(BlockFormat format, ReadOnlySpan<float> values, int rows, int columns, BlockQuantizeOptions options)
    {
        if (rows < 0 || columns < 0 || (long)rows * columns != values.Length)
            throw new ArgumentException($"a {rows} × {columns} matrix needs {(long)rows * columns} values, got {values.Length}");
        if (columns % format.BlockSize != 0)
            throw new ArgumentException($"row length {columns} is not a multiple of the {format.Name} block size {format.BlockSize}");
        return new MxMatrix(Vectorized.FastBlockQuantizer.Quantize(format, values, options), rows, columns);
    }
}
