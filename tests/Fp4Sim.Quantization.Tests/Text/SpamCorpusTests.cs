using System.Text.Json;
using Fp4Sim.Quantization.Text;
using Fp4Sim.TestSupport;
using Xunit.Abstractions;

namespace Fp4Sim.Quantization.Tests.Text;

public sealed class SpamCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_ReadsAndSortsAllGroups()
    {
        using var folder = new TempFolder();
        WriteCorpus(folder, perGroup: 3);
        var mails = SpamCorpus.Load(folder.Path);

        Assert.Equal(15, mails.Count);
        Assert.Equal(SpamCorpus.Groups.SelectMany(g => new[] { g, g, g }), mails.Select(m => m.Group));
        Assert.Equal(["00001", "00002", "00003"], mails.Take(3).Select(m => m.Id));
        Assert.Equal(6, mails.Count(m => m.IsSpam));
        Assert.All(mails, m => Assert.Equal(m.Group.StartsWith("spam", StringComparison.Ordinal), m.IsSpam));
        Assert.Equal("Message 2 of spam-1 Hello from spam-1.", mails.Single(m => m is { Group: "spam-1", Id: "00002" }).Text);
    }

    [Fact]
    public void Load_MissingFolderNamesTheSetupScript()
    {
        string path = Path.Combine(Path.GetTempPath(), "fp4sim-no-such-corpus-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DirectoryNotFoundException>(() => SpamCorpus.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(TestPaths.SetupCommand, error.Message);
    }

    [Fact]
    public void Load_MissingGroupFolderIsNamed()
    {
        using var folder = new TempFolder();
        WriteCorpus(folder, perGroup: 1);
        Directory.Delete(Path.Combine(folder.Path, "hard-ham-1"), recursive: true);
        var error = Assert.Throws<DirectoryNotFoundException>(() => SpamCorpus.Load(folder.Path));
        Assert.Contains("hard-ham-1", error.Message);
        Assert.Contains(TestPaths.SetupCommand, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_EmptyGroupFolderIsAnError()
    {
        using var folder = new TempFolder();
        WriteCorpus(folder, perGroup: 1);
        foreach (string file in Directory.GetFiles(Path.Combine(folder.Path, "spam-2")))
        {
            File.Delete(file);
        }

        var error = Assert.Throws<InvalidDataException>(() => SpamCorpus.Load(folder.Path));
        Assert.Contains("spam-2", error.Message);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"id\": \"00009\", \"group\": \"spam-1\"}", "missing string property \"text\"")]
    [InlineData("{\"id\": 9, \"group\": \"spam-1\", \"text\": \"x\"}", "missing string property \"id\"")]
    [InlineData("{\"id\": \"00009\", \"group\": \"easy-ham-1\", \"text\": \"x\"}", "does not match its folder")]
    public void Load_RejectsMalformedMailFiles(string json, string problem)
    {
        using var folder = new TempFolder();
        WriteCorpus(folder, perGroup: 2);
        string bad = folder.Write(Path.Combine("spam-1", "00009.0123456789abcdef0123456789abcdef.json"), json);
        var error = Assert.Throws<InvalidDataException>(() => SpamCorpus.Load(folder.Path));
        Assert.Contains(bad, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Split_IsDisjointStratifiedAndSized()
    {
        var mails = SyntheticCorpus(spam: 30, ham: 70);
        var splits = SpamCorpus.Split(mails, seed: 7, calibration: 10, train: 50, evaluation: 25);

        Assert.Equal(10, splits.Calibration.Count);
        Assert.Equal(50, splits.Train.Count);
        Assert.Equal(25, splits.Evaluation.Count);
        var all = splits.Calibration.Concat(splits.Train).Concat(splits.Evaluation).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        AssertStratified(splits.Train, 0.3);
        AssertStratified(splits.Evaluation, 0.3);
        AssertStratified(splits.Calibration, 0.3);
    }

    [Fact]
    public void Split_IsDeterministicPerSeed()
    {
        var mails = SyntheticCorpus(spam: 40, ham: 60);
        var first = SpamCorpus.Split(mails, seed: 123, calibration: 5, train: 40, evaluation: 20);
        var again = SpamCorpus.Split(mails, seed: 123, calibration: 5, train: 40, evaluation: 20);
        var other = SpamCorpus.Split(mails, seed: 124, calibration: 5, train: 40, evaluation: 20);

        Assert.Equal(Ids(first.Train), Ids(again.Train));
        Assert.Equal(Ids(first.Evaluation), Ids(again.Evaluation));
        Assert.Equal(Ids(first.Calibration), Ids(again.Calibration));
        Assert.NotEqual(Ids(first.Train), Ids(other.Train));
    }

    [Fact]
    public void Split_InterleavesSpamAndHam()
    {
        var splits = SpamCorpus.Split(SyntheticCorpus(spam: 50, ham: 50), seed: 1, calibration: 4, train: 60, evaluation: 30);
        Assert.NotEqual(splits.Train.OrderByDescending(m => m.IsSpam).Select(m => m.IsSpam), splits.Train.Select(m => m.IsSpam));
    }

    [Fact]
    public void Split_CanUseTheWholeCorpusEvenWhenRoundingWouldOverdrawAClass()
    {
        var mails = SyntheticCorpus(spam: 3, ham: 1);
        var splits = SpamCorpus.Split(mails, seed: 5, calibration: 1, train: 2, evaluation: 1);
        var all = splits.Calibration.Concat(splits.Train).Concat(splits.Evaluation).ToList();
        Assert.Equal(mails.OrderBy(m => m.Id), all.OrderBy(m => m.Id));
    }

    [Theory]
    [InlineData(0, 10, 10, "calibration")]
    [InlineData(5, -1, 10, "train")]
    [InlineData(5, 10, 0, "evaluation")]
    [InlineData(5, 101, 1, "train")]
    [InlineData(5, 80, 21, "evaluation")]
    [InlineData(6, 80, 15, "calibration")]
    public void Split_ValidatesSizes(int calibration, int train, int evaluation, string parameter)
    {
        var mails = SyntheticCorpus(spam: 50, ham: 50);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SpamCorpus.Split(mails, 1, calibration, train, evaluation));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Split_RejectsNull() => Assert.Throws<ArgumentNullException>(() => SpamCorpus.Split(null!, 1));

    [Fact]
    public void RealCorpus_LoadsAndSplits()
    {
        string directory = TestPaths.RequireDirectory(TestPaths.DataDirectory());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var mails = SpamCorpus.Load(directory);
        output.WriteLine($"Loaded {mails.Count} mails in {watch.ElapsedMilliseconds} ms");

        Assert.Equal(6046, mails.Count);
        Assert.Equal(1896, mails.Count(m => m.IsSpam));
        Assert.Equal([2500, 1400, 250, 500, 1396], SpamCorpus.Groups.Select(g => mails.Count(m => m.Group == g)));
        Assert.All(mails, m => Assert.InRange(m.Text.Length, 1, MailText.MaxLength));
        Assert.Equal(("easy-ham-1", "00001"), (mails[0].Group, mails[0].Id));

        var splits = SpamCorpus.Split(mails, seed: 42);
        Assert.Equal((32, 1000, 500), (splits.Calibration.Count, splits.Train.Count, splits.Evaluation.Count));
        double share = 1896.0 / 6046.0;
        AssertStratified(splits.Train, share);
        AssertStratified(splits.Evaluation, share);
        var keys = splits.Calibration.Concat(splits.Train).Concat(splits.Evaluation).Select(m => (m.Group, m.Id)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    private static void AssertStratified(IReadOnlyList<Mail> set, double spamShare)
    {
        double expected = set.Count * spamShare;
        int actual = set.Count(m => m.IsSpam);
        Assert.True(Math.Abs(actual - expected) <= 1.0, $"{actual} spam in {set.Count} mails, expected {expected:F1} +- 1");
    }

    private static List<string> Ids(IReadOnlyList<Mail> mails) => mails.Select(m => m.Group + "/" + m.Id).ToList();

    private static List<Mail> SyntheticCorpus(int spam, int ham) =>
        Enumerable.Range(0, spam).Select(i => new Mail($"s{i:D4}", "spam-1", true, $"spam {i}"))
            .Concat(Enumerable.Range(0, ham).Select(i => new Mail($"h{i:D4}", "easy-ham-1", false, $"ham {i}")))
            .ToList();

    private static void WriteCorpus(TempFolder folder, int perGroup)
    {
        foreach (string group in SpamCorpus.Groups)
        {
            // Written in reverse order to check that Load sorts.
            for (int i = perGroup; i >= 1; i--)
            {
                string id = i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
                string text = $"From: x@example.com\nSubject: Message {i} of {group}\n\nHello from {group}.\n";
                string json = JsonSerializer.Serialize(new
                {
                    id,
                    group,
                    checksum = new { type = "MD5", value = "0123456789abcdef0123456789abcdef" },
                    text,
                });
                folder.Write(Path.Combine(group, $"{id}.0123456789abcdef0123456789abcdef.json"), json);
                folder.Write(Path.Combine(group, $"{id}.0123456789abcdef0123456789abcdef.txt"), text);
            }
        }
    }
}
