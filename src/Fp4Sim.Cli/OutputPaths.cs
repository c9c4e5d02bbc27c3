namespace Fp4Sim.Cli;

/// <summary>The check every verb that writes a named file makes before any work.</summary>
internal static class OutputPaths
{
    /// <summary>Why <paramref name="path"/> cannot be written — it is a folder, or its folder is missing — or null.</summary>
    public static string? Unwritable(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return $"cannot write '{path}': it is a directory";
        string? folder = Path.GetDirectoryName(full);
        return folder is null || !Directory.Exists(folder) ? $"cannot write '{path}': directory '{folder}' does not exist" : null;
    }
}
