using System.Text;

namespace Fp4Sim.Cli;

/// <summary>
/// How an error line shows what the user gave: at most <see cref="MaxQuoted"/> characters, control characters escaped,
/// so a 10 MB input line or raw bytes never flood or garble a terminal.
/// </summary>
public static class ErrorText
{
    /// <summary>The most characters of one piece of input an error line quotes.</summary>
    public const int MaxQuoted = 80;

    /// <summary>The most characters of a whole error line (a safety net for messages that quote several inputs).</summary>
    public const int MaxLine = 400;

    /// <summary><paramref name="input"/>, escaped and cut to <see cref="MaxQuoted"/> characters (then "…").</summary>
    public static string Quote(string input) => Clip(Escape(input), MaxQuoted);

    /// <summary>
    /// A whole message made safe for one stderr line: escaped, every '…'-quoted piece cut to <see cref="MaxQuoted"/>
    /// characters (a net under the messages that quote input without <see cref="Quote"/>), at most <see cref="MaxLine"/>.
    /// </summary>
    public static string Line(string message)
    {
        string[] parts = Escape(message).Split('\'');
        for (int i = 1; i < parts.Length - 1; i += 2) parts[i] = Clip(parts[i], MaxQuoted); // odd parts sit between quotes
        return Clip(string.Join('\'', parts), MaxLine);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>C0/C1 controls, DEL, lone surrogates and U+FFFD (an undecodable byte) as \n, \t, \xNN or \u{NNNN}.</summary>
    public static string Escape(string text)
    {
        int i = 0;
        while (i < text.Length && !NeedsEscape(text, i)) i++;
        if (i == text.Length) return text;
        var sb = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }
            if (!NeedsEscape(text, i)) sb.Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x100) sb.Append($"\\x{(int)c:x2}");
            else sb.Append($"\\u{{{(int)c:x4}}}");
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(string text, int i)
    {
        char c = text[i];
        if (char.IsControl(c) || c == '\uFFFD') return true;
        if (char.IsHighSurrogate(c)) return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
    }
}
