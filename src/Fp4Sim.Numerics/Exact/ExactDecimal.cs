using System.Globalization;
using System.Numerics;

namespace Fp4Sim.Numerics.Exact;

/// <summary>
/// Prints a double as its exact decimal expansion (every binary fraction terminates in decimal): no exponent,
/// no trailing zeros, integers without a point; <c>nan</c>, <c>inf</c>, <c>-inf</c> and <c>-0</c> for the specials.
/// Reads a decimal number exactly (<see cref="TryParse"/>).
/// </summary>
public static class ExactDecimal
{
    /// <summary>
    /// The most significant digits read exactly. A value of a format of the core, or a midpoint of two neighbouring
    /// values (at most 34 significant bits, at least 2^−1075), has at most 767 significant decimal digits; a number
    /// with more digits is kept to these plus a sticky nonzero digit, which no such value or midpoint separates it from.
    /// </summary>
    public const int MaxSignificantDigits = 800;

    /// <summary>
    /// Decimal exponents beyond which (|x| ≥ 10^401 or &lt; 10^−400) a number lies outside every format's range by
    /// a wide margin (binary64 spans about 10^−324 .. 10^308) and is stood in for by ±2^1100 or ±2^−1300.
    /// </summary>
    public const int MaxDecimalExponent = 400;

    /// <summary>
    /// Reads <c>[+|-] digits [. digits] [e|E [+|-] digits]</c> (ASCII digits; a point with digits on either side or
    /// both; no white space) — the decimals <c>double.Parse</c> takes with a sign, a point and an exponent, invariant
    /// culture. <paramref name="value"/> is the number itself when <paramref name="exact"/> (it is dyadic and inside
    /// ±10^400: a zero keeps its sign). Otherwise it is a dyadic stand-in strictly between the same two neighbouring
    /// values, and midpoints, of every format of the core, so it rounds into any of them, in every deterministic
    /// rounding mode, as the number does. Time and memory are bounded by <see cref="MaxSignificantDigits"/> and
    /// <see cref="MaxDecimalExponent"/> (plus one pass over the text), whatever the digit count or exponent.
    /// </summary>
    /// <returns>False when <paramref name="text"/> is not such a decimal (words such as inf and nan included).</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out ExactValue value, out bool exact)
    {
        value = ExactValue.PositiveZero;
        exact = false;
        int i = 0;
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-') negative = text[i++] == '-';
        int intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        ReadOnlySpan<char> integer = text[intStart..i], fraction = [];
        if (i < text.Length && text[i] == '.')
        {
            int fracStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            fraction = text[fracStart..i];
        }
        if (integer.Length + fraction.Length == 0) return false;
        long exponent = 0;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            bool negativeExponent = false;
            if (++i < text.Length && text[i] is '+' or '-') negativeExponent = text[i++] == '-';
            int expStart = i;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
                if (exponent < 1_000_000_000) exponent = exponent * 10 + (text[i] - '0'); // saturates far beyond any range
            if (i == expStart) return false;
            if (negativeExponent) exponent = -exponent;
        }
        if (i != text.Length) return false;

        // The digits as one sequence (integer part, then fraction): the first and last nonzero ones.
        long count = (long)integer.Length + fraction.Length;
        long first = 0, last = count - 1;
        while (first < count && Digit(integer, fraction, first) == '0') first++;
        if (first == count)
        {
            value = new ExactValue(ValueKind.Zero, negative, BigInteger.Zero, 0);
            exact = true;
            return true;
        }
        while (Digit(integer, fraction, last) == '0') last--;
        long significant = last - first + 1;
        long top = exponent - fraction.Length + (count - 1 - first); // x lies in [10^top, 10^(top+1))
        if (top > MaxDecimalExponent || top < -MaxDecimalExponent)
        {
            value = ExactValue.Of(Sticky(BigInteger.One << 64, negative), top > 0 ? 1100 - 65 : -1300 - 65);
            return true;
        }
        int kept = (int)Math.Min(significant, MaxSignificantDigits);
        if (kept <= 18 && TrySmall(integer, fraction, first, kept, (int)(top - kept + 1), negative, out value))
        {
            exact = true;
            return true;
        }
        Span<char> digits = stackalloc char[MaxSignificantDigits];
        for (int k = 0; k < kept; k++) digits[k] = Digit(integer, fraction, first + k);
        BigInteger d = BigInteger.Parse(digits[..kept], NumberStyles.None, CultureInfo.InvariantCulture);
        int scale = (int)(top - kept + 1); // x = d · 10^scale, exactly unless digits were dropped
        bool dropped = significant > kept; // the last digit is nonzero, so a dropped tail is never all zeros
        if (dropped)
        {
            d = d * 10 + 1;
            scale--;
        }
        if (scale >= 0)
        {
            value = ExactValue.Of((negative ? -d : d) * BigInteger.Pow(5, scale), scale);
            exact = !dropped;
            return true;
        }
        BigInteger five = BigInteger.Pow(5, -scale);
        BigInteger quotient = BigInteger.DivRem(d, five, out BigInteger remainder);
        if (remainder.IsZero && !dropped)
        {
            value = ExactValue.Of(negative ? -quotient : quotient, scale);
            exact = true;
            return true;
        }
        // Not dyadic: 70 or more quotient bits and a sticky 1 below them decide every rounding of at most 61 bits.
        int shift = (int)Math.Max(0, 70 + five.GetBitLength() - d.GetBitLength());
        quotient = (d << shift) / five;
        value = ExactValue.Of(Sticky(quotient, negative), scale - shift - 1);
        return true;
    }

    /// <summary>5^0 .. 5^27, the powers below 2^63.</summary>
    private static readonly ulong[] PowersOfFive = Enumerable.Range(0, 28).Select(n => (ulong)BigInteger.Pow(5, n)).ToArray();

    /// <summary>
    /// The common case in 64-bit integers: at most 18 significant digits d, x = d · 10^scale with −27 ≤ scale ≤ 0 and
    /// 5^−scale dividing d (a dyadic value); false for anything else (the general path decides it).
    /// </summary>
    private static bool TrySmall(ReadOnlySpan<char> integer, ReadOnlySpan<char> fraction, long first, int kept, int scale, bool negative,
        out ExactValue value)
    {
        value = default;
        if (scale is > 0 or < -27) return false;
        ulong d = 0;
        for (int k = 0; k < kept; k++) d = d * 10 + (ulong)(Digit(integer, fraction, first + k) - '0');
        ulong five = PowersOfFive[-scale];
        if (d % five != 0) return false;
        long quotient = (long)(d / five);
        value = ExactValue.Of(negative ? -quotient : quotient, scale);
        return true;
    }

    /// <summary>Digit <paramref name="k"/> of the integer part followed by the fraction.</summary>
    private static char Digit(ReadOnlySpan<char> integer, ReadOnlySpan<char> fraction, long k) =>
        k < integer.Length ? integer[(int)k] : fraction[(int)(k - integer.Length)];

    /// <summary>2·m + 1 with the sign: m followed by a sticky one bit.</summary>
    private static BigInteger Sticky(BigInteger magnitude, bool negative)
    {
        BigInteger s = (magnitude << 1) + 1;
        return negative ? -s : s;
    }

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
