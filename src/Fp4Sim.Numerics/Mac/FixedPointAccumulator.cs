using System.Numerics;
using Fp4Sim.Numerics.Exact;

namespace Fp4Sim.Numerics.Mac;

/// <summary>How a term is brought onto a fixed-point grid.</summary>
public enum FixedRounding
{
    /// <summary>Drop the bits below the grid (two's-complement truncation: toward −∞).</summary>
    Truncate,
    /// <summary>Round to the nearest grid point, ties to even.</summary>
    Nearest,
}

/// <summary>What a fixed-point register does with a sum outside its range.</summary>
public enum FixedOverflow
{
    /// <summary>Clamp to the most positive / most negative word.</summary>
    Saturate,
    /// <summary>Keep the low <c>width</c> bits (two's-complement wrap-around).</summary>
    Wrap,
}

/// <summary>
/// Model 3: a two's-complement register of <see cref="Width"/> bits with <see cref="FractionBits"/> of them below the
/// binary point — the accumulator the generated RTL implements. Each term is first put on the grid 2^−F
/// (<see cref="Rounding"/>), then added; a sum outside [−2^(W−1), 2^(W−1) − 1] grid steps saturates or wraps after
/// every add. ±∞ and NaN terms cannot be held: they are skipped and raise the sticky <see cref="MacResult.Invalid"/>.
/// </summary>
/// <param name="Width">Total register width, 2..128 bits.</param>
/// <param name="FractionBits">Bits below the binary point (may be negative or exceed the width).</param>
/// <param name="Rounding">How terms meet the grid.</param>
/// <param name="Overflow">Saturate or wrap.</param>
public sealed record FixedPointAccumulator(int Width, int FractionBits,
    FixedRounding Rounding = FixedRounding.Truncate, FixedOverflow Overflow = FixedOverflow.Saturate) : Accumulator
{
    private BigInteger Max => (BigInteger.One << (Width - 1)) - 1;
    private BigInteger Min => -(BigInteger.One << (Width - 1));

    /// <inheritdoc/>
    public override string Name => $"fixed:{Width}.{FractionBits}" +
        (Rounding == FixedRounding.Truncate ? "" : ":round") + (Overflow == FixedOverflow.Saturate ? "" : ":wrap");

    /// <inheritdoc/>
    public override MacResult Accumulate(ReadOnlySpan<MacTerm> terms)
    {
        if (Width is < 2 or > 128) throw new ArgumentOutOfRangeException(nameof(Width), Width, "a fixed-point width is 2..128 bits");
        BigInteger acc = BigInteger.Zero;
        bool invalid = false;
        foreach (MacTerm t in terms)
        {
            if (!t.Value.IsFinite) { invalid = true; continue; }
            acc = Limit(acc + OnGrid(t.Value));
        }
        UInt128 bits = (UInt128)(acc & ((BigInteger.One << Width) - 1));
        return new MacResult(ExactValue.Of(acc, -FractionBits), bits, Width, null, invalid);
    }

    /// <summary>The term in grid steps of 2^−F, rounded by <see cref="Rounding"/> (not yet range-limited).</summary>
    public BigInteger OnGrid(ExactValue term)
    {
        if (term.Kind != ValueKind.Finite) return BigInteger.Zero;
        int shift = term.Exponent + FractionBits; // term = significand · 2^(shift) grid steps
        BigInteger s = term.Significand;
        if (shift >= 0) return s << shift;
        BigInteger floor = s >> -shift; // arithmetic shift: toward −∞
        if (Rounding == FixedRounding.Truncate) return floor;
        BigInteger remainder = s - (floor << -shift), half = BigInteger.One << (-shift - 1);
        int cmp = remainder.CompareTo(half);
        return cmp > 0 || (cmp == 0 && !floor.IsEven) ? floor + 1 : floor;
    }

    /// <summary>Brings a sum back into the register's range.</summary>
    public BigInteger Limit(BigInteger sum)
    {
        if (sum >= Min && sum <= Max) return sum;
        if (Overflow == FixedOverflow.Saturate) return sum > Max ? Max : Min;
        BigInteger modulus = BigInteger.One << Width;
        BigInteger low = ((sum % modulus) + modulus) % modulus;
        return low > Max ? low - modulus : low;
    }
}
