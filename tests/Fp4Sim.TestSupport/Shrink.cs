namespace Fp4Sim.TestSupport;

/// <summary>
/// Shrinkers for the property generators of every test project (plain sequences, no FsCheck here): each candidate
/// is simpler than its input (never the input itself), so a failing case shrinks to one whose numbers a person can read.
/// </summary>
public static class Shrink
{
    private static readonly int[] KeptSignificandBits = [0, 1, 2, 3, 4, 6, 8, 12, 16, 23, 32, 40, 48];

    /// <summary>
    /// A finite double's simpler neighbours: its magnitude, then the same binade with fewer significand bits (the low
    /// bits cut, then one set bit cleared), then binades nearer 2^0. Each candidate lowers one of (sign, significand
    /// bits set, |exponent|) without raising the others.
    /// </summary>
    public static IEnumerable<double> Double(double x)
    {
        if (!double.IsFinite(x) || x == 0) yield break;
        if (x < 0) yield return -x;
        long bits = BitConverter.DoubleToInt64Bits(x);
        foreach (int keep in KeptSignificandBits)
        {
            long masked = bits & ~((1L << (52 - keep)) - 1);
            if (masked != bits) yield return BitConverter.Int64BitsToDouble(masked);
        }
        for (int bit = 51; bit >= 0; bit--)
            if ((bits & (1L << bit)) != 0) yield return BitConverter.Int64BitsToDouble(bits & ~(1L << bit));
        int e = Math.ILogB(x);
        if (e != 0) yield return Math.ScaleB(x, -e / 2 - Math.Sign(e));
    }

    /// <summary><see cref="Double"/> for a float32, keeping only the candidates that stay finite in float32.</summary>
    public static IEnumerable<float> Single(float x) =>
        Double(x).Select(d => (float)d).Where(f => float.IsFinite(f) && f != x).Distinct();

    /// <summary>An integer's simpler neighbours: 0, then halfway there, then one step nearer 0.</summary>
    public static IEnumerable<int> Toward0(int x)
    {
        if (x == 0) yield break;
        yield return 0;
        if (x / 2 != 0) yield return x / 2;
        if (Math.Abs(x) > 2) yield return x - Math.Sign(x);
    }

    /// <summary>
    /// Shorter arrays (each half, then each one with an element removed; never shorter than <paramref name="minLength"/>),
    /// then arrays with one element replaced by a simpler one.
    /// </summary>
    public static IEnumerable<T[]> Array<T>(T[] items, Func<T, IEnumerable<T>> element, int minLength = 0)
    {
        int n = items.Length;
        if (n / 2 >= minLength && n > 1)
        {
            yield return items[..(n / 2)];
            yield return items[(n / 2)..];
        }
        if (n - 1 >= minLength)
            for (int i = 0; i < n; i++) yield return [.. items[..i], .. items[(i + 1)..]];
        for (int i = 0; i < n; i++)
            foreach (T simpler in element(items[i]))
            {
                T[] copy = (T[])items.Clone();
                copy[i] = simpler;
                yield return copy;
            }
    }
}
