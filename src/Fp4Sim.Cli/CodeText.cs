using System.Globalization;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Cli;

/// <summary>
/// How codes are printed: <c>0x</c> then lower-case hex, one digit per 4 bits rounded up, zero-padded; and how they
/// are read back: <c>0x</c> + hex digits (any count, any case) or a decimal number of the code.
/// </summary>
public static class CodeText
{
    /// <summary>Hex digits for a format's codes: ⌈bits / 4⌉ (e2m1 → 1, e4m3 → 2, fp16 → 4).</summary>
    public static int Digits(FormatInfo format) => (format.TotalBits + 3) / 4;

    /// <summary>
    /// Writes <c>0x</c> and <paramref name="digits"/> hex digits of <paramref name="code"/> into <paramref name="destination"/>; returns the length.
    /// </summary>
    public static int Write(uint code, int digits, Span<char> destination)
    {
        destination[0] = '0';
        destination[1] = 'x';
        for (int i = digits - 1, shift = 0; i >= 0; i--, shift += 4)
            destination[2 + i] = "0123456789abcdef"[(int)(code >> shift) & 0xF];
        return 2 + digits;
    }

    /// <summary>The code as a string, e.g. <c>0x7e</c>.</summary>
    public static string Format(uint code, int digits)
    {
        Span<char> buffer = stackalloc char[10];
        return new string(buffer[..Write(code, digits, buffer)]);
    }

    /// <summary>What an error line says a code should look like.</summary>
    public const string Expected = "expected 0x + hex digits or a decimal code";

    /// <summary>A code as text (surrounding white space allowed): <c>0x</c> + hex digits, or decimal digits; false when malformed.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ulong code)
    {
        ReadOnlySpan<char> s = text.Trim();
        code = 0;
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X')
            return ulong.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code);
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    /// <summary>
    /// The code <paramref name="text"/> on stdin line <paramref name="lineNumber"/> (1-based), checked against
    /// <paramref name="format"/>'s codes, or the one-line error naming the line and <paramref name="what"/> (code, scale, element 3).
    /// </summary>
    public static uint Parse(string text, FormatInfo format, ulong lineNumber, string what = "code")
    {
        if (!TryParse(text, out ulong code))
            throw new CliException(text.Trim().Length == 0
                ? $"line {lineNumber}: empty {what} ({Expected})"
                : $"line {lineNumber}: malformed {what} '{ErrorText.Quote(text.Trim())}' ({Expected})");
        if (code >= format.CodeCount)
            throw new CliException($"line {lineNumber}: {what} '{ErrorText.Quote(text.Trim())}' is out of range for {format.Name} " +
                                   $"(codes {Range(format)})");
        return (uint)code;
    }

    /// <summary>A format's codes as an error line names them: <c>0x0..0xf</c>.</summary>
    public static string Range(FormatInfo format) => $"{Format(0, Digits(format))}..{Format(format.CodeMask, Digits(format))}";
}
