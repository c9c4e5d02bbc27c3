using System.Globalization;

namespace Fp4Sim.Cli;

/// <summary>
/// Parses one input line of <c>cast</c>: a float32 bit pattern <c>0x</c> + exactly 8 hex digits, or a decimal number
/// (invariant culture, correctly rounded as float.Parse does; out-of-range magnitudes become ±inf), or inf/nan words.
/// </summary>
public static class FloatInput
{
    /// <summary>What the error message says a line should look like.</summary>
    public const string Expected = "expected 0x + 8 hex digits or a decimal number";

    /// <summary>Parses stdin line <paramref name="lineNumber"/> (1-based), or throws the CLI's one-line error naming it.</summary>
    public static float ParseLine(string line, ulong lineNumber) =>
        TryParse(line, out float value) ? value : throw new CliException(line.Trim().Length == 0
            ? $"line {lineNumber}: empty line ({Expected})"
            : $"line {lineNumber}: malformed number '{ErrorText.Quote(line.Trim())}' ({Expected})");

    /// <summary>Parses <paramref name="line"/> (surrounding whitespace allowed); false when it is malformed or empty.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out float value)
    {
        ReadOnlySpan<char> s = line.Trim();
        value = 0;
        if (s.Length == 0) return false;
        if (s.Length >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        {
            if (s.Length != 10 || !uint.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint bits))
                return false;
            value = BitConverter.UInt32BitsToSingle(bits);
            return true;
        }
        if (TryParseSpecial(s, out value)) return true;
        // Float without AllowThousands/white space: "1,5" and "1 5" are errors, not 15.
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return float.TryParse(s, style, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A decimal number (binary64, correctly rounded) or inf/nan words; false when malformed.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value)
    {
        ReadOnlySpan<char> s = text.Trim();
        value = 0;
        if (s.Length == 0) return false;
        if (TryParseSpecial(s, out float special)) { value = special; return true; }
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(s, style, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// A float32 as the shortest decimal that reads back to it (lower-case exponent), or <c>nan</c>, <c>inf</c>,
    /// <c>-inf</c>, <c>-0</c>: what <see cref="TryParse"/> reads back bit for bit (a NaN's sign and payload aside).
    /// </summary>
    public static string Format(float value)
    {
        if (float.IsNaN(value)) return "nan";
        if (float.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        return value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
    }

    /// <summary>
    /// inf/infinity/nan with an optional sign, any case. Written out because .NET only knows "Infinity"/"NaN", and its
    /// float.NaN has the sign bit set: "nan" here is the positive quiet NaN 0x7fc00000, "-nan" is 0xffc00000.
    /// </summary>
    private static bool TryParseSpecial(ReadOnlySpan<char> s, out float value)
    {
        bool negative = s[0] == '-';
        ReadOnlySpan<char> word = s[0] is '-' or '+' ? s[1..] : s;
        value = 0;
        if (word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            value = negative ? float.NegativeInfinity : float.PositiveInfinity;
        else if (word.Equals("nan", StringComparison.OrdinalIgnoreCase))
            value = BitConverter.UInt32BitsToSingle(negative ? 0xFFC00000u : 0x7FC00000u);
        else
            return false;
        return true;
    }
}
