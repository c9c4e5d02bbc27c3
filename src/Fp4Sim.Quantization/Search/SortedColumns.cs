namespace Fp4Sim.Quantization.Search;

/// <summary>
/// Each column of a row-major [rows, cols] matrix with its entries ordered by magnitude — what a γ sweep walks. A
/// threshold quantizer gives an entry level i exactly when |x| has reached threshold i, so under a moving scale the
/// entries whose level changes are the ones between a threshold's old and new position in this order.
/// </summary>
internal sealed class SortedColumns
{
    /// <summary>Entries per column (the matrix's rows).</summary>
    public int Length { get; }

    /// <summary>Columns.</summary>
    public int Columns { get; }

    /// <summary>|x| of column c at sorted position p: <c>[c · Length + p]</c>, ascending within a column.</summary>
    public float[] Magnitudes { get; }

    /// <summary>The matrix row of column c's sorted position p.</summary>
    public int[] RowOf { get; }

    /// <summary>The entry values (with sign), in the same order as <see cref="Magnitudes"/>.</summary>
    public float[] Values { get; }

    /// <summary>Per column, the first sorted position whose magnitude is not zero (zeros never leave level 0).</summary>
    public int[] FirstNonzero { get; }

    /// <summary>Sorts every column of <paramref name="x"/> (finite values only).</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public SortedColumns(float[] x, int rows, int cols, int threads)
    {
        Length = rows; Columns = cols;
        Magnitudes = new float[rows * cols];
        RowOf = new int[rows * cols];
        Values = new float[rows * cols];
        FirstNonzero = new int[cols];
        int bad = -1;
        Parallel.For(0, cols, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 }, c =>
        {
            Span<float> magnitudes = Magnitudes.AsSpan(c * rows, rows);
            Span<int> rowOf = RowOf.AsSpan(c * rows, rows);
            for (int r = 0; r < rows; r++)
            {
                float v = x[r * cols + c];
                if (!float.IsFinite(v)) Interlocked.CompareExchange(ref bad, r * cols + c, -1);
                magnitudes[r] = Math.Abs(v); rowOf[r] = r;
            }
            magnitudes.Sort(rowOf);
            Span<float> values = Values.AsSpan(c * rows, rows);
            for (int p = 0; p < rows; p++) values[p] = x[rowOf[p] * cols + c];
            int first = 0;
            while (first < rows && magnitudes[first] == 0) first++;
            FirstNonzero[c] = first;
        });
        if (bad >= 0) throw new ArgumentException($"value {x[bad]} at row {bad / cols}, column {bad % cols}: the search needs finite values");
    }

    /// <summary>
    /// For each threshold, the first position of column <paramref name="column"/> whose magnitude reaches it
    /// (ascending thresholds give ascending positions).
    /// </summary>
    public void Positions(int column, ReadOnlySpan<float> thresholds, Span<int> positions)
    {
        ReadOnlySpan<float> magnitudes = Magnitudes.AsSpan(column * Length, Length);
        int lo = FirstNonzero[column];
        for (int i = 0; i < thresholds.Length; i++)
        {
            int a = lo, b = Length; // first p in [a, b) with magnitude ≥ threshold
            float t = thresholds[i];
            while (a < b)
            {
                int mid = (a + b) >>> 1;
                if (magnitudes[mid] >= t) b = mid; else a = mid + 1;
            }
            positions[i] = lo = a;
        }
    }
}
