using System.Runtime.ExceptionServices;
using System.Text.Json;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Quantization.Text;

/// <summary>
/// Loads the SpamAssassin public corpus as unpacked by <c>scripts/setup.sh</c> (one folder per group,
/// one <c>&lt;id&gt;.&lt;md5&gt;.json</c> file per message) and splits it into calibration, training
/// and evaluation sets.
/// </summary>
public static class SpamCorpus
{
    /// <summary>The group folders the corpus must contain, in sort order.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"];

    private const string SetupHint = "run `bash scripts/setup.sh` to download and unpack the corpus";

    /// <summary>
    /// Loads every message of every group, extracting its text with <see cref="MailText.Extract(string)"/>.
    /// </summary>
    /// <param name="dataDirectory">Folder holding the group folders (for example <c>.cache/data/spam-assassin</c>).</param>
    /// <returns>The mails sorted by group, then id (ordinal), so the order is the same on every run.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataDirectory"/> is null or empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder or one of the <see cref="Groups"/> folders is missing.</exception>
    /// <exception cref="InvalidDataException">A group folder holds no mails, or a mail file is malformed or in the wrong folder.</exception>
    public static IReadOnlyList<Mail> Load(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            throw new DirectoryNotFoundException($"SpamAssassin corpus folder '{dataDirectory}' not found; {SetupHint}.");
        }

        var files = new List<(string Group, string Path)>();
        foreach (string group in Groups)
        {
            string folder = Path.Combine(dataDirectory, group);
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"SpamAssassin group folder '{folder}' not found; {SetupHint}.");
            }

            string[] groupFiles = Directory.GetFiles(folder, "*.json");
            if (groupFiles.Length == 0)
            {
                throw new InvalidDataException($"SpamAssassin group folder '{folder}' holds no .json mail files; {SetupHint}.");
            }

            files.AddRange(groupFiles.Select(path => (group, path)));
        }

        var mails = new Mail[files.Count];
        try
        {
            Parallel.For(0, files.Count, i => mails[i] = ReadMail(files[i].Path, files[i].Group));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Report the first bad file by name, as the sequential version would.
            ExceptionDispatchInfo.Throw(ex.InnerExceptions.OrderBy(inner => inner.Message, StringComparer.Ordinal).First());
        }
        Array.Sort(mails, CompareByGroupThenId);
        for (int i = 1; i < mails.Length; i++)
        {
            if (CompareByGroupThenId(mails[i - 1], mails[i]) == 0)
            {
                throw new InvalidDataException(
                    $"SpamAssassin corpus '{dataDirectory}': mail id '{mails[i].Id}' occurs twice in group '{mails[i].Group}'.");
            }
        }

        return mails;
    }

    /// <summary>
    /// Draws three disjoint, stratified subsets with a seeded shuffle.
    /// </summary>
    /// <remarks>
    /// Spam and ham are shuffled separately with a SplitMix64 generator seeded by <paramref name="seed"/>
    /// (bit-for-bit reproducible on every platform and .NET version). The training and evaluation sets
    /// each receive round(size × corpus spam fraction) spam mails (within one mail of the exact share),
    /// then the calibration set is drawn, stratified the same way, from the mails that remain. Each set is
    /// finally shuffled so that spam and ham are interleaved. The input order does not matter beyond
    /// determinism: pass the list returned by <see cref="Load"/> to get reproducible splits.
    /// </remarks>
    /// <param name="mails">The corpus.</param>
    /// <param name="seed">Shuffle seed.</param>
    /// <param name="calibration">Size of the calibration set (positive).</param>
    /// <param name="train">Size of the training set (positive).</param>
    /// <param name="evaluation">Size of the evaluation set (positive).</param>
    /// <returns>The three sets.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mails"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the sizes add up to more than the corpus holds.</exception>
    public static CorpusSplits Split(IReadOnlyList<Mail> mails, int seed, int calibration = 32, int train = 1000, int evaluation = 500)
    {
        ArgumentNullException.ThrowIfNull(mails);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calibration);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(train);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evaluation);
        long requested = 0;
        foreach (var (name, size) in new[] { (nameof(train), train), (nameof(evaluation), evaluation), (nameof(calibration), calibration) })
        {
            requested += size;
            if (requested > mails.Count)
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    size,
                    $"calibration ({calibration}) + train ({train}) + evaluation ({evaluation}) = {(long)calibration + train + evaluation} " +
                    $"exceeds the corpus size {mails.Count}.");
            }
        }

        var spam = mails.Where(mail => mail.IsSpam).ToList();
        var ham = mails.Where(mail => !mail.IsSpam).ToList();
        var random = new SplitMix64(unchecked((ulong)(long)seed));
        random.Shuffle(spam);
        random.Shuffle(ham);

        int total = mails.Count, spamUsed = 0, hamUsed = 0;
        List<Mail> Take(int size)
        {
            // Nearest integer to size * spamShare, clamped so both classes can still supply the set.
            long share = ((long)size * spam.Count * 2 + total) / (2L * total);
            int spamCount = (int)Math.Clamp(share, Math.Max(0, size - (ham.Count - hamUsed)), Math.Min(size, spam.Count - spamUsed));
            var set = new List<Mail>(size);
            set.AddRange(spam.GetRange(spamUsed, spamCount));
            set.AddRange(ham.GetRange(hamUsed, size - spamCount));
            spamUsed += spamCount;
            hamUsed += size - spamCount;
            random.Shuffle(set);
            return set;
        }

        List<Mail> trainSet = Take(train);
        List<Mail> evaluationSet = Take(evaluation);
        List<Mail> calibrationSet = Take(calibration);
        return new CorpusSplits(calibrationSet, trainSet, evaluationSet);
    }

    private static int CompareByGroupThenId(Mail a, Mail b)
    {
        int byGroup = string.CompareOrdinal(a.Group, b.Group);
        return byGroup != 0 ? byGroup : string.CompareOrdinal(a.Id, b.Id);
    }

    private static Mail ReadMail(string path, string folderGroup)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Mail file '{path}': expected a JSON object, found {root.ValueKind}.");
            }

            string id = RequiredString(root, "id", path);
            string group = RequiredString(root, "group", path);
            string text = RequiredString(root, "text", path);
            if (!string.Equals(group, folderGroup, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Mail file '{path}': group '{group}' does not match its folder '{folderGroup}'.");
            }

            return new Mail(id, group, group.StartsWith("spam", StringComparison.Ordinal), MailText.Extract(text));
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"Mail file '{path}': unreadable string ({ex.Message.ReplaceLineEndings(" ")}).", ex);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Mail file '{path}': not valid JSON ({ex.Message.ReplaceLineEndings(" ")}).", ex);
        }
    }

    private static string RequiredString(JsonElement root, string property, string path)
    {
        if (!root.TryGetProperty(property, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"Mail file '{path}': missing string property \"{property}\".");
        }

        string? text = value.GetString();
        if (string.IsNullOrEmpty(text) && property != "text")
        {
            throw new InvalidDataException($"Mail file '{path}': property \"{property}\" is empty.");
        }

        return text ?? string.Empty;
    }
}
