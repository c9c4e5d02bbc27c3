using System.Collections.Concurrent;
using System.Numerics;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>What a fixed-point register did over a whole GEMM: adds that left its range, and skipped non-finite terms.</summary>
/// <param name="SaturatedAdds">Adds clamped to the register's most positive or most negative word.</param>
/// <param name="WrappedAdds">Adds that wrapped around (two's-complement overflow).</param>
/// <param name="InvalidTerms">NaN or infinite products, skipped (each sets its output's sticky invalid flag).</param>
public readonly record struct FixedPointCounts(long SaturatedAdds, long WrappedAdds, long InvalidTerms);

/// <summary>
/// The fast path of <see cref="FixedPointAccumulator"/> for GEMMs of ≤ 8-bit codes: C[i, j] is the register after
/// summing the exact products A[i, t] · B[j, t] for t = 0 … K − 1 in that order, each put on the grid 2^−F (truncated
/// or rounded to nearest even) and added with saturation or wrap-around after every add, exactly as
/// <see cref="FixedPointAccumulator.Accumulate"/> does term by term. Each product's grid value comes once from the
/// reference (<see cref="FixedPointAccumulator.OnGrid"/> of <see cref="MacTerm.Product"/>) into a table, so the loop
/// is integer adds in 64-bit words; registers of up to 62 bits whose products fit 61 bits.
/// </summary>
public static class FixedPointGemm
{
    /// <summary>The widest register the 64-bit fast path holds (sum of a word and a term cannot overflow 64 bits).</summary>
    public const int MaxWidth = 62;

    private const int MaxCachedTables = 64;

    /// <summary>Product tables by (format A, format B, register): built once, as a model runs layer after layer.</summary>
    private static readonly ConcurrentDictionary<(FormatInfo A, FormatInfo B, FixedPointAccumulator Accumulator), (long[], bool[])> Tables =
        new();

    /// <summary>
    /// C (M × N, row-major) = A (M × K codes of <paramref name="fa"/>) times Bᵀ (B: N × K codes of <paramref name="fb"/>,
    /// each output column's K-vector a row, as a linear layer's weight); <paramref name="words"/> receives each register
    /// as a signed integer of grid steps and <paramref name="invalid"/> (optional) its sticky flag.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, code widths, or a register the fast path cannot hold.</exception>
    public static FixedPointCounts Multiply(FormatInfo fa, ReadOnlySpan<byte> a, FormatInfo fb, ReadOnlySpan<byte> b, int m, int n, int k,
        FixedPointAccumulator accumulator, Span<long> words, Span<bool> invalid = default)
    {
        if (fa.TotalBits > 8 || fb.TotalBits > 8)
            throw new ArgumentException($"the fast fixed-point GEMM takes codes of at most 8 bits, not {fa.Name} x {fb.Name}");
        if (m < 0 || n < 0 || k < 0 || a.Length < (long)m * k || b.Length < (long)n * k || words.Length < (long)m * n
            || (!invalid.IsEmpty && invalid.Length < (long)m * n))
            throw new ArgumentException($"buffers too small for a {m} x {k} by {n} x {k} GEMM");
        if (accumulator.Width > MaxWidth)
            throw new ArgumentException($"{accumulator.Name}: the fast path holds registers of at most {MaxWidth} bits");
        (long[] table, bool[] special) = Tables.GetOrAdd((fa, fb, accumulator), key => ProductTable(key.A, key.B, key.Accumulator));
        if (Tables.Count > MaxCachedTables) Tables.Clear(); // a handful in practice; never an unbounded cache

        long max = (1L << (accumulator.Width - 1)) - 1, min = -max - 1;
        int unused = 64 - accumulator.Width;
        bool saturate = accumulator.Overflow == FixedOverflow.Saturate;
        long saturated = 0, wrapped = 0, invalidTerms = 0;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<byte> row = a.Slice(i * k, k);
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<byte> column = b.Slice(j * k, k);
                long acc = 0;
                bool flag = false;
                for (int t = 0; t < k; t++)
                {
                    int index = (row[t] << 8) | column[t];
                    if (special[index])
                    {
                        flag = true;
                        invalidTerms++;
                        continue;
                    }
                    long sum = acc + table[index];
                    if (sum > max || sum < min)
                    {
                        if (saturate)
                        {
                            sum = sum > max ? max : min;
                            saturated++;
                        }
                        else
                        {
                            sum = (sum << unused) >> unused; // keep the low W bits, sign-extended
                            wrapped++;
                        }
                    }
                    acc = sum;
                }
                words[i * n + j] = acc;
                if (!invalid.IsEmpty) invalid[i * n + j] = flag;
            }
        }
        return new FixedPointCounts(saturated, wrapped, invalidTerms);
    }

    /// <summary>
    /// Every product's grid value, indexed (a &lt;&lt; 8) | b, from the reference; <c>special</c> marks NaN/∞ products.
    /// A product outside ±2^61 steps cannot be held by the 64-bit words: an <see cref="ArgumentException"/>.
    /// </summary>
    private static (long[] Table, bool[] Special) ProductTable(FormatInfo fa, FormatInfo fb, FixedPointAccumulator accumulator)
    {
        var table = new long[1 << 16];
        var special = new bool[1 << 16];
        BigInteger limit = BigInteger.One << 61;
        for (uint x = 0; x < fa.CodeCount; x++)
            for (uint y = 0; y < fb.CodeCount; y++)
            {
                ExactValue product = MacTerm.Product(fa, x, fb, y).Value;
                int index = (int)((x << 8) | y);
                if (!product.IsFinite)
                {
                    special[index] = true;
                    continue;
                }
                BigInteger steps = accumulator.OnGrid(product);
                if (BigInteger.Abs(steps) >= limit)
                    throw new ArgumentException(
                        $"{accumulator.Name}: a {fa.Name} x {fb.Name} product is {steps} grid steps, beyond the fast path's 2^61");
                table[index] = (long)steps;
            }
        return (table, special);
    }
}
