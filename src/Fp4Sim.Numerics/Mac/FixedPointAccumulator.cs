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
/// <param name="Width">Total register width, <see cref="MinWidth"/>..<see cref="MaxWidth"/> bits.</param>
/// <param name="FractionBits">
/// Bits below the binary point, −<see cref="MaxFractionBits"/>..<see cref="MaxFractionBits"/> (may be negative or exceed
/// the width).
/// </param>
/// <param name="Rounding">How terms meet the grid.</param>
/// <param name="Overflow">Saturate or wrap.</param>
/// <exception cref="ArgumentOutOfRangeException">A width or fraction-bit count outside those ranges.</exception>
public sealed record FixedPointAccumulator(int Width, int FractionBits,
    FixedRounding Rounding = FixedRounding.Truncate, FixedOverflow Overflow = FixedOverflow.Saturate) : Accumulator
{
    /// <summary>The narrowest register: a sign bit and one more.</summary>
    public const int MinWidth = 2;

    /// <summary>The widest register (a result's bits are a <see cref="UInt128"/>).</summary>
    public const int MaxWidth = 128;

    /// <summary>
    /// The largest |fraction bits|. Every value of a format of the core lies in binary64's range, so a product of two
    /// (or one lowered by a channel offset of up to 64) is a multiple of 2^−2212 below 2^2048; a grid finer than 2^−4096
    /// or coarser than 2^4096 changes no result but would only make each term's shift onto it (about F + 2048 bits of
    /// memory) larger.
    /// </summary>
    public const int MaxFractionBits = 4096;

    /// <summary>The register width (checked: <see cref="MinWidth"/>..<see cref="MaxWidth"/>).</summary>
    public int Width { get; init => field = CheckWidth(value); } = CheckWidth(Width);

    /// <summary>Bits below the binary point (checked: −<see cref="MaxFractionBits"/>..<see cref="MaxFractionBits"/>).</summary>
    public int FractionBits { get; init => field = CheckFractionBits(value); } = CheckFractionBits(FractionBits);

    private BigInteger Max => (BigInteger.One << (Width - 1)) - 1;
    private BigInteger Min => -(BigInteger.One << (Width - 1));

    /// <inheritdoc/>
    public override string Name => $"fixed:{Width}.{FractionBits}" +
        (Rounding == FixedRounding.Truncate ? "" : ":round") + (Overflow == FixedOverflow.Saturate ? "" : ":wrap");

    /// <inheritdoc/>
    public override RunningSum Begin() => new Register(this);

    /// <summary>The register's word (grid steps) and the sticky flag: each finite term is put on the grid, added, limited.</summary>
    private sealed class Register(FixedPointAccumulator model) : RunningSum
    {
        private BigInteger _acc;
        private bool _invalid;

        public override void Add(in MacTerm term)
        {
            if (!term.Value.IsFinite) _invalid = true;
            else _acc = model.Limit(_acc + model.OnGrid(term.Value));
        }

        public override MacResult Result()
        {
            UInt128 bits = (UInt128)(_acc & ((BigInteger.One << model.Width) - 1));
            return new MacResult(ExactValue.Of(_acc, -model.FractionBits), bits, model.Width, null, _invalid);
        }
    }

    private static int CheckWidth(int width) => width is >= MinWidth and <= MaxWidth ? width
        : throw new ArgumentOutOfRangeException(nameof(Width), width, $"a fixed-point width is {MinWidth}..{MaxWidth} bits");

    private static int CheckFractionBits(int bits) => bits is >= -MaxFractionBits and <= MaxFractionBits ? bits
        : throw new ArgumentOutOfRangeException(nameof(FractionBits), bits, $"fixed-point fraction bits are -{MaxFractionBits}..{MaxFractionBits}");

    /// <summary>The term in grid steps of 2^−F, rounded by <see cref="Rounding"/> (not yet range-limited).</summary>
    public BigInteger OnGrid(ExactValue term)
    {
        if (term.Kind != ValueKind.Finite) return BigInteger.Zero;
        int shift = checked(term.Exponent + FractionBits); // term = significand · 2^(shift) grid steps
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
