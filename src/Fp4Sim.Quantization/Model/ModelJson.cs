using System.Text.Json;
using System.Text.Unicode;

namespace Fp4Sim.Quantization.Model;

/// <summary>
/// Strict reading of the JSON in model files: every missing field, wrong kind or out-of-range number becomes a
/// <see cref="ModelFileException"/> naming the file and the entry (<c>owner</c>, e.g. <c>weight 'x'</c>).
/// </summary>
internal static class ModelJson
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Parses <paramref name="utf8"/>, wrapping the parser's error.</summary>
    public static JsonDocument Parse(string file, ReadOnlyMemory<byte> utf8)
    {
        // The parser accepts invalid UTF-8 inside strings and only fails when one is read, far from the parse.
        if (!Utf8.IsValid(utf8.Span))
            throw new ModelFileException(file, "is not valid JSON: the text is not valid UTF-8");
        try
        {
            return JsonDocument.Parse(utf8, Strict);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(file, $"is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The property <paramref name="name"/> of <paramref name="owner"/>, which must be of <paramref name="kind"/>.</summary>
    public static JsonElement Require(string file, string owner, JsonElement element, string name, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
            throw new ModelFileException(file, $"{owner} has no '{name}'");
        if (value.ValueKind != kind)
            throw new ModelFileException(file, $"{owner} has a '{name}' that is {Describe(value)}, not {Describe(kind)}");
        return value;
    }

    /// <summary>The string property <paramref name="name"/> of <paramref name="owner"/>.</summary>
    public static string RequireString(string file, string owner, JsonElement element, string name) =>
        Require(file, owner, element, name, JsonValueKind.String).GetString()!;

    /// <summary>Checks that <paramref name="owner"/> itself is of <paramref name="kind"/>.</summary>
    public static void Expect(string file, string owner, JsonElement element, JsonValueKind kind)
    {
        if (element.ValueKind != kind)
            throw new ModelFileException(file, $"{owner} is {Describe(element)}, not {Describe(kind)}");
    }

    /// <summary>
    /// The <c>shape</c> of <paramref name="owner"/> with its element count: an array of non-negative 32-bit integers
    /// whose product one array can hold.
    /// </summary>
    public static (int[] Shape, long ElementCount) RequireShape(string file, string owner, JsonElement element)
    {
        JsonElement array = Require(file, owner, element, "shape", JsonValueKind.Array);
        var shape = new int[array.GetArrayLength()];
        int axis = 0;
        foreach (JsonElement dimension in array.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out int size) || size < 0)
                throw new ModelFileException(
                    file, $"{owner} has shape dimension {axis} = {dimension.GetRawText()}, not an integer in [0, {int.MaxValue}]");
            shape[axis++] = size;
        }

        if (!TensorShape.TryCountElements(shape, out long count))
            throw new ModelFileException(file, $"{owner}: {TensorShape.WhyUncountable(shape)}");
        return (shape, count);
    }

    /// <summary>A JSON value's kind in words, for messages.</summary>
    public static string Describe(JsonElement element) => Describe(element.ValueKind);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
