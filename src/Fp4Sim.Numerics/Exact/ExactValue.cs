using System.Numerics;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Exact;

/// <summary>What an <see cref="ExactValue"/> holds.</summary>
public enum ValueKind
{
    /// <summary>±0 (the sign is kept: IEEE accumulators need it).</summary>
    Zero,
    /// <summary>A nonzero finite dyadic number.</summary>
    Finite,
    /// <summary>±∞.</summary>
    Infinity,
    /// <summary>Not a number.</summary>
    NaN,
}

/// <summary>
/// An exact real number ±<see cref="Magnitude"/> · 2^<see cref="Exponent"/> of unbounded precision, or a special.
/// Every product, block sum and accumulator state of the MAC engine is one of these, so nothing is rounded unless a model says so, and every rounding
/// goes through the codec's <c>Encoder.EncodeExact</c> (the core's single round-and-pack); this layer sits below the codec and knows no formats.
/// Values made by these methods are canonical (odd magnitude), so record equality is value equality.
/// </summary>
public readonly record struct ExactValue(ValueKind Kind, bool Negative, BigInteger Magnitude, int Exponent)
{
    /// <summary>+0.</summary>
    public static ExactValue PositiveZero => new(ValueKind.Zero, false, BigInteger.Zero, 0);

    /// <summary>A NaN.</summary>
    public static ExactValue NaN => new(ValueKind.NaN, false, BigInteger.Zero, 0);

    /// <summary>±∞.</summary>
    public static ExactValue Infinity(bool negative) => new(ValueKind.Infinity, negative, BigInteger.Zero, 0);

    /// <summary>The signed integer <paramref name="significand"/> · 2^<paramref name="exponent"/> (zero gives +0).</summary>
    public static ExactValue Of(BigInteger significand, int exponent) => significand.IsZero
        ? PositiveZero
        : Canonical(significand.Sign < 0, BigInteger.Abs(significand), exponent);

    /// <summary>A finite nonzero value with the magnitude's trailing zero bits moved into the exponent.</summary>
    private static ExactValue Canonical(bool negative, BigInteger magnitude, long exponent)
    {
        long zeros = (long)BigInteger.TrailingZeroCount(magnitude);
        return new(ValueKind.Finite, negative, magnitude >> (int)zeros, checked((int)(exponent + zeros)));
    }

    /// <summary>The exact value of a float64 (every format of the core decodes exactly into one).</summary>
    public static ExactValue FromDouble(double x)
    {
        if (double.IsNaN(x)) return NaN;
        if (double.IsInfinity(x)) return Infinity(x < 0);
        bool negative = double.IsNegative(x);
        if (x == 0) return new(ValueKind.Zero, negative, BigInteger.Zero, 0);
        IeeeFields fields = IeeeFields.Of(x);
        return Canonical(negative, fields.Significand, fields.Exponent);
    }

    /// <summary>True for a nonzero finite value.</summary>
    public bool IsFinite => Kind is ValueKind.Zero or ValueKind.Finite;

    /// <summary>The signed significand (0 for specials).</summary>
    public BigInteger Significand => Negative && Kind == ValueKind.Finite ? -Magnitude : Kind == ValueKind.Finite ? Magnitude : BigInteger.Zero;

    /// <summary>floor(log2 |x|) of a nonzero finite value.</summary>
    public long Log2 => Exponent + (long)Magnitude.GetBitLength() - 1;

    /// <summary>The exact product (IEEE sign rules; ∞·0 is NaN).</summary>
    public static ExactValue Multiply(ExactValue a, ExactValue b)
    {
        if (a.Kind == ValueKind.NaN || b.Kind == ValueKind.NaN) return NaN;
        bool negative = a.Negative ^ b.Negative;
        if (a.Kind == ValueKind.Infinity || b.Kind == ValueKind.Infinity)
            return a.Kind == ValueKind.Zero || b.Kind == ValueKind.Zero ? NaN : Infinity(negative);
        if (a.Kind == ValueKind.Zero || b.Kind == ValueKind.Zero) return new(ValueKind.Zero, negative, BigInteger.Zero, 0);
        return Canonical(negative, a.Magnitude * b.Magnitude, (long)a.Exponent + b.Exponent);
    }

    /// <summary>
    /// The exact sum (IEEE special rules: ∞ − ∞ is NaN; an exact zero sum is +0 unless both addends are −0, the
    /// round-to-nearest convention).
    /// </summary>
    public static ExactValue Add(ExactValue a, ExactValue b)
    {
        if (a.Kind == ValueKind.NaN || b.Kind == ValueKind.NaN) return NaN;
        if (a.Kind == ValueKind.Infinity || b.Kind == ValueKind.Infinity)
        {
            if (a.Kind == ValueKind.Infinity && b.Kind == ValueKind.Infinity && a.Negative != b.Negative) return NaN;
            return a.Kind == ValueKind.Infinity ? a : b;
        }
        if (a.Kind == ValueKind.Zero && b.Kind == ValueKind.Zero)
            return new(ValueKind.Zero, a.Negative && b.Negative, BigInteger.Zero, 0);
        if (a.Kind == ValueKind.Zero) return b;
        if (b.Kind == ValueKind.Zero) return a;
        int exponent = Math.Min(a.Exponent, b.Exponent);
        BigInteger sum = (a.Significand << (a.Exponent - exponent)) + (b.Significand << (b.Exponent - exponent));
        return Of(sum, exponent);
    }

    /// <summary>This value times 2^<paramref name="shift"/> (exact).</summary>
    public ExactValue ScaleB(int shift) => Kind == ValueKind.Finite ? this with { Exponent = Exponent + shift } : this;

    /// <summary>This value with its sign flipped.</summary>
    public ExactValue Negate() => Kind == ValueKind.NaN ? this : this with { Negative = !Negative };

    /// <summary>
    /// The value as a double, for display and tests: exact whenever it fits binary64's normal range (the significand is
    /// rounded once, to nearest even, when wider than 53 bits).
    /// </summary>
    public double ToDouble()
    {
        switch (Kind)
        {
            case ValueKind.NaN: return double.NaN;
            case ValueKind.Infinity: return Negative ? double.NegativeInfinity : double.PositiveInfinity;
            case ValueKind.Zero: return Negative ? -0.0 : 0.0;
        }
        (ulong top, int exponent) = JammedSignificand(Magnitude, Exponent);
        double magnitude = Math.ScaleB((double)top, exponent);
        return Negative ? -magnitude : magnitude;
    }

    /// <summary>
    /// The magnitude reduced to at most 63 significant bits with every dropped bit OR-ed into the last one (SoftFloat's
    /// sticky jam): rounding the result to any precision ≤ 61 bits decides exactly as rounding the full value would.
    /// </summary>
    internal static (ulong Significand, int Exponent) JammedSignificand(BigInteger magnitude, int exponent)
    {
        long shift = Math.Max(0, (long)magnitude.GetBitLength() - 63);
        if (shift == 0) return ((ulong)magnitude, exponent);
        BigInteger kept = magnitude >> (int)shift;
        bool sticky = !(magnitude & ((BigInteger.One << (int)shift) - 1)).IsZero;
        return ((ulong)kept | (sticky ? 1UL : 0UL), checked(exponent + (int)shift));
    }
}
