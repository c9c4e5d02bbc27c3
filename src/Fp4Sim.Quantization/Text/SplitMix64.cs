namespace Fp4Sim.Quantization.Text;

/// <summary>
/// SplitMix64 pseudo-random generator (Steele, Lea and Flood 2014). Used instead of
/// <see cref="Random"/>, whose seeded sequence is not guaranteed to stay the same across .NET
/// versions, so that corpus splits are identical on every platform and runtime.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Next 64 uniformly distributed bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong range = (ulong)bound;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            UInt128 product = (UInt128)Next() * range;
            if ((ulong)product >= threshold)
            {
                return (int)(ulong)(product >> 64);
            }
        }
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
