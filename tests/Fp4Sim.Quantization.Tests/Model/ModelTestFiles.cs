using System.Buffers.Binary;
using System.Text;
using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Quantization.Tests.Model;

/// <summary>Assertions and byte builders shared by the model-file tests.</summary>
internal static class ModelTestFiles
{
    /// <summary>
    /// Asserts that <paramref name="action"/> throws <see cref="ModelFileException"/> with a one-line message that
    /// starts with <paramref name="file"/> and contains every fragment.
    /// </summary>
    public static ModelFileException AssertFails(Action action, string file, params string[] fragments)
    {
        var error = Assert.Throws<ModelFileException>(action);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.StartsWith(file + ": ", error.Message);
        Assert.Equal(file, error.FilePath);
        foreach (string fragment in fragments) Assert.Contains(fragment, error.Message);
        return error;
    }

    public static byte[] LittleEndian(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] LittleEndian(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <summary>
    /// Writes a safetensors file by hand: the length prefix (<paramref name="declaredHeaderLength"/> or the real
    /// one), the header text unpadded, then <paramref name="buffer"/>.
    /// </summary>
    public static void WriteRawSafetensors(string path, string header, byte[] buffer, ulong? declaredHeaderLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        using FileStream stream = System.IO.File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength ?? (ulong)json.Length);
        stream.Write(prefix);
        stream.Write(json);
        stream.Write(buffer);
    }

    /// <summary>The USE-Lite model directory; fails (never skips) with the set-up command when it is absent.</summary>
    public static string RequireUseLiteDirectory()
    {
        string directory = ModelLocation.DefaultModelDirectory();
        SetUp.RequireFile(Path.Combine(directory, TfjsWeights.ManifestFileName),
            $"the USE-Lite model; or point {ModelLocation.ModelDirectoryVariable} at a copy");
        return directory;
    }
}
