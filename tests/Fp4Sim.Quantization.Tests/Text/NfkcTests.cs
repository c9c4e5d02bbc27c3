using System.Text;
using Fp4Sim.Quantization.Text;

namespace Fp4Sim.Quantization.Tests.Text;

public sealed class NfkcTests
{
    // Expected values computed with Python's unicodedata.normalize("NFKC", ...).
    [Theory]
    [InlineData("\uFF28\uFF45\uFF4C\uFF4C\uFF4F", "Hello")]       // full-width letters
    [InlineData("\uFB01ne", "fine")]                               // ligature
    [InlineData("\u2460\u2461", "12")]                             // circled digits
    [InlineData("x\u00B2", "x2")]                                  // superscript
    [InlineData("a\u00A0b", "a b")]                                // no-break space
    [InlineData("\u3000", " ")]                                    // ideographic space
    [InlineData("e\u0301", "\u00E9")]                              // canonical composition
    [InlineData("\u212B", "\u00C5")]                               // singleton (Angstrom sign)
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]                   // Hangul L V T
    [InlineData("\uAC01", "\uAC01")]                               // Hangul syllable round trip
    [InlineData("a\u0323\u0302", "\u1EAD")]                        // canonical ordering ...
    [InlineData("a\u0302\u0323", "\u1EAD")]                        // ... either input order
    [InlineData("\U0001D400\U0001D41B", "Ab")]                     // non-BMP math letters
    [InlineData("\uFF76\uFF9E", "\u30AC")]                         // half-width katakana + voiced mark
    [InlineData("\u338F", "kg")]                                   // square unit
    [InlineData("\u0378x\u00E9", "\u0378x\u00E9")]                    // unassigned and composed text unchanged
    [InlineData("\u216B", "XII")]                                  // roman numeral
    [InlineData("\u1E9B\u0323", "\u1E69")]                         // UAX #15 example
    [InlineData("\u0344", "\u0308\u0301")]                         // non-starter decomposition (excluded)
    [InlineData("a\u0301\u0301", "\u00E1\u0301")]                  // second acute is blocked
    [InlineData("\u0301a", "\u0301a")]                             // leading non-starter
    [InlineData("\u0F73", "\u0F71\u0F72")]                         // composition exclusion
    [InlineData("\uFDFA", "\u0635\u0644\u0649 \u0627\u0644\u0644\u0647 \u0639\u0644\u064A\u0647 \u0648\u0633\u0644\u0645")] // longest expansion
    public void Normalize_MatchesReference(string input, string expected) =>
        Assert.Equal(expected, Nfkc.Normalize(input));

    [Fact]
    public void Normalize_ReturnsAsciiInputUnchanged()
    {
        const string ascii = "Plain ASCII text, 123!\t\n";
        Assert.Same(ascii, Nfkc.Normalize(ascii));
        Assert.Equal(string.Empty, Nfkc.Normalize(string.Empty));
    }

    [Fact]
    public void Normalize_PassesLoneSurrogatesThrough()
    {
        Assert.Equal("a\uD800\u00E9", Nfkc.Normalize("a\uD800e\u0301"));
        Assert.Equal("\uDC00", Nfkc.Normalize("\uDC00"));
    }

    [Fact]
    public void Normalize_IsIdempotentOnEveryBmpCharacter()
    {
        var failures = new List<string>();
        for (int cp = 0xA0; cp <= 0xFFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            string once = Nfkc.Normalize(((char)cp).ToString());
            if (Nfkc.Normalize(once) != once)
            {
                failures.Add($"U+{cp:X4}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Normalize_RejectsNull() => Assert.Throws<ArgumentNullException>(() => Nfkc.Normalize(null!));

    [Fact]
    public void UnicodeVersion_IsReported() => Assert.Matches(@"^\d+\.\d+\.\d+$", Nfkc.UnicodeVersion);
}
