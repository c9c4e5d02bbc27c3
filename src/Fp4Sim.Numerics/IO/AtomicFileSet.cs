namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Files written as one set: each is staged as an <see cref="AtomicFile"/> (a registered temporary beside its
/// target) and <see cref="Commit"/> renames them all in one <see cref="Temporaries.Publish"/> step, so an interrupt
/// or a failure leaves the old set or the new one, never a mix. Folders it had to create are registered temporaries
/// too until the commit; disposing an uncommitted set deletes its temporaries and those folders (when empty).
/// </summary>
public sealed class AtomicFileSet : IDisposable
{
    private readonly List<AtomicFile> _files = [];
    private readonly List<string> _paths = [];
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);
    private readonly List<string> _createdFolders = [];
    private bool _committed;

    /// <summary>The targets staged so far, in the order they were staged.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Stages <paramref name="path"/> (creating its folder) and returns the stream to write its content to.</summary>
    public Stream Create(string path)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        string full = Path.GetFullPath(path);
        if (!_targets.Add(full)) throw new ArgumentException($"'{path}' is staged twice");
        CreateFolder(Path.GetDirectoryName(full)!);
        AtomicFile file = AtomicFile.Create(full);
        _files.Add(file);
        _paths.Add(path);
        return file.Stream;
    }

    /// <summary>Stages <paramref name="path"/> with <paramref name="text"/> (UTF-8, no BOM).</summary>
    public void WriteText(string path, string text)
    {
        using var writer = new StreamWriter(Create(path), new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(text);
    }

    /// <summary>Stages <paramref name="path"/> with <paramref name="content"/> as it is (a binary file such as a PNG).</summary>
    public void WriteBytes(string path, ReadOnlySpan<byte> content) => Create(path).Write(content);

    /// <summary>Flushes every file to disk and publishes them all in one step; the folders it made are kept.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        AtomicFile.FlushToDisk(_files); // the slow part, outside the publish step and only once
        Temporaries.Publish(() =>
        {
            AtomicFile.RenameAll(_files);
            foreach (string folder in _createdFolders) Temporaries.Forget(folder);
        });
        _committed = true;
    }

    /// <summary>Unless committed: deletes the staged temporaries and the folders this set created, if empty.</summary>
    public void Dispose()
    {
        foreach (AtomicFile f in _files) f.Dispose();
        if (_committed) return;
        _committed = true;
        for (int i = _createdFolders.Count - 1; i >= 0; i--)
        {
            try
            {
                if (Directory.Exists(_createdFolders[i]) && !Directory.EnumerateFileSystemEntries(_createdFolders[i]).Any())
                    Directory.Delete(_createdFolders[i]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover empty folder is harmless; the original failure matters more.
            }
            Temporaries.Forget(_createdFolders[i]);
        }
    }

    /// <summary>Creates <paramref name="folder"/> and its missing parents, registering each as a temporary, outermost first.</summary>
    private void CreateFolder(string folder)
    {
        var missing = new Stack<string>();
        for (string? f = folder; f is not null && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Push(f);
        foreach (string f in missing)
        {
            Temporaries.Create(f, () => Directory.CreateDirectory(f));
            _createdFolders.Add(f);
        }
    }
}
