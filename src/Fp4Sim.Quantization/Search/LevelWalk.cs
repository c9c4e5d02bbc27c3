namespace Fp4Sim.Quantization.Search;

/// <summary>Entries whose unit-scale value changed in one step of a sweep: the entry's row in its column and the change.</summary>
internal sealed class ChangeList
{
    private int[] _rows = new int[64];
    private double[] _deltas = new double[64];

    /// <summary>Changes held.</summary>
    public int Count { get; private set; }

    /// <summary>The rows, first <see cref="Count"/> valid.</summary>
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    /// <summary>The changes (new − old value), first <see cref="Count"/> valid.</summary>
    public ReadOnlySpan<double> Deltas => _deltas.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(int row, double delta)
    {
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, 2 * Count);
            Array.Resize(ref _deltas, 2 * Count);
        }
        _rows[Count] = row; _deltas[Count++] = delta;
    }
}

/// <summary>
/// A column's entries under a threshold quantizer, kept as unit-scale values q = sign · |v_level| · 2^shift (the
/// quantized entry is q times the step's scale) in the column's sorted order, and moved from one quantizer to the
/// next by visiting only the sorted positions between each threshold's old and new position. The level of a position
/// is the number of thresholds it has reached — the rule <see cref="Quantizers.GridQuantizer"/> quantizes by — so the
/// values equal the quantizer's own, which the tests check.
/// </summary>
internal static class LevelWalk
{
    /// <summary>Writes every entry of a column: values[p] = q at sorted position p.</summary>
    public static void Fill(SortedColumns sorted, int column, ReadOnlySpan<int> positions, ReadOnlySpan<float> levelValues, Span<float> values)
    {
        ReadOnlySpan<float> x = sorted.Values.AsSpan(column * sorted.Length, sorted.Length);
        int p = 0;
        for (int level = 0; level <= positions.Length; level++)
        {
            int end = level < positions.Length ? positions[level] : x.Length;
            float magnitude = levelValues[level];
            for (; p < end; p++) values[p] = float.IsNegative(x[p]) ? -magnitude : magnitude;
        }
    }

    /// <summary>
    /// Moves a column from <paramref name="oldPositions"/> to <paramref name="newPositions"/> (same level values), or
    /// — with <paramref name="everyEntry"/>, when the level values themselves changed — re-evaluates every nonzero
    /// entry. Each entry whose value changes is stored and its row added to <paramref name="changes"/>, in ascending position.
    /// </summary>
    public static void Move(SortedColumns sorted, int column, ReadOnlySpan<int> oldPositions, ReadOnlySpan<int> newPositions,
        ReadOnlySpan<float> levelValues, bool everyEntry, Span<float> values, ChangeList changes)
    {
        if (everyEntry)
        {
            Visit(sorted, column, sorted.FirstNonzero[column], sorted.Length, newPositions, levelValues, values, changes);
            return;
        }
        int covered = 0;
        for (int i = 0; i < newPositions.Length; i++)
        {
            int from = Math.Max(Math.Min(oldPositions[i], newPositions[i]), covered);
            int to = Math.Max(oldPositions[i], newPositions[i]);
            if (from >= to) continue;
            Visit(sorted, column, from, to, newPositions, levelValues, values, changes);
            covered = to;
        }
    }

    private static void Visit(SortedColumns sorted, int column, int from, int to, ReadOnlySpan<int> positions, ReadOnlySpan<float> levelValues,
        Span<float> values, ChangeList changes)
    {
        int baseIndex = column * sorted.Length;
        ReadOnlySpan<float> x = sorted.Values.AsSpan(baseIndex, sorted.Length);
        ReadOnlySpan<int> rowOf = sorted.RowOf.AsSpan(baseIndex, sorted.Length);
        int level = LevelAt(positions, from);
        for (int p = from; p < to; p++)
        {
            while (level < positions.Length && positions[level] <= p) level++;
            float magnitude = levelValues[level];
            float q = float.IsNegative(x[p]) ? -magnitude : magnitude;
            if (q == values[p]) continue;
            changes.Add(rowOf[p], (double)q - values[p]);
            values[p] = q;
        }
    }

    /// <summary>Scatters a column's sorted values back to row order: natural[RowOf[p]] = values[p].</summary>
    public static void Unsort(SortedColumns sorted, int column, ReadOnlySpan<float> values, Span<float> natural)
    {
        ReadOnlySpan<int> rowOf = sorted.RowOf.AsSpan(column * sorted.Length, sorted.Length);
        for (int p = 0; p < values.Length; p++) natural[rowOf[p]] = values[p];
    }

    /// <summary>The number of positions ≤ p (positions ascending).</summary>
    private static int LevelAt(ReadOnlySpan<int> positions, int p)
    {
        int lo = 0, hi = positions.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (positions[mid] <= p) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
