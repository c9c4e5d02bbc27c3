using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// The fake-quant route's dequantization: a block-quantized matrix back to float32, each element
/// RNE_fp32(<see cref="QuantizedBlocks.Value"/>) — element value × block scale (× tensor scale), exact in binary64
/// and rounded once — from two small decode tables, on all cores.
/// </summary>
public static class MxDequantizer
{
    private const int Tile = 32;

    /// <summary>
    /// Writes <paramref name="q"/> (rows × columns) into <paramref name="destination"/>, row-major, or transposed
    /// (columns × rows, as a GEMM takes an N × K weight for its K × N operand) when <paramref name="transpose"/>.
    /// Transposed output goes through 32 × 32 tiles so both reads and writes stay contiguous.
    /// </summary>
    public static void ToSingle(MxMatrix q, float[] destination, bool transpose)
    {
        long count = (long)q.Rows * q.Columns;
        if (destination.Length < count)
            throw new ArgumentException($"a {q.Rows} × {q.Columns} matrix needs {count} floats, the destination holds {destination.Length}");
        QuantizedBlocks d = q.Data;
        BlockFormat format = d.Format;
        // Element values (offset included) and block scales (tensor scale included) are exact in binary64, and so is
        // their product (≤ 8 + 28 significant bits): one rounding to float32, the same as rounding the exact value.
        double[] elements = new double[format.Element.CodeCount], scales = new double[format.Scale.CodeCount];
        for (uint c = 0; c < elements.Length; c++) elements[c] = Math.ScaleB(Decoder.Decode(format.Element, c), format.ElementExponentOffset);
        double tensor = format.HasTensorScale ? d.TensorScale : 1.0;
        for (uint c = 0; c < scales.Length; c++) scales[c] = Decoder.Decode(format.Scale, c) * tensor; // a NaN scale code decodes to NaN
        Parallel.For(0, (q.Rows + Tile - 1) / Tile, rowTile => DequantizeRows(q, elements, scales, rowTile * Tile, destination, transpose));
    }

    private static void DequantizeRows(MxMatrix q, double[] elements, double[] scales, int r0, float[] destination, bool transpose)
    {
        QuantizedBlocks d = q.Data;
        int rows = q.Rows, columns = q.Columns, blockSize = d.Format.BlockSize, perRow = q.BlocksPerRow;
        int height = Math.Min(Tile, rows - r0);
        Span<float> tile = stackalloc float[Tile * Tile];
        for (int c0 = 0; c0 < columns; c0 += Tile)
        {
            int width = Math.Min(Tile, columns - c0);
            for (int rr = 0; rr < height; rr++)
            {
                long rowStart = (long)(r0 + rr) * columns;
                for (int cc = 0; cc < width;)
                {
                    int block = (c0 + cc) / blockSize, end = Math.Min(width, (block + 1) * blockSize - c0);
                    double scale = scales[d.Scales[(long)(r0 + rr) * perRow + block]];
                    for (; cc < end; cc++) tile[rr * Tile + cc] = (float)(elements[d.Elements[rowStart + c0 + cc]] * scale);
                }
            }
            if (!transpose)
                for (int rr = 0; rr < height; rr++)
                    tile.Slice(rr * Tile, width).CopyTo(destination.AsSpan((int)((long)(r0 + rr) * columns + c0), width));
            else
                for (int cc = 0; cc < width; cc++)
                    for (int rr = 0; rr < height; rr++) destination[(long)(c0 + cc) * rows + r0 + rr] = tile[rr * Tile + cc];
        }
    }
}
