using System.Text.Json;

namespace Fp4Sim.Quantization.Text;

/// <summary>
/// Unigram SentencePiece tokenizer reproducing the behaviour of the TensorFlow.js Universal Sentence
/// Encoder (lite) tokenizer: NFKC normalization, spaces replaced by U+2581 ("▁") with one "▁"
/// prepended, then a best-score (Viterbi) segmentation over Unicode code points using the piece scores
/// from the vocabulary.
/// </summary>
/// <remarks>
/// <para>Ids are vocabulary indices and are fed to the model unchanged (no offset). Entries 0 to 5 are
/// reserved (unknown, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, extra tokens) and never matched; id 0 marks
/// unknown input. No clipping to the model's maximum length is done here.</para>
/// <para>Lattice rules, as in the reference: start positions are visited in increasing order and, at
/// each start <c>i</c>, every vocabulary piece matching there is offered to its end position <c>j</c>
/// with score <c>best[i] + score(piece)</c>; when no piece matches at <c>i</c>, the single code point is
/// offered instead as an unknown symbol (id 0, score 0, so <c>best[i] + 0</c>). A candidate replaces the
/// current one at <c>j</c> when <c>best[j]</c> is exactly 0 (the initial value, read as "nothing yet";
/// real scores are negative) or when it is greater than or equal to <c>best[j]</c>, so among equal
/// scores the candidate with the later start wins. Backtracking from the end yields the pieces, and
/// consecutive unknown ids are merged into a single 0. A null score in the vocabulary counts as 0 (as
/// JavaScript's <c>null + number</c> does); when a piece occurs several times, the last occurrence
/// wins.</para>
/// <para>Two reference details that cannot matter for the USE vocabulary are done the intended way
/// here: the backward pass steps over an unknown symbol as one code point (the reference steps by the
/// UTF-16 length of piece 0, which is 1 for "\uFFFD"), and over a piece by its length in code points
/// (the reference uses UTF-16 length; the USE vocabulary has no piece outside the BMP).</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class SentencePieceTokenizer
{
    /// <summary>Number of leading vocabulary entries that are control symbols and never matched.</summary>
    public const int ReservedCount = 6;

    /// <summary>Id emitted for a code point at which no vocabulary piece starts (runs of them give one id).</summary>
    public const int UnknownId = 0;

    /// <summary>The word-boundary marker "▁" (U+2581) that replaces spaces.</summary>
    public const char WordBoundary = '\u2581';

    private readonly string[] _pieces;
    private readonly int[] _pieceLengths; // in code points

    // Frozen trie: node n has children childKeys/childNodes[childStart[n] .. childStart[n + 1]) sorted by key.
    private readonly int[] _childStart;
    private readonly int[] _childKeys;
    private readonly int[] _childNodes;
    private readonly int[] _nodePiece;      // vocabulary id ending at node, -1 if none
    private readonly double[] _nodeScore;

    private SentencePieceTokenizer(string[] pieces, double[] scores)
    {
        _pieces = pieces;
        _pieceLengths = new int[pieces.Length];
        for (int id = 0; id < pieces.Length; id++)
        {
            _pieceLengths[id] = CountCodePoints(pieces[id]);
        }

        // Build a mutable trie first, then freeze it into flat sorted arrays.
        var children = new List<Dictionary<int, int>> { new() };
        var nodePiece = new List<int> { -1 };
        var nodeScore = new List<double> { 0 };
        for (int id = ReservedCount; id < pieces.Length; id++)
        {
            int node = 0;
            foreach (int cp in CodePoints(pieces[id]))
            {
                if (!children[node].TryGetValue(cp, out int next))
                {
                    next = children.Count;
                    children.Add(new Dictionary<int, int>());
                    nodePiece.Add(-1);
                    nodeScore.Add(0);
                    children[node][cp] = next;
                }

                node = next;
            }

            nodePiece[node] = id; // a later duplicate overwrites an earlier one
            nodeScore[node] = scores[id];
        }

        int nodeCount = children.Count;
        _childStart = new int[nodeCount + 1];
        _childKeys = new int[nodeCount - 1];
        _childNodes = new int[nodeCount - 1];
        int offset = 0;
        for (int n = 0; n < nodeCount; n++)
        {
            _childStart[n] = offset;
            foreach (var (key, child) in children[n].OrderBy(pair => pair.Key))
            {
                _childKeys[offset] = key;
                _childNodes[offset] = child;
                offset++;
            }
        }

        _childStart[nodeCount] = offset;
        _nodePiece = nodePiece.ToArray();
        _nodeScore = nodeScore.ToArray();
    }

    /// <summary>Number of entries in the vocabulary, reserved ones included.</summary>
    public int VocabularySize => _pieces.Length;

    /// <summary>Loads a vocabulary: a JSON array of <c>[piece, score]</c> pairs (score a number or null).</summary>
    /// <param name="vocabJsonPath">Path of the <c>vocab.json</c> file.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentException"><paramref name="vocabJsonPath"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="VocabularyException">The file is not a valid vocabulary.</exception>
    public static SentencePieceTokenizer Load(string vocabJsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabJsonPath);
        if (!File.Exists(vocabJsonPath))
        {
            throw new FileNotFoundException(
                $"Vocabulary file '{vocabJsonPath}' not found; run `bash scripts/setup.sh` to download the model.",
                vocabJsonPath);
        }

        byte[] bytes = File.ReadAllBytes(vocabJsonPath);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new VocabularyException(vocabJsonPath, null, $"not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new VocabularyException(vocabJsonPath, null, $"expected a JSON array of [piece, score] pairs, found {root.ValueKind}");
            }

            int count = root.GetArrayLength();
            if (count < ReservedCount)
            {
                throw new VocabularyException(vocabJsonPath, null,
                    $"expected at least {ReservedCount} entries (the reserved symbols), found {count}");
            }

            var pieces = new string[count];
            var scores = new double[count];
            int index = 0;
            foreach (JsonElement entry in root.EnumerateArray())
            {
                (pieces[index], scores[index]) = ReadEntry(vocabJsonPath, index, entry);
                index++;
            }

            return new SentencePieceTokenizer(pieces, scores);
        }
    }

    /// <summary>Tokenizes <paramref name="text"/> into vocabulary ids.</summary>
    /// <param name="text">Input text (any length; an empty string gives no ids).</param>
    /// <returns>The ids, in text order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string normalized = Nfkc.Normalize(text);
        if (normalized.Length == 0)
        {
            return [];
        }

        // Symbols: "▁" followed by the code points of the text with ' ' replaced by "▁".
        // A lone surrogate stays one symbol (as in JavaScript) and is never in the vocabulary.
        var symbols = new int[normalized.Length + 1];
        int n = 0;
        symbols[n++] = WordBoundary;
        for (int k = 0; k < normalized.Length; k++)
        {
            char c = normalized[k];
            int cp = c;
            if (char.IsHighSurrogate(c) && k + 1 < normalized.Length && char.IsLowSurrogate(normalized[k + 1]))
            {
                cp = char.ConvertToUtf32(c, normalized[k + 1]);
                k++;
            }

            symbols[n++] = cp == ' ' ? WordBoundary : cp;
        }

        var best = new double[n + 1];
        var words = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            double prefix = best[i];
            bool matched = false;
            int node = 0;
            for (int j = i; j < n; j++)
            {
                node = Child(node, symbols[j]);
                if (node < 0)
                {
                    break;
                }

                int id = _nodePiece[node];
                if (id >= 0)
                {
                    matched = true;
                    Offer(best, words, j + 1, prefix + _nodeScore[node], id);
                }
            }

            if (!matched)
            {
                Offer(best, words, i + 1, prefix, UnknownId); // one unknown code point, score 0
            }
        }

        // Backtrack, merging runs of unknowns, then reverse.
        var result = new List<int>();
        bool previousUnknown = false;
        for (int position = n; position > 0;)
        {
            int id = words[position];
            bool unknown = id == UnknownId;
            if (!(unknown && previousUnknown))
            {
                result.Add(id);
            }

            previousUnknown = unknown;
            position -= unknown ? 1 : _pieceLengths[id];
        }

        result.Reverse();
        return result.ToArray();
    }

    /// <summary>Returns the vocabulary piece for an id.</summary>
    /// <param name="id">Vocabulary index, 0 to <see cref="VocabularySize"/> - 1.</param>
    /// <returns>The piece text (word-boundary marker included).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside the vocabulary.</exception>
    public string Piece(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _pieces.Length);
        return _pieces[id];
    }

    private static void Offer(double[] best, int[] words, int end, double score, int id)
    {
        // best[end] == 0 means "nothing yet" in the reference, so any candidate replaces it.
        if (best[end] == 0 || score >= best[end])
        {
            best[end] = score;
            words[end] = id;
        }
    }

    private int Child(int node, int key)
    {
        int start = _childStart[node];
        int index = _childKeys.AsSpan(start, _childStart[node + 1] - start).BinarySearch(key);
        return index >= 0 ? _childNodes[start + index] : -1;
    }

    private static (string Piece, double Score) ReadEntry(string path, int index, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2)
        {
            throw new VocabularyException(path, index, $"expected a [piece, score] pair, found {Describe(entry)}");
        }

        JsonElement pieceElement = entry[0];
        JsonElement scoreElement = entry[1];
        if (pieceElement.ValueKind != JsonValueKind.String)
        {
            throw new VocabularyException(path, index, $"piece must be a string, found {pieceElement.ValueKind}");
        }

        string piece;
        try
        {
            piece = pieceElement.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new VocabularyException(path, index, $"piece is not valid text ({ex.Message})", ex);
        }

        if (piece.Length == 0)
        {
            throw new VocabularyException(path, index, "piece must not be empty");
        }

        double score = 0.0; // a null score counts as 0, like JavaScript's null + number
        if (scoreElement.ValueKind == JsonValueKind.Number)
        {
            if (!scoreElement.TryGetDouble(out score) || !double.IsFinite(score))
            {
                throw new VocabularyException(path, index, $"score {scoreElement.GetRawText()} is not a finite double");
            }
        }
        else if (scoreElement.ValueKind != JsonValueKind.Null)
        {
            throw new VocabularyException(path, index, $"score must be a number or null, found {scoreElement.ValueKind}");
        }

        return (piece, score);
    }

    private static string Describe(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? $"an array of {element.GetArrayLength()} elements" : element.ValueKind.ToString();

    private static int CountCodePoints(string text)
    {
        int count = 0;
        foreach (int _ in CodePoints(text))
        {
            count++;
        }

        return count;
    }

    /// <summary>Code points of a string; a lone surrogate is one element (JavaScript string iteration).</summary>
    private static IEnumerable<int> CodePoints(string text)
    {
        for (int k = 0; k < text.Length; k++)
        {
            char c = text[k];
            if (char.IsHighSurrogate(c) && k + 1 < text.Length && char.IsLowSurrogate(text[k + 1]))
            {
                yield return char.ConvertToUtf32(c, text[k + 1]);
                k++;
            }
            else
            {
                yield return c;
            }
        }
    }
}
