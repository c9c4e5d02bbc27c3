using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// The fast path of the binary32 accumulator (<see cref="IeeeAccumulator"/> over <c>fp32</c>) for products that are
/// each exactly a binary32: C[i, j] = (…((+0 + p_0) + p_1) + …) + p_(K−1), every add a float32 add (IEEE RNE, the
/// reference's fused add of an exact term), p_t = products[rows[i·K + t] | columns[j·K + t]] from a product table
/// laid out like a <see cref="ProductGrid"/>. With AVX-512 and column codes of ≤ 4 bits, sixteen output columns run in
/// lanes: the row operand's 16 products sit in one register and one permute picks each column's; each lane adds in
/// the same order, so the result is the scalar loop's, bit for bit.
/// </summary>
public static unsafe class Binary32ProductGemm
{
    private const int Lanes = 16, RowsPerTask = 16;

    /// <summary>
    /// C (M × N) from M × K row operands and N × K column codes; <paramref name="products"/> must extend 16 entries past
    /// the largest index (the lanes load a row operand's 16 products at once). <paramref name="threads"/> ≤ 0: all cores.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, or an operand outside the table.</exception>
    public static void Multiply(float[] products, int columnBits, ReadOnlySpan<int> rows, ReadOnlySpan<byte> columns, int m, int n, int k,
        Span<float> sums, int threads = 1) => Multiply(products, columnBits, rows, columns, m, n, k, sums, threads, useVectors: true);

    internal static void Multiply(float[] products, int columnBits, ReadOnlySpan<int> rows, ReadOnlySpan<byte> columns, int m, int n, int k,
        Span<float> sums, int threads, bool useVectors)
    {
        if (m < 0 || n < 0 || k < 0 || rows.Length < (long)m * k || columns.Length < (long)n * k || sums.Length < (long)m * n)
            throw new ArgumentException($"buffers too small for a {m} x {k} by {n} x {k} GEMM");
        if (columnBits is < 1 or > 8) throw new ArgumentException($"column codes of {columnBits} bits");
        foreach (int r in rows[..(m * k)])
            if (r < 0 || (r & ((1 << columnBits) - 1)) != 0 || r + (1 << columnBits) + Lanes > products.Length)
                throw new ArgumentException($"row operand {r} is outside the {products.Length}-entry product table");
        if (columns[..(n * k)].IndexOfAnyInRange((byte)(1 << columnBits), byte.MaxValue) is int bad and >= 0 && columnBits < 8)
            throw new ArgumentException($"column code {columns[bad]} is wider than {columnBits} bits");

        bool vectors = useVectors && Avx512F.IsSupported && Vectorized.InstructionSets.Avx512Allowed && columnBits <= 4 && n >= Lanes;
        byte[] interleaved = vectors ? FixedPointGemmKernel.Interleave(columns, n, k, Lanes) : [];
        int[] rowArray = rows[..(m * k)].ToArray();
        byte[] columnArray = columns[..(n * k)].ToArray();
        var result = new float[m * n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads };
        Parallel.For(0, (m + RowsPerTask - 1) / RowsPerTask, options, task =>
        {
            int start = task * RowsPerTask, end = Math.Min(m, start + RowsPerTask);
            int first = vectors ? Lanes16(products, rowArray, interleaved, start, end, n, k, result) : 0;
            for (int i = start; i < end; i++)
                for (int j = first; j < n; j++)
                {
                    float acc = 0f;
                    for (int t = 0; t < k; t++) acc += products[rowArray[i * k + t] | columnArray[j * k + t]];
                    result[i * n + j] = acc;
                }
        });
        result.CopyTo(sums);
    }

    /// <summary>Rows [start, end) for every whole group of 16 columns; returns the first column left to the scalar loop.</summary>
    private static int Lanes16(float[] products, int[] rows, byte[] interleaved, int start, int end, int n, int k, float[] result)
    {
        int groups = n / Lanes;
        fixed (float* table = products)
        fixed (byte* codes = interleaved)
        fixed (int* operands = rows)
        {
            for (int g = 0; g < groups; g++)
                for (int i = start; i < end; i++)
                {
                    Vector512<float> acc = Vector512<float>.Zero;
                    byte* p = codes + (long)g * k * Lanes;
                    int* row = operands + (long)i * k;
                    for (int t = 0; t < k; t++)
                    {
                        Vector512<int> index = Avx512F.ConvertToVector512Int32(Vector128.Load(p + t * Lanes));
                        acc += Avx512F.PermuteVar16x32(Vector512.Load(table + row[t]), index);
                    }
                    acc.StoreUnsafe(ref result[i * n + g * Lanes]);
                }
        }
        return groups * Lanes;
    }
}
