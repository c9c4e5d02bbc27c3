using System.Text;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Writes files so a reader never sees a half-written one: the content goes to a temporary file beside the target,
/// which is renamed over it only once complete (a rename within one file system is atomic). If the writer is disposed
/// without <see cref="Commit"/> — the write failed — the temporary file is deleted and the target is left as it was.
/// The temporary is registered with <see cref="Temporaries"/>, so a signal that abandons the command removes it too;
/// <see cref="CommitAll"/> publishes several files as one step.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly string _target;
    private readonly string _temporary;
    private bool _committed;

    private AtomicFile(string target)
    {
        _target = Path.GetFullPath(target);
        _temporary = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.{Guid.NewGuid():N}.tmp");
        Stream = Temporaries.Create(_temporary, () => new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
    }

    /// <summary>The temporary file to write the content to.</summary>
    public FileStream Stream { get; }

    /// <summary>Starts writing <paramref name="path"/> (its directory must exist).</summary>
    public static AtomicFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new AtomicFile(path);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/>, creating its directory.</summary>
    public static void WriteAllText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using AtomicFile file = Create(path);
        file.Stream.Write(Utf8.GetBytes(text));
        file.Commit();
    }

    /// <summary>Flushes the content to disk and renames it over the target.</summary>
    public void Commit() => CommitAll([this]);

    /// <summary>
    /// Flushes every file to disk, then renames them all over their targets in one <see cref="Temporaries.Publish"/>
    /// step: an interrupt leaves either the old set or the new one.
    /// </summary>
    public static void CommitAll(IReadOnlyList<AtomicFile> files)
    {
        FlushToDisk(files);
        Temporaries.Publish(() => RenameAll(files));
    }

    /// <summary>The slow half of a commit, kept outside the publish step: every file's content on disk, its stream closed.</summary>
    internal static void FlushToDisk(IReadOnlyList<AtomicFile> files)
    {
        foreach (AtomicFile f in files)
        {
            f.Stream.Flush(flushToDisk: true);
            f.Stream.Dispose();
        }
    }

    /// <summary>The publishing half of a commit (inside <see cref="Temporaries.Publish"/>): every temporary renamed over its target.</summary>
    internal static void RenameAll(IReadOnlyList<AtomicFile> files)
    {
        foreach (AtomicFile f in files)
        {
            File.Move(f._temporary, f._target, overwrite: true);
            f._committed = true;
            Temporaries.Forget(f._temporary);
        }
    }

    /// <summary>Closes the temporary file and, unless committed, deletes it.</summary>
    public void Dispose()
    {
        Stream.Dispose();
        if (_committed) return;
        try
        {
            File.Delete(_temporary);
            Temporaries.Forget(_temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more than a leftover temporary file.
        }
    }
}
