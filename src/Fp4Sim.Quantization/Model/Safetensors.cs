using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Quantization.Model;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length <c>N</c>, <c>N</c> bytes of UTF-8
/// JSON mapping each tensor name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (plus an optional
/// <c>__metadata__</c> object of strings), then the data buffer the offsets point into. Only F32 and I32 tensors are
/// loaded; the other standard dtypes are recognized and refused by name.
/// </summary>
public static class Safetensors
{
    /// <summary>
    /// The largest header accepted (the reference implementation's limit), so a corrupt length cannot make the reader
    /// allocate gigabytes.
    /// </summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const int LengthPrefixBytes = sizeof(ulong);

    /// <summary>Reads every tensor of <paramref name="path"/>; the set enumerates them in data-offset order.</summary>
    /// <exception cref="ModelFileException">The file is missing, malformed, or holds a dtype other than F32/I32.</exception>
    public static TensorSet Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            SafetensorsHeader header = ReadHeader(path, stream);
            foreach (SafetensorsEntry entry in header.Entries)
            {
                if (!entry.DType.IsLoadable())
                    throw new ModelFileException(
                        path, $"dtype {entry.DType.SafetensorsName()} of tensor '{entry.Name}' is not supported (float32 and int32 only)");
            }

            // The entries tile the buffer in offset order, so reading them in that order is one sequential pass.
            var tensors = new List<NamedTensor>(header.Entries.Count);
            foreach (SafetensorsEntry entry in header.Entries)
                tensors.Add(TensorBytes.Read(entry.Name, entry.Shape, entry.DType, checked((int)entry.ElementCount), stream.ReadExactly));
            return new TensorSet(path, tensors, header.Metadata);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFileException(path, "not found", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFileException(path, "ended early (did it change while being read?)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, $"cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> in the given order (header entries and data
    /// buffer both follow it, so <see cref="Read"/> returns them in that order). The header is padded with spaces to a
    /// multiple of 8 bytes, as the reference implementation does, which keeps the data 8-byte aligned. The file is
    /// written atomically: to a temporary file beside the target, flushed, then renamed over it; on failure the
    /// temporary file is deleted and an existing target is left untouched.
    /// </summary>
    /// <exception cref="ModelFileException">Names repeat or use the reserved <c>__metadata__</c>, or writing fails.</exception>
    public static void Write(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        NamedTensor[] ordered = [.. tensors]; // the header needs every offset before the first data byte
        byte[] header = BuildHeader(path, ordered, metadata);

        try
        {
            using AtomicFile file = AtomicFile.Create(path);
            Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            file.Stream.Write(prefix);
            file.Stream.Write(header);
            foreach (NamedTensor tensor in ordered)
                TensorBytes.Write(file.Stream, tensor);
            file.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, $"cannot be written: {e.Message}", e);
        }
    }

    private static SafetensorsHeader ReadHeader(string path, FileStream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < LengthPrefixBytes)
            throw new ModelFileException(path, $"is {fileLength} bytes, too short for the 8-byte header length");
        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        long available = fileLength - LengthPrefixBytes;
        if (headerLength > (ulong)available)
            throw new ModelFileException(
                path, $"header length {headerLength} is beyond the end of the file ({available} bytes follow the length)");
        if (headerLength > MaxHeaderBytes)
            throw new ModelFileException(path, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");

        var json = new byte[(int)headerLength];
        stream.ReadExactly(json);
        return SafetensorsHeader.Parse(path, json, available - json.Length);
    }

    private static byte[] BuildHeader(string path, NamedTensor[] tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedTensor tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (tensor.Name == SafetensorsHeader.MetadataKey)
                throw new ModelFileException(path, $"cannot write a tensor named '{SafetensorsHeader.MetadataKey}' (the name is reserved)");
            if (!names.Add(tensor.Name))
                throw new ModelFileException(path, $"cannot write tensor name '{tensor.Name}' twice");
        }

        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names readable; the header is never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach ((string key, string value) in metadata)
                    json.WriteString(key, value ?? throw new ArgumentException($"metadata '{key}' is null", nameof(metadata)));
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (NamedTensor tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.SafetensorsName());
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.ByteCount;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
