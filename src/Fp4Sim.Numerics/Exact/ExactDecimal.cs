using System.Globalization;
using System.Numerics;

namespace Fp4Sim.Numerics.Exact;

/// <summary>
/// Prints a double as its exact decimal expansion (every binary fraction terminates in decimal): no exponent,
/// no trailing zeros, integers without a point; <c>nan</c>, <c>inf</c>, <c>-inf</c> and <c>-0</c> for the specials.
/// </summary>
public static class ExactDecimal
{
    /// <summary>The exact decimal text of <paramref name="value"/>, e.g. 0.5, 6, -0.015625.</summary>
    public static string Format(double value) => Format(ExactValue.FromDouble(value));

    /// <summary>The exact decimal text of an exact value of the MAC engine.</summary>
    public static string Format(ExactValue value) => value.Kind switch
    {
        ValueKind.NaN => "nan",
        ValueKind.Infinity => value.Negative ? "-inf" : "inf",
        ValueKind.Zero => value.Negative ? "-0" : "0",
        _ => (value.Negative ? "-" : "") + Magnitude(value.Magnitude, value.Exponent),
    };

    /// <summary>The digits of significand · 2^exponent (significand &gt; 0).</summary>
    private static string Magnitude(BigInteger significand, int exponent)
    {
        int trailingZeros = (int)BigInteger.TrailingZeroCount(significand);
        significand >>= trailingZeros;                           // odd significand: the last digit printed is nonzero
        exponent += trailingZeros;

        if (exponent >= 0) return (significand << exponent).ToString(CultureInfo.InvariantCulture);
        // m / 2^k = m · 5^k / 10^k: the digits of m · 5^k with the point k places from the right.
        int k = -exponent;
        string digits = (significand * BigInteger.Pow(5, k)).ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= k) digits = new string('0', k - digits.Length + 1) + digits;
        return $"{digits[..^k]}.{digits[^k..]}";
    }
}
