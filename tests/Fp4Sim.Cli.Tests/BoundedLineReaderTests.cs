using FsCheck.Xunit;

namespace Fp4Sim.Cli.Tests;

/// <summary>The bounded reader splits lines exactly as <see cref="TextReader.ReadLine"/> does, and refuses a runaway line.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class BoundedLineReaderTests
{
    private static List<string> Lines(TextReader reader)
    {
        var lines = new List<string>();
        for (string? line; (line = reader.ReadLine()) != null;) lines.Add(line);
        return lines;
    }

    /// <summary>Reads at most a few characters per call, so line ends fall across buffer refills.</summary>
    private sealed class Trickle(string text, int step) : TextReader
    {
        private int _at;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = Math.Min(Math.Min(count, step), text.Length - _at);
            text.CopyTo(_at, buffer, index, n);
            _at += n;
            return n;
        }
    }

    [Property(MaxTest = 2_000)]
    public void Splits_like_ReadLine_for_random_texts_of_line_ends(LineText t)
    {
        List<string> expected = Lines(new StringReader(t.Text));
        Assert.Equal(expected, Lines(new BoundedLineReader(new StringReader(t.Text))));
        Assert.Equal(expected, Lines(new BoundedLineReader(new Trickle(t.Text, t.Step))));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_an_error_naming_it()
    {
        string text = "1\n" + new string('9', BoundedLineReader.MaxLineChars + 1) + "\n";
        var reader = new BoundedLineReader(new StringReader(text));
        Assert.Equal("1", reader.ReadLine());
        var e = Assert.Throws<CliException>(() => reader.ReadLine());
        Assert.Equal($"line 2: longer than {BoundedLineReader.MaxLineChars} characters", e.Message);
    }

    [Fact]
    public void A_line_at_the_limit_is_read()
    {
        string line = new('5', BoundedLineReader.MaxLineChars);
        Assert.Equal([line], Lines(new BoundedLineReader(new Trickle(line, 4096))));
    }
}
