using System.Text;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Text;

namespace Fp4Sim.Training.Train;

/// <summary>
/// Byte-level training text: documents split into train and validation by document with a seeded shuffle, each part
/// concatenated in corpus order with <see cref="Separator"/> between documents and encoded as UTF-8 bytes (the tokens).
/// </summary>
public sealed class TextData
{
    /// <summary>The text put between two documents.</summary>
    public const string Separator = "\n\n";

    /// <summary>Default share of documents held out for validation.</summary>
    public const double DefaultValidationFraction = 0.05;

    /// <summary>Default seed of the train/validation split (independent of the run seed, so every run sees the same split).</summary>
    public const ulong DefaultSplitSeed = 0x5EED_5917;

    private TextData(byte[] train, byte[] validation, IReadOnlyList<string> trainKeys, IReadOnlyList<string> validationKeys)
    {
        Train = train;
        Validation = validation;
        TrainKeys = trainKeys;
        ValidationKeys = validationKeys;
    }

    /// <summary>The training stream (UTF-8 bytes).</summary>
    public ReadOnlyMemory<byte> Train { get; }

    /// <summary>The validation stream (UTF-8 bytes).</summary>
    public ReadOnlyMemory<byte> Validation { get; }

    /// <summary>Documents in the training stream.</summary>
    public int TrainDocuments => TrainKeys.Count;

    /// <summary>Documents in the validation stream.</summary>
    public int ValidationDocuments => ValidationKeys.Count;

    /// <summary>Keys (for mails <c>group/id</c>) of the training documents, in stream order.</summary>
    internal IReadOnlyList<string> TrainKeys { get; }

    /// <summary>Keys of the validation documents, in stream order.</summary>
    internal IReadOnlyList<string> ValidationKeys { get; }

    /// <summary>
    /// The ham mails of the SpamAssassin corpus in <paramref name="dataDirectory"/> (spam is left out: much of it is
    /// HTML residue and repeated boilerplate, ham is ordinary English mail), split by mail.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The corpus is missing (see <see cref="SpamCorpus.Load"/>).</exception>
    public static TextData LoadHam(string dataDirectory, double validationFraction = DefaultValidationFraction,
        ulong splitSeed = DefaultSplitSeed)
    {
        IEnumerable<Mail> ham = SpamCorpus.Load(dataDirectory).Where(m => !m.IsSpam && !string.IsNullOrWhiteSpace(m.Text));
        return FromDocuments([.. ham.Select(m => (m.Group + "/" + m.Id, m.Text))], validationFraction, splitSeed);
    }

    /// <summary>
    /// Splits keyed documents: a <see cref="SplitMix64"/> shuffle seeded by <paramref name="splitSeed"/> picks
    /// round(n · <paramref name="validationFraction"/>) of them (at least one) for validation; both parts keep the
    /// given order.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two documents, duplicate keys, or a fraction outside (0, 1).</exception>
    public static TextData FromDocuments(IReadOnlyList<(string Key, string Text)> documents, double validationFraction,
        ulong splitSeed)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count < 2) throw new ArgumentException($"need at least two documents to split, got {documents.Count}");
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentException($"validation fraction must be in (0, 1), got {validationFraction}");
        if (documents.Select(d => d.Key).Distinct(StringComparer.Ordinal).Count() != documents.Count)
            throw new ArgumentException("document keys must be unique");

        int validationCount = Math.Clamp((int)Math.Round(documents.Count * validationFraction), 1, documents.Count - 1);
        int[] order = [.. Enumerable.Range(0, documents.Count)];
        new SplitMix64(splitSeed).Shuffle(order);
        int[] validation = [.. order.Take(validationCount).Order()];
        int[] train = [.. order.Skip(validationCount).Order()];
        return new TextData(Encode(documents, train), Encode(documents, validation), [.. train.Select(i => documents[i].Key)],
            [.. validation.Select(i => documents[i].Key)]);
    }

    private static byte[] Encode(IReadOnlyList<(string Key, string Text)> documents, int[] indices) =>
        Encoding.UTF8.GetBytes(string.Join(Separator, indices.Select(i => documents[i].Text)));
}
