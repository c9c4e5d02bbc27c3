using System.Text;

namespace Fp4Sim.Quantization.Text;

/// <summary>
/// Managed Unicode normalization form KC (compatibility decomposition followed by canonical
/// composition, UAX #15).
/// </summary>
/// <remarks>
/// The project builds with <c>InvariantGlobalization=true</c>, under which
/// <see cref="string.Normalize(NormalizationForm)"/> silently returns non-ASCII input unchanged
/// (no ICU is loaded). The tokenizer needs real NFKC (full-width letters, ligatures, no-break
/// spaces, ...), so this class implements it from generated tables
/// (<see cref="UnicodeVersion"/>). Lone surrogates are passed through unchanged.
/// </remarks>
public static class Nfkc
{
    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount, HangulSCount = HangulLCount * HangulNCount;

    /// <summary>Version of the Unicode Character Database the normalization tables come from.</summary>
    public static string UnicodeVersion => NfkcData.UnicodeVersion;

    /// <summary>Returns the NFKC form of <paramref name="text"/>.</summary>
    /// <param name="text">Text to normalize.</param>
    /// <returns>The normalized text (the same instance when it is already known to be normalized).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Fast path: U+0000..U+009F neither decompose, combine, nor compose with anything.
        int firstSpecial = text.AsSpan().IndexOfAnyExceptInRange('\0', '\u009F');
        if (firstSpecial < 0)
        {
            return text;
        }

        var buffer = new List<int>(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            AppendDecomposition(buffer, cp);
        }

        CanonicalOrder(buffer);
        int length = Compose(buffer);

        var result = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            int cp = buffer[i];
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                result.Append((char)cp); // lone surrogate passed through
            }
            else
            {
                result.Append(new Rune(cp));
            }
        }

        return result.ToString();
    }

    /// <summary>Canonical combining class of a code point (0 for starters).</summary>
    internal static int CombiningClass(int cp)
    {
        if (cp < 0x300)
        {
            return 0;
        }

        ReadOnlySpan<int> runs = NfkcData.CombiningClassRuns;
        int lo = 0, hi = runs.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cp < runs[3 * mid])
            {
                hi = mid - 1;
            }
            else if (cp > runs[3 * mid + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return runs[3 * mid + 2];
            }
        }

        return 0;
    }

    private static void AppendDecomposition(List<int> buffer, int cp)
    {
        if (cp < 0xA0)
        {
            buffer.Add(cp);
            return;
        }

        int s = cp - HangulSBase;
        if ((uint)s < HangulSCount)
        {
            buffer.Add(HangulLBase + s / HangulNCount);
            buffer.Add(HangulVBase + s % HangulNCount / HangulTCount);
            int t = s % HangulTCount;
            if (t != 0)
            {
                buffer.Add(HangulTBase + t);
            }

            return;
        }

        int index = NfkcData.DecompositionKeys.BinarySearch(cp);
        if (index < 0)
        {
            buffer.Add(cp);
            return;
        }

        int slice = NfkcData.DecompositionSlices[index];
        foreach (int mapped in NfkcData.DecompositionData.Slice(slice >> 5, slice & 31))
        {
            buffer.Add(mapped);
        }
    }

    /// <summary>Stable-sorts every run of non-starters by combining class (canonical ordering).</summary>
    private static void CanonicalOrder(List<int> buffer)
    {
        for (int i = 1; i < buffer.Count; i++)
        {
            int cp = buffer[i];
            int ccc = CombiningClass(cp);
            if (ccc == 0)
            {
                continue;
            }

            int j = i - 1;
            while (j >= 0 && CombiningClass(buffer[j]) > ccc)
            {
                buffer[j + 1] = buffer[j];
                j--;
            }

            buffer[j + 1] = cp;
        }
    }

    /// <summary>Canonical composition in place; returns the composed length.</summary>
    private static int Compose(List<int> buffer)
    {
        int starter = -1;       // index (in the output prefix) of the last starter, -1 if none yet
        int lastClass = 0;      // class of the last character kept after that starter (0 = none)
        int written = 0;
        for (int i = 0; i < buffer.Count; i++)
        {
            int cp = buffer[i];
            int ccc = CombiningClass(cp);
            bool unblocked = starter >= 0 && (lastClass == 0 ? written - 1 == starter : lastClass < ccc);
            if (unblocked && TryCompose(buffer[starter], cp, out int composite))
            {
                buffer[starter] = composite;
                continue;
            }

            if (ccc == 0)
            {
                starter = written;
                lastClass = 0;
            }
            else
            {
                lastClass = ccc;
            }

            buffer[written++] = cp;
        }

        return written;
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        int l = first - HangulLBase, v = second - HangulVBase;
        if ((uint)l < HangulLCount && (uint)v < HangulVCount)
        {
            composite = HangulSBase + (l * HangulVCount + v) * HangulTCount;
            return true;
        }

        int s = first - HangulSBase, t = second - HangulTBase;
        if ((uint)s < HangulSCount && s % HangulTCount == 0 && t > 0 && t < HangulTCount)
        {
            composite = first + t;
            return true;
        }

        int index = NfkcData.CompositionKeys.BinarySearch(((long)first << 21) | (uint)second);
        composite = index >= 0 ? NfkcData.CompositionValues[index] : 0;
        return index >= 0;
    }
}
