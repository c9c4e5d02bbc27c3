using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;
using static Fp4Sim.Quantization.Tests.Model.ModelTestFiles;

namespace Fp4Sim.Quantization.Tests.Model;

public sealed class SafetensorsReadTests : IDisposable
{
    private const string TwoTensors =
        """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}""";

    private readonly TempFolder _scratch = new();
    private readonly string _path;

    public SafetensorsReadTests() => _path = _scratch.File("model.safetensors");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Reads_a_hand_written_file_in_offset_order_whatever_the_key_order()
    {
        // Keys out of offset order, as the reference writer produces them (its JSON map is sorted by name).
        const string header = """
            {"__metadata__":{"format":"pt"},
             "z":{"dtype":"I32","shape":[],"data_offsets":[0,4]},
             "a":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]}}
            """;
        WriteRawSafetensors(_path, header + "   ", [.. LittleEndian(-7), .. LittleEndian(1.5f, -2f)]);

        TensorSet set = Safetensors.Read(_path);

        Assert.Equal(["z", "a"], set.Keys);
        Assert.Equal([-7], set.GetInt("z"));
        Assert.Equal([1.5f, -2f], set.GetFloat("a", 2, 1));
        Assert.Equal("pt", set.Metadata["format"]);
        Assert.Equal(_path, set.Source);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void A_file_shorter_than_the_length_prefix_is_refused(int length)
    {
        File.WriteAllBytes(_path, new byte[length]);
        AssertFails(() => Safetensors.Read(_path), _path, $"is {length} bytes", "8-byte header length");
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_refused()
    {
        WriteRawSafetensors(_path, TwoTensors, new byte[12], declaredHeaderLength: 5000);
        AssertFails(() => Safetensors.Read(_path), _path, "header length 5000 is beyond the end of the file");
    }

    [Fact]
    public void A_header_length_above_100_MB_is_refused_before_it_is_allocated()
    {
        WriteRawSafetensors(_path, "{}", [], declaredHeaderLength: Safetensors.MaxHeaderBytes + 1UL);
        using (var stream = new FileStream(_path, FileMode.Open)) stream.SetLength(Safetensors.MaxHeaderBytes + 64L); // sparse
        AssertFails(() => Safetensors.Read(_path), _path, $"exceeds the {Safetensors.MaxHeaderBytes}-byte limit");
    }

    [Fact]
    public void A_truncated_data_buffer_is_refused()
    {
        WriteRawSafetensors(_path, TwoTensors, new byte[10]);
        AssertFails(() => Safetensors.Read(_path), _path, "tensor 'b'", "data_offsets [8,12] beyond the 10-byte data buffer");
    }

    [Fact]
    public void Overlapping_tensors_are_refused()
    {
        const string header =
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}""";
        WriteRawSafetensors(_path, header, new byte[8]);
        AssertFails(() => Safetensors.Read(_path), _path, "tensor 'b' at [4,8) overlaps tensor 'a' at [0,8)");
    }

    [Fact]
    public void A_gap_between_tensors_is_refused()
    {
        const string header =
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}""";
        WriteRawSafetensors(_path, header, new byte[12]);
        AssertFails(() => Safetensors.Read(_path), _path, "bytes [4,8) of the data buffer belong to no tensor", "'b'");
    }

    [Fact]
    public void Unowned_bytes_at_the_end_of_the_buffer_are_refused()
    {
        WriteRawSafetensors(_path, TwoTensors, new byte[16]);
        AssertFails(() => Safetensors.Read(_path), _path, "bytes [12,16) at the end of the data buffer belong to no tensor");
    }

    [Fact]
    public void A_byte_count_that_does_not_match_the_shape_is_refused()
    {
        const string header = """{"w":{"dtype":"F32","shape":[3,4],"data_offsets":[0,40]}}""";
        WriteRawSafetensors(_path, header, new byte[40]);
        AssertFails(
            () => Safetensors.Read(_path), _path, "tensor 'w' has shape [3,4] = 12 F32 values = 48 bytes but data_offsets [0,40] span 40 bytes");
    }

    [Fact]
    public void An_unknown_dtype_is_refused()
    {
        WriteRawSafetensors(_path, """{"w":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        AssertFails(() => Safetensors.Read(_path), _path, "tensor 'w' has unknown dtype 'F7'");
    }

    [Theory]
    [InlineData("F16", 2)]
    [InlineData("BF16", 2)]
    [InlineData("F64", 8)]
    [InlineData("I64", 8)]
    [InlineData("U8", 1)]
    public void A_known_dtype_other_than_F32_and_I32_is_refused_by_name(string dtype, int size)
    {
        WriteRawSafetensors(_path, $$$"""{"w":{"dtype":"{{{dtype}}}","shape":[2],"data_offsets":[0,{{{2 * size}}}]}}""", new byte[2 * size]);
        AssertFails(() => Safetensors.Read(_path), _path, $"dtype {dtype} of tensor 'w' is not supported (float32 and int32 only)");
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", "is not valid JSON")]
    [InlineData("""[1,2,3]""", "the header is an array, not an object")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "key 'w' twice")]
    [InlineData("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", "tensor 'w' has no 'dtype'")]
    [InlineData("""{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}""", "tensor 'w' has a 'shape' that is a string, not an array")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", "shape dimension 0 = -1")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", "shape dimension 0 = 1.5")]
    [InlineData("""{"w":{"dtype":"F32","shape":[65536,65536],"data_offsets":[0,4]}}""", "more elements than one array can hold")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", "data_offsets [0], not two non-negative integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", "not two non-negative integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", "data_offsets [4,0] that end before they begin")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"n":1}}""",
        "__metadata__ entry 'n' is a number, not a string")]
    [InlineData("""{"w":"F32"}""", "tensor 'w' is a string, not an object")]
    public void A_malformed_header_is_refused(string header, string expected)
    {
        WriteRawSafetensors(_path, header, new byte[4]);
        AssertFails(() => Safetensors.Read(_path), _path, expected);
    }

    [Fact]
    public void A_header_that_is_not_UTF8_is_refused()
    {
        WriteRawSafetensors(_path, "{\"w\":1}", []);
        byte[] bytes = File.ReadAllBytes(_path);
        bytes[10] = 0xFF; // inside the key
        File.WriteAllBytes(_path, bytes);
        AssertFails(() => Safetensors.Read(_path), _path, "is not valid JSON");
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        AssertFails(() => Safetensors.Read(_path), _path, "not found");
    }

    [Fact]
    public void Null_metadata_and_an_empty_header_are_accepted()
    {
        WriteRawSafetensors(_path, """{"__metadata__":null}""", []);
        TensorSet set = Safetensors.Read(_path);
        Assert.Empty(set);
        Assert.Empty(set.Metadata);
    }
}
