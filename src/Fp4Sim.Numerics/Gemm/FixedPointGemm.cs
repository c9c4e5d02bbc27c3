using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>What a fixed-point register did over a whole GEMM.</summary>
/// <param name="SaturatedAdds">Adds clamped to the register's most positive or most negative word.</param>
/// <param name="WrappedAdds">Adds that wrapped around (two's-complement overflow).</param>
/// <param name="InvalidTerms">NaN or infinite products, skipped (each sets its output's sticky invalid flag).</param>
/// <param name="RoundedTerms">Products that lost bits on the way onto the register's grid (truncated or rounded).</param>
public readonly record struct FixedPointCounts(long SaturatedAdds, long WrappedAdds, long InvalidTerms, long RoundedTerms = 0)
{
    /// <summary>The sum of two counts.</summary>
    public static FixedPointCounts operator +(FixedPointCounts x, FixedPointCounts y) => new(x.SaturatedAdds + y.SaturatedAdds,
        x.WrappedAdds + y.WrappedAdds, x.InvalidTerms + y.InvalidTerms, x.RoundedTerms + y.RoundedTerms);
}

/// <summary>What happened inside one output's register (a bit set per kind of event).</summary>
[Flags]
public enum RegisterEvents : byte
{
    /// <summary>Every product landed on the grid and every add stayed in range.</summary>
    None = 0,
    /// <summary>A NaN or infinite product was skipped.</summary>
    Invalid = 1,
    /// <summary>An add saturated.</summary>
    Saturated = 2,
    /// <summary>An add wrapped around.</summary>
    Wrapped = 4,
    /// <summary>A product was truncated or rounded onto the grid.</summary>
    Rounded = 8,
}

/// <summary>
/// The fast path of <see cref="FixedPointAccumulator"/> for GEMMs of ≤ 8-bit codes: C[i, j] is the register after
/// summing the exact products A[i, t] · B[j, t] for t = 0 … K − 1 in that order, each put on the grid 2^−F (truncated
/// or rounded to nearest even) and added with saturation or wrap-around after every add, exactly as
/// <see cref="Accumulator.Accumulate"/> of a <see cref="FixedPointAccumulator"/> does term by term. Each product's grid value comes once from the
/// reference into a <see cref="ProductGrid"/>, so the loop is integer adds in 64-bit words; registers of up to 62 bits
/// whose products fit 61 bits. An A operand may carry LLM-FP4's pre-shift (form (a): the product's exponent lowered
/// inside the MAC).
/// </summary>
public static class FixedPointGemm
{
    /// <summary>The widest register the 64-bit fast path holds (sum of a word and a term cannot overflow 64 bits).</summary>
    public const int MaxWidth = 62;

    private const int RowsPerTask = 16;

    /// <summary>
    /// C (M × N, row-major) = A (M × K codes of <paramref name="fa"/>) times Bᵀ (B: N × K codes of <paramref name="fb"/>,
    /// each output column's K-vector a row, as a linear layer's weight); <paramref name="words"/> receives each register
    /// as a signed integer of grid steps and <paramref name="events"/> (optional) what happened in it.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, code widths, or a register the fast path cannot hold.</exception>
    public static FixedPointCounts Multiply(FormatInfo fa, ReadOnlySpan<byte> a, FormatInfo fb, ReadOnlySpan<byte> b, int m, int n, int k,
        FixedPointAccumulator accumulator, Span<long> words, Span<RegisterEvents> events = default)
    {
        ProductGrid grid = ProductGrid.For(fa, fb, accumulator);
        if (m < 0 || k < 0 || a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} codes, {m} x {k} expected");
        var rows = new int[m * k];
        for (int i = 0; i < rows.Length; i++) rows[i] = grid.RowOperand(a[i], 0);
        return Multiply(grid, rows, b, m, n, k, words, events, threads: 1);
    }

    /// <summary>
    /// C = A · Bᵀ over a product grid: <paramref name="rows"/> holds M × K row operands
    /// (<see cref="ProductGrid.RowOperand(uint, int)"/>: a code of A and its shift), <paramref name="columns"/> N × K codes of B.
    /// <paramref name="threads"/> cores share the rows (≤ 0: all); the result does not depend on it.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes or buffers that do not match.</exception>
    public static FixedPointCounts Multiply(ProductGrid grid, ReadOnlySpan<int> rows, ReadOnlySpan<byte> columns, int m, int n, int k,
        Span<long> words, Span<RegisterEvents> events = default, int threads = 1) =>
        Multiply(grid, rows, columns, m, n, k, words, events, threads, useVectors: true);

