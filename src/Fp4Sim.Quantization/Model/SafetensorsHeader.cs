using System.Text.Json;

namespace Fp4Sim.Quantization.Model;

/// <summary>One tensor entry of a safetensors header; offsets are relative to the start of the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, TensorDType DType, int[] Shape, long ElementCount, long Begin, long End);

/// <summary>
/// A parsed and validated safetensors header: entries sorted by offset (storage order) that tile the data buffer
/// exactly, plus the <c>__metadata__</c> strings.
/// </summary>
internal sealed record SafetensorsHeader(IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The header key that holds free-form string metadata rather than a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// Parses <paramref name="json"/> and checks it the way the reference implementation does: known dtypes,
    /// <c>end − begin = prod(shape) · sizeof(dtype)</c>, offsets inside the <paramref name="bufferLength"/>-byte
    /// buffer, and the tensors' byte ranges covering the buffer with no gap and no overlap.
    /// </summary>
    public static SafetensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long bufferLength)
    {
        using JsonDocument document = ModelJson.Parse(path, json);
        JsonElement root = document.RootElement;
        ModelJson.Expect(path, "the header", root, JsonValueKind.Object);

        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal); // the JSON parser keeps duplicate keys; the format does not
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!keys.Add(property.Name))
                throw new ModelFileException(path, $"the header has the key '{property.Name}' twice");
            if (property.Name == MetadataKey)
                ReadMetadata(path, property.Value, metadata);
            else
                entries.Add(ReadEntry(path, property.Name, property.Value, bufferLength));
        }

        entries.Sort((a, b) => (a.Begin, a.End).CompareTo((b.Begin, b.End)));
        CheckTiling(path, entries, bufferLength);
        return new SafetensorsHeader(entries, metadata);
    }

    private static SafetensorsEntry ReadEntry(string path, string name, JsonElement entry, long bufferLength)
    {
        string owner = $"tensor '{name}'";
        ModelJson.Expect(path, owner, entry, JsonValueKind.Object);
        string dtypeName = ModelJson.RequireString(path, owner, entry, "dtype");
        if (!TensorDTypes.TryParseSafetensorsName(dtypeName, out TensorDType dtype))
            throw new ModelFileException(path, $"{owner} has unknown dtype '{dtypeName}'");
        (int[] shape, long count) = ModelJson.RequireShape(path, owner, entry);

        JsonElement offsets = ModelJson.Require(path, owner, entry, "data_offsets", JsonValueKind.Array);
        if (offsets.GetArrayLength() != 2
            || !TryGetOffset(offsets[0], out long begin) || !TryGetOffset(offsets[1], out long end))
            throw new ModelFileException(path, $"{owner} has data_offsets {offsets.GetRawText()}, not two non-negative integers");
        string range = $"data_offsets [{begin},{end}]";
        if (end < begin)
            throw new ModelFileException(path, $"{owner} has {range} that end before they begin");
        if (end > bufferLength)
            throw new ModelFileException(path, $"{owner} has {range} beyond the {bufferLength}-byte data buffer");

        long bytes = count * dtype.SizeInBytes(); // count < 2^31 and sizes ≤ 8: no overflow
        if (end - begin != bytes)
            throw new ModelFileException(
                path,
                $"{owner} has shape {TensorShape.Format(shape)} = {count} {dtypeName} values = {bytes} bytes "
                + $"but {range} span {end - begin} bytes");
        return new SafetensorsEntry(name, dtype, shape, count, begin, end);
    }

    private static bool TryGetOffset(JsonElement element, out long offset)
    {
        offset = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out offset) && offset >= 0;
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return; // the reference writer emits null for "no metadata"
        ModelJson.Expect(path, MetadataKey, value, JsonValueKind.Object);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new ModelFileException(
                    path, $"{MetadataKey} entry '{item.Name}' is {ModelJson.Describe(item.Value)}, not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new ModelFileException(path, $"{MetadataKey} has the key '{item.Name}' twice");
        }
    }

    // Sorted by offset, each tensor must start where the previous one ended, and the last must end at the buffer's
    // end: a gap is data no tensor owns (often a sign of a wrong header), an overlap makes two tensors share bytes.
    private static void CheckTiling(string path, IReadOnlyList<SafetensorsEntry> sorted, long bufferLength)
    {
        long cursor = 0;
        SafetensorsEntry? previous = null;
        foreach (SafetensorsEntry entry in sorted)
        {
            if (entry.Begin > cursor)
                throw new ModelFileException(
                    path, $"bytes [{cursor},{entry.Begin}) of the data buffer belong to no tensor (gap before tensor '{entry.Name}')");
            if (entry.Begin < cursor)
                throw new ModelFileException(
                    path,
                    $"tensor '{entry.Name}' at [{entry.Begin},{entry.End}) overlaps tensor '{previous!.Name}' at [{previous.Begin},{previous.End})");
            cursor = entry.End;
            previous = entry;
        }

        if (cursor != bufferLength)
            throw new ModelFileException(
                path, $"bytes [{cursor},{bufferLength}) at the end of the data buffer belong to no tensor");
    }
}
