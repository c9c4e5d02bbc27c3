using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fp4Sim.Quantization.Text;

/// <summary>
/// Turns a raw RFC 822 e-mail into the plain text fed to the sentence encoder: the subject followed by
/// the body, with a deliberately simple decoding (no MIME multipart parsing).
/// </summary>
/// <remarks>
/// Steps: line endings are unified; the header block ends at the first blank line; the first
/// <c>Subject</c> header is unfolded; the body is dropped when the top-level
/// <c>Content-Transfer-Encoding</c> is <c>base64</c> and decoded when it is <c>quoted-printable</c>
/// (soft line breaks and <c>=XX</c> escapes, bytes read as Latin-1). HTML comments and
/// <c>style</c>/<c>script</c> elements are removed with their content; other tags are removed
/// (inline formatting tags such as <c>b</c>, <c>font</c> or <c>span</c> without a trace, all others
/// replaced by a space); the entities <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c>,
/// <c>&amp;quot;</c>, <c>&amp;apos;</c>, <c>&amp;nbsp;</c> and numeric character references are
/// decoded. Finally every whitespace run becomes one space, the result is trimmed and capped at
/// <see cref="MaxLength"/> characters. Quoted reply lines are kept. Encoded-word subjects
/// (<c>=?charset?Q?...?=</c>) are left as they are.
/// </remarks>
public static partial class MailText
{
    /// <summary>Maximum length, in UTF-16 code units, of an extracted text (the model reads 128 tokens anyway).</summary>
    public const int MaxLength = 2000;

    private static readonly HashSet<string> InlineTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "big", "em", "font", "i", "s", "small", "span", "strike", "strong", "sub", "sup", "tt", "u",
    };

    /// <summary>Extracts the model-ready text of a raw e-mail.</summary>
    /// <param name="rawMail">The complete message, headers included.</param>
    /// <returns>Subject and body as a single line of at most <see cref="MaxLength"/> characters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rawMail"/> is null.</exception>
    public static string Extract(string rawMail)
    {
        ArgumentNullException.ThrowIfNull(rawMail);
        string mail = rawMail.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

        int separator = mail.StartsWith('\n') ? 0 : mail.IndexOf("\n\n", StringComparison.Ordinal);
        string headerBlock = separator < 0 ? mail : mail[..separator];
        string body = separator < 0 ? string.Empty : mail[(separator + (separator == 0 ? 1 : 2))..];

        string subject = string.Empty;
        string? transferEncoding = null;
        foreach (var (name, value) in UnfoldedHeaders(headerBlock))
        {
            if (subject.Length == 0 && name.Equals("Subject", StringComparison.OrdinalIgnoreCase))
            {
                subject = value;
            }
            else if (transferEncoding is null && name.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = value.Trim();
            }
        }

        if (string.Equals(transferEncoding, "base64", StringComparison.OrdinalIgnoreCase))
        {
            body = string.Empty;
        }
        else if (string.Equals(transferEncoding, "quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            body = DecodeQuotedPrintable(body);
        }

        body = StripHtml(body);
        return Finish(subject + "\n" + body);
    }

    /// <summary>Decodes quoted-printable text: removes soft line breaks and turns <c>=XX</c> into the Latin-1 character XX.</summary>
    /// <param name="text">Encoded text with <c>\n</c> line endings.</param>
    /// <returns>Decoded text; malformed escapes are kept verbatim.</returns>
    public static string DecodeQuotedPrintable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('='))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '=')
            {
                result.Append(c);
                continue;
            }

            int j = i + 1;
            while (j < text.Length && (text[j] == ' ' || text[j] == '\t'))
            {
                j++; // tolerate trailing blanks after a soft line break
            }

            if (j < text.Length && text[j] == '\n')
            {
                i = j; // soft line break
            }
            else if (i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                result.Append((char)byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    /// <summary>Removes HTML markup and decodes the basic entities (see the class remarks).</summary>
    /// <param name="text">Text that may contain HTML.</param>
    /// <returns>Text without tags.</returns>
    public static string StripHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('<'))
        {
            text = CommentOrCode().Replace(text, " ");
            text = Tag().Replace(text, match => InlineTags.Contains(match.Groups["name"].Value) ? string.Empty : " ");
        }

        return text.Contains('&') ? Entity().Replace(text, DecodeEntity) : text;
    }

    private static IEnumerable<(string Name, string Value)> UnfoldedHeaders(string headerBlock)
    {
        string? name = null;
        var value = new StringBuilder();
        foreach (string line in headerBlock.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                value.Append(line); // folded continuation: the line break goes, the blank stays
                continue;
            }

            if (name is not null)
            {
                yield return (name, value.ToString());
            }

            int colon = line.IndexOf(':');
            name = colon > 0 ? line[..colon].Trim() : null;
            value.Clear();
            if (colon > 0)
            {
                value.Append(line.AsSpan(colon + 1));
            }
        }

        if (name is not null)
        {
            yield return (name, value.ToString());
        }
    }

    private static string DecodeEntity(Match match)
    {
        string entity = match.Groups[1].Value;
        if (entity[0] == '#')
        {
            bool hex = entity.Length > 1 && (entity[1] == 'x' || entity[1] == 'X');
            bool parsed = hex
                ? int.TryParse(entity.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
                : int.TryParse(entity.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out value);
            return parsed && value > 0 && Rune.IsValid(value) ? char.ConvertFromUtf32(value) : match.Value;
        }

        return entity.ToLowerInvariant() switch
        {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" => "\u00A0",
            _ => match.Value,
        };
    }

    /// <summary>Collapses whitespace runs to one space, trims, and caps the length without splitting a surrogate pair.</summary>
    private static string Finish(string text)
    {
        var result = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(c);
            if (result.Length >= MaxLength)
            {
                break;
            }
        }

        int length = Math.Min(result.Length, MaxLength);
        if (length > 0 && char.IsHighSurrogate(result[length - 1]))
        {
            length--;
        }

        return result.ToString(0, length).TrimEnd();
    }

    [GeneratedRegex(@"<!--.*?-->|<(style|script)\b[^>]*>.*?</\1\s*>",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CommentOrCode();

    [GeneratedRegex(@"<(?:/?(?<name>[A-Za-z][A-Za-z0-9]*)|[!?])[^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[Aa][Mm][Pp]|[Ll][Tt]|[Gg][Tt]|[Qq][Uu][Oo][Tt]|[Aa][Pp][Oo][Ss]|[Nn][Bb][Ss][Pp]);",
        RegexOptions.CultureInvariant)]
    private static partial Regex Entity();
}
