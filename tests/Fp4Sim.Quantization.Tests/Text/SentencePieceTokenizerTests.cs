using System.Text.Json;
using Fp4Sim.Quantization.Text;
using Fp4Sim.TestSupport;
using Xunit.Abstractions;

namespace Fp4Sim.Quantization.Tests.Text;

public sealed class SentencePieceTokenizerTests(ITestOutputHelper output)
{
    private static readonly Lazy<SentencePieceTokenizer> UseVocabulary =
        new(() => SentencePieceTokenizer.Load(TestPaths.RequireFile(TestPaths.VocabularyPath())));

    private static SentencePieceTokenizer Use => UseVocabulary.Value;

    private static readonly string[] Reserved = ["\uFFFD", "<s>", "</s>", "extra_token_id_1", "extra_token_id_2", "extra_token_id_3"];

    [Fact]
    public void Encode_ReproducesTheTensorFlowJsReference()
    {
        Assert.Equal([728, 446, 31, 19, 54], Use.Encode("How old are you?"));
        Assert.Equal(["\u2581How", "\u2581old", "\u2581are", "\u2581you", "?"], new[] { 728, 446, 31, 19, 54 }.Select(Use.Piece));
    }

    [Theory]
    [InlineData("What is your age?", new[] { 379, 18, 37, 735, 54 })]
    [InlineData("The weather is lovely today.", new[] { 34, 3524, 18, 241, 56, 784, 6 })]
    [InlineData("It's so sunny outside!", new[] { 75, 13, 7, 63, 1839, 1168, 1080, 78 })]
    [InlineData("He drove his truck to the stadium.", new[] { 125, 6592, 73, 3376, 10, 9, 6852, 6 })]
    public void Encode_SampleSentences(string text, int[] expected)
    {
        int[] ids = Use.Encode(text);
        output.WriteLine($"{text} -> [{string.Join(", ", ids)}] {string.Join(" ", ids.Select(Use.Piece))}");
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void Vocabulary_HasTheUseLiteShape()
    {
        Assert.Equal(8000, Use.VocabularySize);
        Assert.Equal("\uFFFD", Use.Piece(0));
        Assert.Equal("\u2581", Use.Piece(30));
        Assert.Throws<ArgumentOutOfRangeException>(() => Use.Piece(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Use.Piece(8000));
    }

    [Fact]
    public void Encode_EmptyTextGivesNoIds() => Assert.Empty(Use.Encode(string.Empty));

    [Fact]
    public void Encode_SpacesOnlyGiveWordBoundaries() =>
        Assert.Equal([30, 30, 30, 30], Use.Encode("   ")); // "▁" prepended + one per space

    [Fact]
    public void Encode_NonBmpCharacterIsOneUnknownSymbol()
    {
        Assert.Equal([30, 0], Use.Encode("\U0001F355"));                        // 🍕
        Assert.Equal([16, 30, 0, 6077], Use.Encode("I \U0001F355 pizza"));
    }

    [Fact]
    public void Encode_MergesConsecutiveUnknowns()
    {
        Assert.Equal([30, 0], Use.Encode("\U0001F355\U0001F355\U0001F355"));
        Assert.Equal([30, 0], Use.Encode("\u65E5\u672C\u8A9E"));                 // 日本語
        Assert.Equal([11, 0, 151], Use.Encode("a\u0001\u0002b"));
        Assert.Equal([11, 0, 151], Use.Encode("a\uD800b"));                     // lone surrogate
        Assert.Equal([16, 30, 0, 30, 0, 6077], Use.Encode("I \u2764\uFE0F \U0001F355 pizza"));
    }

    [Fact]
    public void Encode_AppliesNfkc()
    {
        Assert.Equal(Use.Encode("Hello"), Use.Encode("\uFF28\uFF45\uFF4C\uFF4C\uFF4F"));
        Assert.Equal(Use.Encode("fine"), Use.Encode("\uFB01ne"));
        Assert.Equal(Use.Encode("How old"), Use.Encode("How\u00A0old"));       // NBSP -> space -> ▁
        Assert.Equal(Use.Encode("caf\u00E9"), Use.Encode("cafe\u0301"));
    }

    [Fact]
    public void Encode_RealVocabularyNullScoresCountAsZero()
    {
        Assert.Equal(":", Use.Piece(Use.Encode("a:b")[1]));
    }

    [Fact]
    public void Encode_EqualScoresLetTheLaterCandidateWin()
    {
        // "▁a" (-2) and "▁" + "a" (-1 + -1) tie; "▁" + "a" is offered later (it starts later) and wins.
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581a", -2.0), ("\u2581", -1.0), ("a", -1.0));
        Assert.Equal([7, 8], tokenizer.Encode("a"));

        // A strictly better single piece still wins.
        var better = LoadSmall(folder, ("\u2581a", -1.5), ("\u2581", -1.0), ("a", -1.0));
        Assert.Equal([6], better.Encode("a"));
    }

    [Fact]
    public void Encode_NullScoreCountsAsZero()
    {
        // With "x" = null (0): "▁" + "x" = -1 beats "▁x" = -2. (NaN would lose every comparison.)
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581", -1.0), ("x", null), ("\u2581x", -2.0));
        Assert.Equal([6, 7], tokenizer.Encode("x"));
    }

    [Fact]
    public void Encode_PositionWithBestScoreExactlyZeroAcceptsTheNextCandidate()
    {
        // Reference quirk: best[j] == 0 means "unset", so after "▁a" scores exactly 0 (null score),
        // the worse "▁" + "a" (-2) still replaces it.
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581a", null), ("a", -1.0), ("\u2581", -1.0));
        Assert.Equal([8, 7], tokenizer.Encode("a"));
    }

    [Fact]
    public void Encode_UnknownSymbolIsACandidateWithScoreZero()
    {
        // "y" starts no piece, so it is offered as unknown with score best[2] + 0 = -2, which beats "xy" (-11).
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581", -1.0), ("xy", -10.0), ("x", -1.0));
        Assert.Equal([6, 8, 0], tokenizer.Encode("xy"));
    }

    [Fact]
    public void Encode_UnknownWhenNoPieceMatchesAtAStart()
    {
        // "a" is a prefix of "ab" but no piece matches "ac": both symbols are unknown, merged into one 0.
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581", -1.0), ("ab", -1.0));
        Assert.Equal([6, 0], tokenizer.Encode("ac"));
    }

    [Fact]
    public void Encode_UnknownSymbolKeepsThePrefixScore()
    {
        // After the unknown "☃" the path score stays -1 (not reset to 0), so "ab" (null = 0) gives -1,
        // which is not exactly 0, and the worse "a" + "b" (-7) cannot replace it.
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581", -1.0), ("a", -1.0), ("ab", null), ("b", -5.0));
        Assert.Equal([6, 0, 8], tokenizer.Encode("\u2603ab"));
    }

    [Fact]
    public void Encode_DuplicatePieceUsesItsLastOccurrence()
    {
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581a", -1.0), ("a", -9.0), ("\u2581a", -3.0));
        Assert.Equal([8], tokenizer.Encode("a"));
    }

    [Fact]
    public void Encode_NeverMatchesReservedPieces()
    {
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581", -1.0));
        Assert.Equal([6, 0], tokenizer.Encode("<s>"));
    }

    [Fact]
    public void Encode_NonBmpPieceIsMatchedAsOneSymbol()
    {
        using var folder = new TempFolder();
        var tokenizer = LoadSmall(folder, ("\u2581", -1.0), ("\U0001F355", -1.0), ("b", -1.0));
        Assert.Equal([6, 7, 8], tokenizer.Encode("\U0001F355b"));
    }

    [Fact]
    public void Load_MissingFileNamesTheSetupScript()
    {
        string path = Path.Combine(Path.GetTempPath(), "fp4sim-no-such-vocab.json");
        var error = Assert.Throws<FileNotFoundException>(() => SentencePieceTokenizer.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(TestPaths.SetupCommand, error.Message);
    }

    [Theory]
    [InlineData("{\"a\": 1}", null, "expected a JSON array")]
    [InlineData("[[\"a\", 0]", null, "not valid JSON")]
    [InlineData("[[\"a\",0],[\"b\",0]]", null, "at least 6 entries")]
    [InlineData("R,[\"x\"]]", 6, "expected a [piece, score] pair")]
    [InlineData("R,[1, -1.0]]", 6, "piece must be a string")]
    [InlineData("R,[\"\", -1.0]]", 6, "must not be empty")]
    [InlineData("R,[\"x\", -1.0],[\"y\", \"-1\"]]", 7, "score must be a number or null")]
    [InlineData("R,[\"x\", 1e999]]", 6, "not a finite double")]
    public void Load_RejectsMalformedVocabulary(string json, int? entryIndex, string problem)
    {
        using var folder = new TempFolder();
        string reserved = "[" + string.Join(",", Reserved.Select(piece => $"[{JsonSerializer.Serialize(piece)}, 0]"));
        string path = folder.Write("vocab.json", json.StartsWith('R') ? reserved + json[1..] : json);
        var error = Assert.Throws<VocabularyException>(() => SentencePieceTokenizer.Load(path));
        Assert.Equal(path, error.Path);
        Assert.Equal(entryIndex, error.EntryIndex);
        Assert.Contains(problem, error.Message);
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        if (entryIndex is int index)
        {
            Assert.Contains($"entry {index}", error.Message);
        }
    }

    private static SentencePieceTokenizer LoadSmall(TempFolder folder, params (string Piece, double? Score)[] pieces)
    {
        var entries = Reserved.Select(piece => $"[{JsonSerializer.Serialize(piece)}, 0]")
            .Concat(pieces.Select(p => $"[{JsonSerializer.Serialize(p.Piece)}, " +
                $"{(p.Score is double s ? s.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null")}]"));
        string path = folder.Write($"vocab-{Guid.NewGuid():N}.json", "[" + string.Join(",", entries) + "]");
        return SentencePieceTokenizer.Load(path);
    }
}
