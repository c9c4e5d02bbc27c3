using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli;

/// <summary>
/// Writes a verb's named text outputs as one <see cref="AtomicFileSet"/>: a failure or a signal leaves every target as
/// it was; then one <c>wrote PATH</c> line each on stdout.
/// </summary>
internal static class OutputFiles
{
    /// <summary>Writes <paramref name="files"/> (folders are created); an i/o failure is the exit-3 error naming the path.</summary>
    public static void WriteAll(string verb, IReadOnlyList<(string Path, string Text)> files, TextWriter stdout)
    {
        string current = "";
        try
        {
            using var set = new AtomicFileSet();
            foreach ((string path, string text) in files)
            {
                current = path;
                set.WriteText(path, text);
            }
            current = files.Count > 0 ? files[0].Path : "";
            set.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"{verb}: cannot write '{ErrorText.Quote(current)}': {e.Message}");
        }
        foreach ((string path, _) in files) stdout.Write($"wrote {path}\n");
    }
}
