namespace Fp4Sim.Numerics.Codec;

/// <summary>
/// Element-by-element comparison of a fast path's results with the scalar reference, keeping the first few
/// differences: the one mismatch scanner of the GPU check, <c>fp4sim bench cast</c> and the parity tests.
/// </summary>
public static class Counterexamples
{
    /// <summary>
    /// Visits elements 0 … <paramref name="count"/> − 1; returns how many <paramref name="differs"/> and the
    /// <paramref name="describe"/> text of the first <paramref name="shown"/> of them.
    /// </summary>
    public static (long Count, IReadOnlyList<string> First) Scan(int count, Func<int, bool> differs, Func<int, string> describe, int shown)
    {
        long differing = 0;
        var first = new List<string>();
        for (int i = 0; i < count; i++)
        {
            if (!differs(i)) continue;
            if (differing++ < shown) first.Add(describe(i));
        }
        return (differing, first);
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with <paramref name="expected"/> for every input; returns how many differ and
    /// the first <paramref name="shown"/> as <c>input 0x…: reference 0x… &lt;label&gt; 0x…</c>.
    /// </summary>
    public static (long Count, IReadOnlyList<string> First) Scan(IReadOnlyList<uint> inputs, Func<int, uint> expected, Func<int, uint> actual,
        string label, int shown) =>
        Scan(inputs.Count, i => expected(i) != actual(i), i => $"input 0x{inputs[i]:x8}: reference 0x{expected(i):x} {label} 0x{actual(i):x}", shown);
}
