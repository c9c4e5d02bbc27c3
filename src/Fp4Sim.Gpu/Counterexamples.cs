namespace Fp4Sim.Gpu;

/// <summary>Element-by-element comparison of a cast's results with the CPU reference, keeping the first few differences.</summary>
public static class Counterexamples
{
    /// <summary>
    /// Compares <paramref name="actual"/> with <paramref name="expected"/> for every input; returns how many differ and
    /// the first <paramref name="shown"/> as <c>input 0x…: reference 0x… &lt;label&gt; 0x…</c>.
    /// </summary>
    public static (long Count, IReadOnlyList<string> First) Scan(IReadOnlyList<uint> inputs, Func<int, uint> expected, Func<int, uint> actual, string label, int shown)
    {
        long count = 0;
        var first = new List<string>();
        for (int i = 0; i < inputs.Count; i++)
        {
            uint e = expected(i), a = actual(i);
            if (e == a) continue;
            if (count++ < shown) first.Add($"input 0x{inputs[i]:x8}: reference 0x{e:x} {label} 0x{a:x}");
        }
        return (count, first);
    }
}
