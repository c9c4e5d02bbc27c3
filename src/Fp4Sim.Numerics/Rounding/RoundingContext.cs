namespace Fp4Sim.Numerics.Rounding;

/// <summary>
/// Everything an encode needs besides the format and the value: no globals (unlike SoftFloat's rounding mode).
/// </summary>
/// <param name="Mode">Rounding direction.</param>
/// <param name="Overflow">Overflow behaviour.</param>
/// <param name="RandomBits">For <see cref="RoundingMode.Sr"/>: 32 uniformly random bits (see <see cref="StochasticBits"/>).</param>
/// <param name="Convention">Whose special-value and overflow conventions apply (<see cref="CastConvention"/>); Fp4Sim's by default.</param>
public readonly record struct RoundingContext(
    RoundingMode Mode = RoundingMode.Rne,
    OverflowMode Overflow = OverflowMode.Saturate,
    uint RandomBits = 0,
    CastConvention Convention = CastConvention.Fp4Sim)
{
    /// <summary>RNE with saturation: the OCP MX element conversion.</summary>
    public static RoundingContext Default => new(RoundingMode.Rne, OverflowMode.Saturate);

    /// <summary>Whether this rounding direction moves a value of the given sign toward zero (so it can never overflow to Inf).</summary>
    public bool RoundsTowardZero(bool negative) => Mode switch
    {
        RoundingMode.Rtz => true,
        RoundingMode.Rup => negative,
        RoundingMode.Rdn => !negative,
        _ => false,
    };
}

/// <summary>
/// Reproducible random bits for stochastic rounding: a counter-based generator, so element i of a stream gets the
/// same bits whatever the order or the number of threads (and a GPU kernel can reproduce them).
/// bits(seed, i) = upper 32 bits of SplitMix64's finaliser applied to seed + (i + 1) · 0x9E3779B97F4A7C15.
/// </summary>
public static class StochasticBits
{
    /// <summary>The 32 random bits for element <paramref name="index"/> of the stream <paramref name="seed"/>.</summary>
    public static uint For(ulong seed, ulong index)
    {
        ulong z = seed + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (uint)(z >> 32);
    }
}
