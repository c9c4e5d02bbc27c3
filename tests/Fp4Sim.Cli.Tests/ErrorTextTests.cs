namespace Fp4Sim.Cli.Tests;

/// <summary>Error lines quote input briefly and never pass control characters to a terminal.</summary>
public class ErrorTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("cr\rlf\n", "cr\\rlf\\n")]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("c1\u0085", "c1\\x85")]
    [InlineData("bad\uFFFDbyte", "bad\\u{fffd}byte")]
    [InlineData("pair\uD83D\uDE00", "pair\uD83D\uDE00")]
    [InlineData("é and ü", "é and ü")]
    public void Escape_shows_control_characters_as_escapes(string input, string expected) =>
        Assert.Equal(expected, ErrorText.Escape(input));

    [Fact]
    public void Lone_surrogates_are_escaped_and_pairs_kept()
    {
        Assert.Equal("lone\\u{d800}", ErrorText.Escape("lone" + (char)0xD800));
        Assert.Equal("\\u{dc00}lone", ErrorText.Escape((char)0xDC00 + "lone"));
        Assert.Equal("\\u{dc00}\\u{d800}", ErrorText.Escape(new string([(char)0xDC00, (char)0xD800])));
    }

    [Fact]
    public void A_message_never_quotes_more_than_80_characters_of_anything()
    {
        string line = ErrorText.Line($"x '{new string('a', 500)}' then '{new string('b', 10)}' end");
        Assert.Equal($"x '{new string('a', 79)}…' then 'bbbbbbbbbb' end", line);
    }

    [Fact]
    public void Quote_keeps_at_most_80_characters()
    {
        string quoted = ErrorText.Quote(new string('x', 10_000_000));
        Assert.Equal(ErrorText.MaxQuoted, quoted.Length);
        Assert.EndsWith("…", quoted);
        Assert.Equal("short", ErrorText.Quote("short"));
        Assert.Equal(new string('y', 80), ErrorText.Quote(new string('y', 80)));
    }

    [Fact]
    public void A_long_input_line_is_quoted_briefly_in_the_error()
    {
        CliResult r = CliRunner.RunWithInput("1.5\n" + new string('1', 500_000) + "z\n", "cast", "--format", "e2m1");
        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("fp4sim: line 2: malformed number '1111", line);
        Assert.True(line.Length < 200, line);
    }

    [Fact]
    public void Control_bytes_in_an_argument_are_escaped_in_the_error()
    {
        CliResult r = CliRunner.Run("cast", "--format", "e2m1\u001b]0;title\u0007");
        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.ErrorLines);
        Assert.Contains("\\x1b]0;title\\x07", line);
        Assert.DoesNotContain('\u001b', line);
    }
}
