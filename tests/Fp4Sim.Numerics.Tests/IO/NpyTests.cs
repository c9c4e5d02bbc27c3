using System.Buffers.Binary;
using System.Text;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Numerics.Tests.IO;

/// <summary>.npy reading and writing: round trips, the exact header numpy writes, each malformed input, atomic writes.</summary>
public sealed class NpyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fp4sim-npy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    public static TheoryData<int[]> Shapes => [[], [0], [5], [2, 3], [2, 0, 4], [3, 1, 2, 2], [100]];

    [Theory, MemberData(nameof(Shapes))]
    public void RoundTrip_EveryDtype(int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var random = new Random(count);
        AssertRoundTrip(shape, Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
        AssertRoundTrip(shape, Enumerable.Range(0, count).Select(_ => (byte)random.Next(256)).ToArray());
        AssertRoundTrip(shape, Enumerable.Range(0, count).Select(_ => (ushort)random.Next(65536)).ToArray());
        AssertRoundTrip(shape, Enumerable.Range(0, count).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray());
        AssertRoundTrip(shape, Enumerable.Range(0, count).Select(_ => random.NextDouble() * 1e300).ToArray());
    }

    [Fact]
    public void RoundTrip_KeepsFloatBitsExactly()
    {
        float[] data = [float.NaN, -0.0f, float.PositiveInfinity, float.Epsilon, BitConverter.UInt32BitsToSingle(0x7FA00001)];
        string path = PathOf("bits.npy");
        NpyFile.Write<float>(path, data, [data.Length]);
        float[] back = NpyFile.Read<float>(path).Data;
        Assert.Equal(data.Select(BitConverter.SingleToUInt32Bits), back.Select(BitConverter.SingleToUInt32Bits));
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData(new[] { 5 }, "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }")]
    [InlineData(new int[0], "{'descr': '<f4', 'fortran_order': False, 'shape': (), }")]
    [InlineData(new[] { 0 }, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }")]
    public void Header_IsExactlyWhatNumpyWrites(int[] shape, string dict)
    {
        string path = PathOf("header.npy");
        int count = shape.Aggregate(1, (a, b) => a * b);
        NpyFile.Write<float>(path, new float[count], shape);
        byte[] bytes = File.ReadAllBytes(path);

        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        int dataOffset = 10 + headerLength;
        Assert.Equal(0, dataOffset % 64);
        Assert.Equal(dataOffset + count * 4, bytes.Length);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith(dict, header);
        Assert.EndsWith("\n", header);
        Assert.Equal(dict, header.TrimEnd(' ', '\n'));
        Assert.True(header[dict.Length..^1].All(c => c == ' '));
    }

    [Fact]
    public void Header_MatchesNumpySaveBytes()
    {
        // numpy 2.x `np.save(f, np.zeros((2, 3), np.float32))`: 60-char dict + 20 growth spaces + padding to 128.
        string path = PathOf("numpy.npy");
        NpyFile.Write<float>(path, new float[6], [2, 3]);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(128 + 24, bytes.Length);
        Assert.Equal(118, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void Read_AcceptsOtherValidHeaderSpellings()
    {
        // Key order, quotes, spacing and the final comma are free in a Python literal; older numpy padded to 16.
        byte[] file = Build("{\"shape\":(2,3),'descr':'<i4','fortran_order':False}   \n", new byte[24]);
        string path = PathOf("spelling.npy");
        File.WriteAllBytes(path, file);
        NpyArray<int> array = NpyFile.Read<int>(path);
        Assert.Equal([2, 3], array.Shape);
        Assert.Equal(6, array.Data.Length);
    }

    [Fact]
    public void Read_Stream_ReadsArraysBackToBack()
    {
        using var stream = new MemoryStream();
        NpyFile.Write<int>(stream, [1, 2, 3], [3]);
        NpyFile.Write<double>(stream, [4.5], []);
        stream.Position = 0;
        Assert.Equal([1, 2, 3], NpyFile.Read<int>(stream).Data);
        NpyArray<double> scalar = NpyFile.Read<double>(stream);
        Assert.Empty(scalar.Shape);
        Assert.Equal([4.5], scalar.Data);
        Assert.Equal(stream.Length, stream.Position);
    }

    public static TheoryData<string, byte[], string[]> BadFiles => new()
    {
        { "magic", Encoding.ASCII.GetBytes("PK\x03\x04 not numpy at all"), ["bad magic"] },
        { "empty", [], ["bad magic"] },
        { "version", WithVersion(Build(ValidDict, new byte[24]), 4, 0), ["unsupported", "version 4.0"] },
        { "preamble", Build(ValidDict, new byte[24])[..8], ["truncated header"] },
        { "header", Build(ValidDict, new byte[24])[..40], ["truncated header", "expected 118 bytes, found 30"] },
        { "dtype", Build(ValidDict.Replace("<f4", ">f4"), new byte[24]),
            ["dtype '>f4' is not supported (expected <f4, <f2, <f8, |u1, <u2, <u4 or <i4)"] },
        { "structured", Build("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3), }", new byte[24]),
            ["dtype [('a', '<f4')] is not supported"] },
        { "fortran", Build(ValidDict.Replace("False", "True"), new byte[24]), ["fortran_order True"] },
        { "truncated", Build(ValidDict, new byte[20]), ["truncated data", "needs 24 bytes, found 20"] },
        { "trailing", Build(ValidDict, new byte[28]), ["does not match the shape", "needs 24 bytes, found 28"] },
        { "mismatch", Build(ValidDict.Replace("<f4", "<f8"), new byte[48]), ["'<f8'", "does not match", "Single"] },
        { "missing key", Build("{'descr': '<f4', 'shape': (2, 3), }", new byte[24]), ["no 'fortran_order' key"] },
        { "extra key", Build(ValidDict.Replace("}", "'x': 1, }"), new byte[24]), ["unexpected header key 'x'"] },
        { "bad shape", Build(ValidDict.Replace("(2, 3)", "[2, 3]"), new byte[24]), ["shape is [2, 3]"] },
        { "negative", Build(ValidDict.Replace("(2, 3)", "(2, -3)"), new byte[24]), ["-3"] },
        { "newline in dtype", Build(ValidDict.Replace("<f4", "<f\n4"), new byte[24]), ["dtype '<f\\x0a4' is not supported"] },
        { "not a dict", Build("['descr', '<f4']", new byte[24]), ["malformed header"] },
        { "huge", Build(ValidDict.Replace("(2, 3)", "(2147483647, 2147483647, 2147483647)"), new byte[24]), ["more data than"] },
    };

    [Theory, MemberData(nameof(BadFiles))]
    public void Read_BadInput_ThrowsNamingFileAndProblem(string name, byte[] file, string[] expectedWords)
    {
        string path = PathOf(name.Replace(' ', '-') + ".npy");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read<float>(path));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        foreach (string word in expectedWords) Assert.Contains(word, error.Message);
    }

    [Fact]
    public void Write_ShapeMismatch_LeavesNothingBehind()
    {
        string path = PathOf("bad.npy");
        Assert.Throws<ArgumentException>(() => NpyFile.Write<float>(path, new float[5], [2, 3]));
        Assert.Throws<ArgumentException>(() => NpyFile.Write<float>(path, new float[0], [-1]));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Write_Failure_KeepsExistingTarget()
    {
        string path = PathOf("keep.npy");
        NpyFile.Write<int>(path, [7, 8], [2]);
        byte[] before = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => NpyFile.Write<int>(path, [1, 2, 3], [2]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesIt()
    {
        string path = PathOf("replace.npy");
        NpyFile.Write<double>(path, new double[1000], [10, 100]);
        NpyFile.Write<byte>(path, [1, 2, 3], [3]);
        NpyArray<byte> array = NpyFile.Read<byte>(path);
        Assert.Equal([3], array.Shape);
        Assert.Equal([1, 2, 3], array.Data);
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void UnsupportedElementType_Throws()
    {
        Assert.Throws<NotSupportedException>(() => NpyFile.Write<long>(PathOf("long.npy"), [1L], [1]));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    private const string ValidDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    /// <summary>A v1.0 file with <paramref name="dict"/> padded numpy-style, then <paramref name="data"/>.</summary>
    private static byte[] Build(string dict, byte[] data)
    {
        string header = dict + new string(' ', 20);
        int length = header.Length + 1;
        header += new string(' ', (64 - (10 + length) % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0, (byte)header.Length, (byte)(header.Length >> 8)]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] WithVersion(byte[] file, byte major, byte minor)
    {
        file[6] = major;
        file[7] = minor;
        return file;
    }

    private void AssertRoundTrip<T>(int[] shape, T[] data) where T : unmanaged
    {
        string path = PathOf($"round-{typeof(T).Name}.npy");
        NpyFile.Write<T>(path, data, shape);
        NpyArray<T> back = NpyFile.Read<T>(path);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(data, back.Data);

        using var stream = new MemoryStream();
        NpyFile.Write<T>(stream, data, shape);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
    }
}
