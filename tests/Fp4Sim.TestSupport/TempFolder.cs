namespace Fp4Sim.TestSupport;

/// <summary>A fresh, uniquely named folder under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates <c>fp4sim-&lt;purpose&gt;-&lt;random&gt;</c> under the temp folder.</summary>
    public TempFolder(string purpose = "test") => Path = Directory.CreateTempSubdirectory($"fp4sim-{purpose}-").FullName;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the folder (nothing is created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="content"/> to <paramref name="relativePath"/>, creating its folders; returns the full path.</summary>
    public string Write(string relativePath, string content)
    {
        string full = File(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Every entry in the folder (files and folders), by name, sorted ordinally.</summary>
    public string[] Entries() =>
        [.. Directory.EnumerateFileSystemEntries(Path).Select(entry => System.IO.Path.GetFileName(entry)!).Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