    /// <summary>As the public overload; <paramref name="useVectors"/> false forces the one-column loop (the tests compare both).</summary>
    internal static FixedPointCounts Multiply(ProductGrid grid, ReadOnlySpan<int> rows, ReadOnlySpan<byte> columns, int m, int n, int k,
        Span<long> words, Span<RegisterEvents> events, int threads, bool useVectors)
    {
        if (m < 0 || n < 0 || k < 0 || rows.Length < (long)m * k || columns.Length < (long)n * k || words.Length < (long)m * n
            || (!events.IsEmpty && events.Length < (long)m * n))
            throw new ArgumentException($"buffers too small for a {m} x {k} by {n} x {k} GEMM");
        grid.CheckOperands(rows[..(m * k)], columns[..(n * k)]);
        bool vectors = useVectors && FixedPointGemmKernel.IsSupported(grid) && n >= FixedPointGemmKernel.Lanes;
        byte[] interleaved = vectors ? FixedPointGemmKernel.Interleave(columns, n, k) : [];
        int tasks = (m + RowsPerTask - 1) / RowsPerTask;
        if (threads == 1 || tasks <= 1)
        {
            var serial = new FixedPointCounts();
            for (int start = 0; start < m; start += RowsPerTask) // blocks of rows keep their operands in L1 while the columns pass
                serial += Rows(grid, rows, columns, start, Math.Min(m, start + RowsPerTask), n, k, words, events, interleaved);
            return serial;
        }

        // Spans cannot enter a lambda: each task works on pinned copies' views through arrays.
        int[] rowArray = rows[..(m * k)].ToArray();
        byte[] columnArray = columns[..(n * k)].ToArray();
        var wordArray = new long[m * n];
        RegisterEvents[]? eventArray = events.IsEmpty ? null : new RegisterEvents[m * n];
        var total = new FixedPointCounts();
        object gate = new();
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads };
        Parallel.For(0, tasks, options, task =>
        {
            int start = task * RowsPerTask, end = Math.Min(m, start + RowsPerTask);
            FixedPointCounts part = Rows(grid, rowArray, columnArray, start, end, n, k, wordArray,
                eventArray is null ? default : eventArray.AsSpan(), interleaved);
            lock (gate) total += part;
        });
        wordArray.CopyTo(words);
        eventArray?.CopyTo(events);
        return total;
    }

    /// <summary>
    /// Rows [start, end): whole groups of <see cref="FixedPointGemmKernel.Lanes"/> columns in vector lanes when the
    /// columns come <paramref name="interleaved"/> (the CPU allows and no product is NaN/∞), the rest one column at a
    /// time. Entries carry their kind in their low two bits
    /// (steps · 4 + kind), so counting rounded and invalid products needs no branch.
    /// </summary>
    private static FixedPointCounts Rows(ProductGrid grid, ReadOnlySpan<int> rows, ReadOnlySpan<byte> columns, int start, int end, int n, int k,
        Span<long> words, Span<RegisterEvents> events, byte[] interleaved)
    {
        long[] table = grid.Entries;
        FixedPointAccumulator accumulator = grid.Accumulator;
        long max = (1L << (accumulator.Width - 1)) - 1, min = -max - 1;
        ulong span = (ulong)max - (ulong)min; // in range ⇔ (ulong)(sum − min) ≤ span
        int unused = 64 - accumulator.Width;
        bool saturate = accumulator.Overflow == FixedOverflow.Saturate;
        var counts = new FixedPointCounts();
        int first = interleaved.Length > 0 ? FixedPointGemmKernel.Rows(grid, rows, interleaved, start, end, n, k, words, events, ref counts) : 0;
        for (int i = start; i < end; i++)
        {
            ReadOnlySpan<int> row = rows.Slice(i * k, k);
            for (int j = first; j < n; j++)
            {
                ReadOnlySpan<byte> column = columns.Slice(j * k, k);
                long acc = 0, rounded = 0, invalid = 0;
                int limited = 0;
                for (int t = 0; t < k; t++)
                {
                    long entry = table[row[t] | column[t]];
                    rounded += entry & ProductGrid.Rounded;
                    invalid += (entry & ProductGrid.Special) >> 1;
                    acc += entry >> 2;
                    if ((ulong)(acc - min) > span) { acc = Limit(acc, max, min, unused, saturate); limited++; }
                }
                Store(acc, limited, rounded, invalid, saturate, i * n + j, words, events, ref counts);
            }
        }
        return counts;
    }

    /// <summary>A sum that left the register's range: saturated, or wrapped to the low W bits (sign-extended).</summary>
    internal static long Limit(long sum, long max, long min, int unused, bool saturate) =>
        saturate ? (sum > max ? max : min) : (sum << unused) >> unused;

    internal static void Store(long word, int limited, long rounded, long invalid, bool saturate, int index, Span<long> words,
        Span<RegisterEvents> events, ref FixedPointCounts counts)
    {
        words[index] = word;
        if (!events.IsEmpty)
            events[index] = (invalid > 0 ? RegisterEvents.Invalid : 0) | (rounded > 0 ? RegisterEvents.Rounded : 0)
                | (limited > 0 ? (saturate ? RegisterEvents.Saturated : RegisterEvents.Wrapped) : 0);
        counts += new FixedPointCounts(saturate ? limited : 0, saturate ? 0 : limited, invalid, rounded);
    }
}
