using System.Globalization;
using System.Numerics;
using System.Text;

namespace Fp4Sim.Hardware;

/// <summary>
/// Small Verilog-2001 spellings the unit records compute and hand to templates: sized literals and width changes
/// that keep <c>verilator -Wall</c> quiet (explicit extension; truncated bits listed for an <c>unused</c> sink).
/// </summary>
public static class Verilog
{
    /// <summary>A sized hex literal, e.g. <c>8'h7f</c> (negative values as their two's complement in <paramref name="width"/> bits).</summary>
    public static string Hex(BigInteger value, int width)
    {
        BigInteger bits = value & ((BigInteger.One << width) - 1);
        return $"{width}'h{ToHex(bits, (width + 3) / 4)}";
    }

    /// <summary><paramref name="value"/> (non-negative) as exactly <paramref name="digits"/> lower-case hex digits.</summary>
    public static string ToHex(BigInteger value, int digits)
    {
        var text = new char[digits];
        WriteHex(value, text);
        return new string(text);
    }

    /// <summary>
    /// <paramref name="value"/> (non-negative) as lower-case hex digits filling <paramref name="destination"/>, most
    /// significant first, zero-padded.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative value, or one wider than the digits hold.</exception>
    public static void WriteHex(BigInteger value, Span<char> destination)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "hex fields are non-negative");
        if (value.IsZero)
        {
            destination.Fill('0');
            return;
        }
        int digits = destination.Length, size = value.GetByteCount(isUnsigned: true);
        Span<byte> bytes = size <= 256 ? stackalloc byte[size] : new byte[size];
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        // The top byte is nonzero: its nibbles from digit index `digits` up must be zero.
        if (size * 2 > digits + 1 || (size * 2 == digits + 1 && bytes[^1] >> 4 != 0))
            throw new ArgumentOutOfRangeException(nameof(value), "value wider than its field");
        for (int i = 0; i < digits; i++)
        {
            int nibble = digits - 1 - i, index = nibble >> 1;
            int b = index < size ? bytes[index] : 0;
            destination[i] = "0123456789abcdef"[(nibble & 1) == 0 ? b & 15 : b >> 4];
        }
    }

    /// <summary>
    /// Signal <paramref name="name"/> of <paramref name="from"/> bits brought to <paramref name="to"/> bits:
    /// sign- (<paramref name="signed"/>) or zero-extended, or cut to its low bits, whose name is added to
    /// <paramref name="unused"/> (callers only cut bits they know to be copies of the sign).
    /// </summary>
    public static string Resize(string name, int from, int to, bool signed, ICollection<string> unused)
    {
        if (from == to) return name;
        if (from > to)
        {
            unused.Add(from - to == 1 ? $"{name}[{from - 1}]" : $"{name}[{from - 1}:{to}]");
            return $"{name}[{to - 1}:0]";
        }
        string fill = signed ? $"{{{to - from}{{{Bit(name, from)}}}}}" : $"{to - from}'b0";
        return $"{{{fill}, {name}}}";
    }

    /// <summary>The top bit of a <paramref name="width"/>-bit signal (the signal itself when 1 bit wide).</summary>
    public static string Bit(string name, int width) => width == 1 ? name : $"{name}[{width - 1}]";

    /// <summary>The width of a register that holds 0..<paramref name="max"/> (at least 1).</summary>
    public static int UnsignedWidth(BigInteger max) => Math.Max(1, (int)max.GetBitLength());

    /// <summary>A Verilog identifier from a configuration name: anything but letters and digits becomes '_'.</summary>
    public static string Identifier(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.ToLowerInvariant()) sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }

    /// <summary>An invariant decimal.</summary>
    public static string Dec(long v) => v.ToString(CultureInfo.InvariantCulture);
}
