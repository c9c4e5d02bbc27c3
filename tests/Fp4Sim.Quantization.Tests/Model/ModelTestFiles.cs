using System.Buffers.Binary;
using System.Text;
using Fp4Sim.Quantization.Model;

namespace Fp4Sim.Quantization.Tests.Model;

/// <summary>A fresh temporary directory per test, deleted with everything in it afterwards.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory() => Path = Directory.CreateTempSubdirectory("fp4sim-model-test-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every entry in the directory (files and folders), by name, sorted.</summary>
    public string[] Entries() =>
        [.. Directory.EnumerateFileSystemEntries(Path).Select(entry => System.IO.Path.GetFileName(entry)!).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

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
        if (!System.IO.File.Exists(Path.Combine(directory, TfjsWeights.ManifestFileName)))
            Assert.Fail(
                $"The USE-Lite model is not at {directory} (no {TfjsWeights.ManifestFileName}). Run `{ModelLocation.SetupCommand}` "
                + $"in the repository root to download it, or point {ModelLocation.ModelDirectoryVariable} at a copy.");
        return directory;
    }
}
