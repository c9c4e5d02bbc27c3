using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Training.Model;

/// <summary>
/// Standard normal numbers by Box–Muller on a <see cref="SplitMix64"/> stream, so a seed gives the same weights on
/// every platform and .NET version.
/// </summary>
internal sealed class NormalSampler(ulong seed)
{
    private readonly SplitMix64 _bits = new(seed);
    private double _spare;
    private bool _hasSpare;

    /// <summary>A uniform double in (0, 1]: the top 53 bits plus one ulp, so its logarithm is finite.</summary>
    private double NextUniformOpenZero() => ((_bits.Next() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>The next N(0, 1) sample.</summary>
    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double radius = Math.Sqrt(-2.0 * Math.Log(NextUniformOpenZero()));
        double angle = 2.0 * Math.PI * NextUniformOpenZero();
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Fills <paramref name="values"/> with N(0, <paramref name="std"/>²) samples.</summary>
    public void Fill(Span<float> values, double std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(std * Next());
    }
}
