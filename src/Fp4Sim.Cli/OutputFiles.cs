using System.Text;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli;

/// <summary>
/// Writes a verb's named text outputs as one set: each to a temporary beside its target, then all renamed in one step,
/// so a failure or a signal leaves every target as it was; then one <c>wrote PATH</c> line each on stdout.
/// </summary>
internal static class OutputFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="files"/> (folders are created); an i/o failure is the exit-3 error naming the path.</summary>
    public static void WriteAll(string verb, IReadOnlyList<(string Path, string Text)> files, TextWriter stdout)
    {
        var staged = new List<AtomicFile>();
        string current = "";
        try
        {
            foreach ((string path, string text) in files)
            {
                current = path;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                AtomicFile file = AtomicFile.Create(path);
                staged.Add(file);
                file.Stream.Write(Utf8.GetBytes(text));
            }
            current = files.Count > 0 ? files[0].Path : "";
            AtomicFile.CommitAll(staged);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"{verb}: cannot write '{ErrorText.Quote(current)}': {e.Message}");
        }
        finally
        {
            foreach (AtomicFile file in staged) file.Dispose();
        }
        foreach ((string path, _) in files) stdout.Write($"wrote {path}\n");
    }
}
