using Fp4Sim.Quantization.Text;

namespace Fp4Sim.Quantization.Tests.Text;

public sealed class MailTextTests
{
    [Fact]
    public void Extract_JoinsSubjectAndBody()
    {
        const string mail = "From someone@example.com  Thu Aug 22 12:36:23 2002\nFrom: a@b.c\nSubject: Lunch today?\n" +
            "To: x@y.z\n\nAre you free\nat noon?\n";
        Assert.Equal("Lunch today? Are you free at noon?", MailText.Extract(mail));
    }

    [Fact]
    public void Extract_UnfoldsTheSubjectAndIgnoresCase()
    {
        const string mail = "SUBJECT: A very long\n\tsubject line\n  continued\nX-Other: y\n\nBody.";
        Assert.Equal("A very long subject line continued Body.", MailText.Extract(mail));
    }

    [Fact]
    public void Extract_HandlesCrLfLineEndings()
    {
        const string mail = "Subject: Hi\r\nX-A: b\r\n\r\nLine one\r\nLine two\r\n";
        Assert.Equal("Hi Line one Line two", MailText.Extract(mail));
    }

    [Fact]
    public void Extract_WithoutBlankLineHasNoBody()
    {
        Assert.Equal("Only headers", MailText.Extract("Subject: Only headers\nFrom: a@b.c"));
    }

    [Fact]
    public void Extract_WithoutSubjectGivesTheBody()
    {
        Assert.Equal("Just a body.", MailText.Extract("From: a@b.c\n\nJust a body."));
        Assert.Equal("Body after an empty header block", MailText.Extract("\nBody after an empty header block"));
    }

    [Fact]
    public void Extract_DecodesQuotedPrintableBodies()
    {
        const string mail = "Subject: Caf=E9\nContent-Transfer-Encoding: Quoted-Printable\n\nCaf=E9 au lait, soft=\nbreak, =3D sign, bad =ZZ escape";
        // The subject is not decoded (encoded words are out of scope); the body is.
        Assert.Equal("Caf=E9 Caf\u00E9 au lait, softbreak, = sign, bad =ZZ escape", MailText.Extract(mail));
    }

    [Fact]
    public void Extract_LeavesOtherBodiesUndecoded()
    {
        Assert.Equal("S Caf=E9", MailText.Extract("Subject: S\nContent-Transfer-Encoding: 7bit\n\nCaf=E9"));
    }

    [Fact]
    public void Extract_SkipsBase64BodiesButKeepsTheSubject()
    {
        const string mail = "Subject: Invoice attached\nContent-Transfer-Encoding: base64\n\nSGVsbG8gd29ybGQ=\n";
        Assert.Equal("Invoice attached", MailText.Extract(mail));
    }

    [Fact]
    public void Extract_StripsHtml()
    {
        const string mail = "Subject: Offer\nContent-Type: text/html\n\n" +
            "<html><head><style type=\"text/css\">p { color: red }</style><script>var x = 1 < 2;</script></head>" +
            "<body><!-- hidden comment --><p>Buy <b>cheap</b> V<font size=1></font>iagra</p>" +
            "<p>Now&nbsp;&amp;&nbsp;save &lt;50%&gt; &quot;today&quot; &#65;&#x42;</p>" +
            "<br/>1 < 2 and 3 > 2</body></html>";
        Assert.Equal("Offer Buy cheap Viagra Now & save <50%> \"today\" AB 1 < 2 and 3 > 2", MailText.Extract(mail));
    }

    [Fact]
    public void StripHtml_DecodesEntitiesOnce()
    {
        Assert.Equal("&lt; & ' \u00A0", MailText.StripHtml("&amp;lt; &AMP; &apos; &nbsp;"));
        Assert.Equal("&#0; &#xD800; &bogus;", MailText.StripHtml("&#0; &#xD800; &bogus;"));
    }

    [Fact]
    public void Extract_KeepsQuotedReplyLines()
    {
        Assert.Equal("Re: x > earlier text My answer", MailText.Extract("Subject: Re: x\n\n> earlier text\nMy answer"));
    }

    [Fact]
    public void Extract_CollapsesWhitespaceAndCapsTheLength()
    {
        string mail = "Subject:   spaced\t\tout  \n\n" + string.Concat(Enumerable.Repeat("word \t\n ", 1000));
        string text = MailText.Extract(mail);
        Assert.StartsWith("spaced out word word", text);
        Assert.True(text.Length <= MailText.MaxLength);
        Assert.DoesNotContain("  ", text);
        Assert.Equal(text.Trim(), text);
    }

    [Fact]
    public void Extract_DoesNotSplitASurrogatePairAtTheCap()
    {
        string body = new string('x', MailText.MaxLength - 3) + string.Concat(Enumerable.Repeat("\U0001F355", 10));
        string text = MailText.Extract("Subject: \n\n" + body);
        Assert.True(text.Length <= MailText.MaxLength);
        Assert.False(char.IsHighSurrogate(text[^1]));
    }

    [Fact]
    public void DecodeQuotedPrintable_ToleratesBlanksAfterSoftBreaks()
    {
        Assert.Equal("ab", MailText.DecodeQuotedPrintable("a= \t\nb"));
        Assert.Equal("end=", MailText.DecodeQuotedPrintable("end="));
    }

    [Fact]
    public void Extract_RejectsNull() => Assert.Throws<ArgumentNullException>(() => MailText.Extract(null!));
}
