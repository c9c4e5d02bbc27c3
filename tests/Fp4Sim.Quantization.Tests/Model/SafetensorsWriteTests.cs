using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;
using static Fp4Sim.Quantization.Tests.Model.ModelTestFiles;

namespace Fp4Sim.Quantization.Tests.Model;

public sealed class SafetensorsWriteTests : IDisposable
{
    private readonly TempFolder _scratch = new();
    private readonly string _path;

    public SafetensorsWriteTests() => _path = _scratch.File("weights.safetensors");

    public void Dispose() => _scratch.Dispose();

    private static NamedTensor[] Sample() =>
    [
        NamedTensor.OfFloats("layer/weight", [2, 3],
            [1f, -0f, float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_0001), float.PositiveInfinity, float.Epsilon]),
        NamedTensor.OfInts("layer/shape", [3], [int.MinValue, 0, int.MaxValue]),
        NamedTensor.OfFloats("scale", [], [0.125f]),
        NamedTensor.OfFloats("empty", [0, 4], []),
        NamedTensor.OfInts("étiquette", [1, 1, 1], [42]),
    ];

    [Fact]
    public void Round_trip_keeps_names_shapes_value_bits_order_and_metadata()
    {
        NamedTensor[] tensors = Sample();
        var metadata = new Dictionary<string, string> { ["format"] = "fp4sim", ["note"] = "naïve \"quoted\"" };

        Safetensors.Write(_path, tensors, metadata);
        TensorSet read = Safetensors.Read(_path);

        Assert.Equal(tensors, read.Tensors); // NamedTensor equality compares value bits: the NaN payload and −0 survive
        Assert.Equal(metadata, read.Metadata);
        Assert.Equal(["weights.safetensors"], _scratch.Entries());
    }

    [Fact]
    public void Layout_is_the_format_s_with_a_space_padded_header_and_little_endian_data()
    {
        Safetensors.Write(_path, [NamedTensor.OfFloats("a", [2], [1.5f, -2f]), NamedTensor.OfInts("b", [], [7])]);
        byte[] bytes = File.ReadAllBytes(_path);

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(8 + (long)headerLength + 12, bytes.Length);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.InRange(header.Length - header.TrimEnd(' ').Length, 0, 7); // padding: spaces only, fewer than 8
        using (JsonDocument json = JsonDocument.Parse(header))
        {
            JsonElement a = json.RootElement.GetProperty("a");
            Assert.Equal("F32", a.GetProperty("dtype").GetString());
            Assert.Equal("[2]", a.GetProperty("shape").GetRawText());
            Assert.Equal("[0,8]", a.GetProperty("data_offsets").GetRawText());
            Assert.Equal("[8,12]", json.RootElement.GetProperty("b").GetProperty("data_offsets").GetRawText());
            Assert.False(json.RootElement.TryGetProperty("__metadata__", out _));
        }

        int data = 8 + (int)headerLength;
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + 4)));
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(data + 8)));
    }

    [Fact]
    public void Writing_over_an_existing_file_replaces_it_and_leaves_no_temporary_file()
    {
        File.WriteAllText(_path, "old content");
        Safetensors.Write(_path, [NamedTensor.OfInts("n", [1], [5])]);

        Assert.Equal([5], Safetensors.Read(_path).GetInt("n", 1));
        Assert.Equal(["weights.safetensors"], _scratch.Entries());
    }

    [Fact]
    public void A_missing_target_directory_fails_cleanly_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_scratch.Path, "absent", "w.safetensors");
        AssertFails(() => Safetensors.Write(path, Sample()), path, "cannot be written");
        Assert.Empty(_scratch.Entries());
    }

    [Fact]
    public void A_failed_rename_deletes_the_temporary_file()
    {
        // The target is a non-empty directory: the data is written to the temporary file, then the rename fails.
        Directory.CreateDirectory(_path);
        File.WriteAllText(Path.Combine(_path, "keep"), "x");

        AssertFails(() => Safetensors.Write(_path, Sample()), _path, "cannot be written");

        Assert.Equal(["weights.safetensors"], _scratch.Entries());
        Assert.Equal(["keep"], Directory.EnumerateFileSystemEntries(_path).Select(Path.GetFileName));
    }

    [Fact]
    public void Repeated_and_reserved_names_are_refused_before_anything_is_written()
    {
        AssertFails(
            () => Safetensors.Write(_path, [NamedTensor.OfInts("x", [1], [1]), NamedTensor.OfFloats("x", [1], [1f])]),
            _path, "tensor name 'x' twice");
        AssertFails(
            () => Safetensors.Write(_path, [NamedTensor.OfInts("__metadata__", [1], [1])]), _path, "'__metadata__' (the name is reserved)");
        Assert.Empty(_scratch.Entries());
    }

    [Fact]
    public void Tensors_are_written_in_the_given_order()
    {
        NamedTensor[] tensors = [NamedTensor.OfInts("z", [], [1]), NamedTensor.OfInts("a", [], [2]), NamedTensor.OfInts("m", [], [3])];
        Safetensors.Write(_path, tensors);
        Assert.Equal(["z", "a", "m"], Safetensors.Read(_path).Keys);
    }
}
