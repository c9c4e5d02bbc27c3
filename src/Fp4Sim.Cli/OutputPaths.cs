namespace Fp4Sim.Cli;

/// <summary>
/// The check every verb that writes a named file or folder makes before any work, for every output it was asked
/// for, so a bad second path never leaves a first file written. Failures are the environment's (exit 3).
/// </summary>
public static class OutputPaths
{
    /// <summary>Why <paramref name="path"/> cannot be written as a file — a folder, a missing or read-only folder — or null.</summary>
    public static string? Unwritable(string path)
    {
        if (FullPath(path) is not { } full) return $"cannot write '{ErrorText.Quote(path)}': not a valid path";
        if (Directory.Exists(full)) return $"cannot write '{ErrorText.Quote(path)}': it is a directory";
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
            return $"cannot write '{ErrorText.Quote(path)}': directory '{ErrorText.Quote(folder ?? "")}' does not exist";
        return CannotCreateIn(folder) is { } why ? $"cannot write '{ErrorText.Quote(path)}': {why}" : null;
    }

    /// <summary>
    /// Why files cannot be written into folder <paramref name="dir"/> (created if missing, as the writers do): a file
    /// is in the way, or the nearest existing folder is read-only; or null.
    /// </summary>
    public static string? UnwritableFolder(string dir)
    {
        string? existing = FullPath(dir);
        if (existing is null) return $"cannot write into '{ErrorText.Quote(dir)}': not a valid path";
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing)) return $"cannot write into '{ErrorText.Quote(dir)}': '{ErrorText.Quote(existing)}' is a file";
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) return $"cannot write into '{ErrorText.Quote(dir)}': no existing parent folder";
        return CannotCreateIn(existing) is { } why ? $"cannot write into '{ErrorText.Quote(dir)}': {why}" : null;
    }

    /// <summary>Throws the exit-3 error for the first of <paramref name="files"/> that cannot be written.</summary>
    public static void RequireWritable(string verb, params string?[] files)
    {
        foreach (string? path in files)
            if (path is not null && Unwritable(path) is { } why) throw new EnvironmentException($"{verb}: {why}");
    }

    /// <summary>Throws the exit-3 error when files cannot be written into folder <paramref name="dir"/>.</summary>
    public static void RequireWritableFolder(string verb, string dir)
    {
        if (UnwritableFolder(dir) is { } why) throw new EnvironmentException($"{verb}: {why}");
    }

    private static string? FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null; // a NUL character, for one
        }
    }

    /// <summary>Permissions, read-only mounts and ACLs all answer the one question that matters: can a file be created here.</summary>
    private static string? CannotCreateIn(string folder)
    {
        string probe = Path.Combine(folder, $".fp4sim-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e is UnauthorizedAccessException ? "permission denied" : e.Message;
        }
    }
}
