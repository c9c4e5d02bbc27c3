namespace Fp4Sim.Quantization.Text;

/// <summary>
/// Thrown when a SentencePiece vocabulary file (JSON array of <c>[piece, score]</c> pairs) is malformed.
/// The message is a single line naming the file and, where it applies, the offending entry index.
/// </summary>
public sealed class VocabularyException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">Vocabulary file that failed to load.</param>
    /// <param name="entryIndex">Zero-based index of the offending entry, or null when the problem is not tied to one entry.</param>
    /// <param name="problem">Short description of what is wrong.</param>
    /// <param name="innerException">Underlying parser error, if any.</param>
    public VocabularyException(string path, int? entryIndex, string problem, Exception? innerException = null)
        : base(BuildMessage(path, entryIndex, problem), innerException)
    {
        Path = path;
        EntryIndex = entryIndex;
    }

    /// <summary>Vocabulary file that failed to load.</summary>
    public string Path { get; }

    /// <summary>Zero-based index of the offending entry, or null when the problem concerns the whole file.</summary>
    public int? EntryIndex { get; }

    private static string BuildMessage(string path, int? entryIndex, string problem)
    {
        string where = entryIndex is int index ? $"entry {index}: " : string.Empty;
        string oneLine = problem.ReplaceLineEndings(" ");
        return $"Invalid vocabulary file '{path}': {where}{oneLine}";
    }
}
