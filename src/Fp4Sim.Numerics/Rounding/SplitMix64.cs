using System.Numerics;

namespace Fp4Sim.Numerics.Rounding;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator whose stream is fixed forever, used wherever a
/// seed must give the same result on every platform and .NET version (golden vectors, corpus splits) —
/// <see cref="System.Random"/> does not promise that.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="bound"/>) by multiply-shift (the golden vectors' stream; tiny bias).</summary>
    public ulong Below(ulong bound) => (ulong)((UInt128)Next() * bound >> 64);

    /// <summary>A uniformly random <paramref name="width"/>-bit word (any width).</summary>
    public BigInteger Bits(int width)
    {
        BigInteger v = BigInteger.Zero;
        for (int got = 0; got < width; got += 64) v = (v << 64) | Next();
        return v & ((BigInteger.One << width) - 1);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without bias (Lemire's rejection method).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong range = (ulong)bound;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            UInt128 product = (UInt128)Next() * range;
            if ((ulong)product >= threshold) return (int)(ulong)(product >> 64);
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
