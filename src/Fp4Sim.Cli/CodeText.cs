using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Cli;

/// <summary>How codes are printed: <c>0x</c> then lower-case hex, one digit per 4 bits rounded up, zero-padded.</summary>
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
}
