using System.Buffers.Binary;
using System.Text;
using Fp4Sim.Numerics.IO;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Numerics.Tests.IO;

/// <summary>
/// The chunked reader and writer: byte-identical to the whole-array ones, every dtype, versions 2.0 and 3.0,
/// validation before the first element, and a writer that leaves nothing behind unless the shape is complete.
/// </summary>
public sealed class NpyStreamTests : IDisposable
{
    private readonly TempFolder _folder = new("npy-stream");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<int[]> Shapes => [[], [0], [5], [2, 3], [3, 1, 2, 2], [1000]];

    [Theory, MemberData(nameof(Shapes))]
    public void ChunkedWrites_AreByteIdenticalToWholeWrites_AndReadBackInChunks(int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var random = new Random(count + 1);
        Check(shape, Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), x => x);
        Check(shape, Enumerable.Range(0, count).Select(_ => (Half)(random.NextDouble() * 100)).ToArray(), x => (double)x);
        Check(shape, Enumerable.Range(0, count).Select(_ => random.NextDouble() * 1e300).ToArray(), x => x);
        Check(shape, Enumerable.Range(0, count).Select(_ => (byte)random.Next(256)).ToArray(), x => x);
        Check(shape, Enumerable.Range(0, count).Select(_ => (ushort)random.Next(65536)).ToArray(), x => x);
        Check(shape, Enumerable.Range(0, count).Select(_ => (uint)random.NextInt64(1L << 32)).ToArray(), x => x);
        Check(shape, Enumerable.Range(0, count).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray(), x => x);
    }

    private void Check<T>(int[] shape, T[] data, Func<T, double> exact) where T : unmanaged
    {
        string whole = _folder.File("whole.npy"), chunked = _folder.File("chunked.npy");
        NpyFile.Write<T>(whole, data, shape);
        using (var writer = NpyWriter<T>.Create(chunked, shape))
        {
            for (int start = 0; start < data.Length; start += 7) writer.Write(data.AsSpan(start, Math.Min(7, data.Length - start)));
            writer.Commit();
        }
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(chunked));

        using NpyReader reader = NpyReader.Open(chunked);
        Assert.Equal(shape, reader.Shape);
        Assert.Equal(typeof(T), reader.ElementType);
        var values = new List<double>();
        var chunk = new double[5];
        for (int n; (n = reader.Read(chunk)) > 0;) values.AddRange(chunk.Take(n));
        Assert.Equal(data.Select(exact), values);
    }

    [Fact]
    public void Float16_WidensToFloat32Exactly_ForEveryPattern()
    {
        Half[] all = Enumerable.Range(0, 1 << 16).Select(i => BitConverter.UInt16BitsToHalf((ushort)i)).ToArray();
        string path = _folder.File("half.npy");
        NpyFile.Write<Half>(path, all, [all.Length]);
        using NpyReader reader = NpyReader.Open(path);
        var singles = new float[all.Length];
        Assert.Equal(all.Length, reader.Read(singles));
        for (int i = 0; i < all.Length; i++)
        {
            if (Half.IsNaN(all[i])) Assert.True(float.IsNaN(singles[i]));
            else Assert.Equal(BitConverter.SingleToUInt32Bits((float)all[i]), BitConverter.SingleToUInt32Bits(singles[i]));
        }
    }

    [Fact]
    public void ReadingFloat32_FromAnotherDtype_IsRefused()
    {
        string path = _folder.File("doubles.npy");
        NpyFile.Write<double>(path, [1.0, 2.0], [2]);
        using NpyReader reader = NpyReader.Open(path);
        Assert.Throws<InvalidOperationException>(() => reader.Read(new float[2]));
    }

    [Fact]
    public void AHeaderBeyond64KiB_IsWrittenAsVersion2_AndReadBack()
    {
        int[] shape = Enumerable.Repeat(1, 25_000).ToArray(); // "1, " × 25,000: the dict alone exceeds 65,535 bytes
        string path = _folder.File("wide.npy");
        using (var writer = NpyWriter<float>.Create(path, shape))
        {
            writer.Write([2.5f]);
            writer.Commit();
        }
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([2, 0], bytes[6..8]);
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0u, (12 + headerLength) % 64);
        Assert.Equal(12 + headerLength + 4, (uint)bytes.Length);
        Assert.Equal([2.5f], NpyFile.Read<float>(path).Data);
        using NpyReader reader = NpyReader.Open(path);
        Assert.Equal(25_000, reader.Shape.Count);
    }

    [Fact]
    public void Version3_ReadsAUtf8Header()
    {
        byte[] header = Encoding.UTF8.GetBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }".PadRight(51) + "\n");
        var file = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 3, 0 };
        file.AddRange(BitConverter.GetBytes((uint)header.Length));
        file.AddRange(header);
        file.AddRange(BitConverter.GetBytes(7));
        file.AddRange(BitConverter.GetBytes(-9));
        string path = _folder.File("v3.npy");
        File.WriteAllBytes(path, [.. file]);
        using NpyReader reader = NpyReader.Open(path);
        var values = new double[4];
        Assert.Equal(2, reader.Read(values));
        Assert.Equal([7.0, -9.0], values[..2]);
    }

    public static TheoryData<string, string, int, string> BadFiles => new()
    {
        { "fortran", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24, "fortran_order True" },
        { "dtype", "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 24, "dtype '>f4' is not supported" },
        { "object", "{'descr': '|O', 'fortran_order': False, 'shape': (2, 3), }", 24, "dtype '|O' is not supported" },
        { "truncated", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20, "needs 24 bytes, found 20" },
        { "trailing", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 28, "needs 24 bytes, found 28" },
        { "huge", "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }", 8, "needs more than 2^63 bytes" },
    };

    [Theory, MemberData(nameof(BadFiles))]
    public void BadFiles_AreRefusedBeforeTheFirstElement_NamingFileAndProblem(string name, string dict, int dataBytes, string expected)
    {
        string header = dict.PadRight(117) + "\n"; // 10 + 118 = 128: aligned
        byte[] file = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), .. new byte[dataBytes]];
        string path = _folder.File(name + ".npy");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<InvalidDataException>(() => NpyReader.Open(path).Dispose());
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AnIncompleteArray_IsNeverCommitted_AndLeavesNothingBehind()
    {
        string path = _folder.File("partial.npy");
        using (var writer = NpyWriter<byte>.Create(path, [4]))
        {
            writer.Write([1, 2, 3]);
            Assert.Throws<InvalidOperationException>(() => writer.Write([4, 5]));
            Assert.Throws<InvalidOperationException>(writer.Commit);
        }
        Assert.Empty(_folder.Entries());
    }

    [Fact]
    public void WritersStagedInASet_AppearTogether_OnTheSetsCommit()
    {
        string codes = _folder.File("codes.npy"), scales = _folder.File("scales.npy");
        using (var set = new AtomicFileSet())
        {
            using var first = NpyWriter<byte>.Create(set, codes, [2, 2]);
            using var second = NpyWriter<float>.Create(set, scales, []);
            first.Write([1, 2, 3, 4]);
            second.Write([0.5f]);
            first.Commit();
            second.Commit();
            Assert.DoesNotContain("codes.npy", _folder.Entries()); // checked, not yet published
            set.Commit();
        }
        Assert.Equal(File.ReadAllBytes(codes), Bytes<byte>([1, 2, 3, 4], [2, 2]));
        Assert.Equal(File.ReadAllBytes(scales), Bytes<float>([0.5f], []));

        using (var set = new AtomicFileSet())
        {
            using var incomplete = NpyWriter<byte>.Create(set, _folder.File("partial.npy"), [3]);
            incomplete.Write([1]);
            Assert.Throws<InvalidOperationException>(incomplete.Commit);
        }
        Assert.Equal(["codes.npy", "scales.npy"], _folder.Entries());
    }

    private static byte[] Bytes<T>(T[] data, int[] shape) where T : unmanaged
    {
        using var stream = new MemoryStream();
        NpyFile.Write<T>(stream, data, shape);
        return stream.ToArray();
    }
}
