using System.Text;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli;

/// <summary>One file a verb writes: its path and its bytes (text as UTF-8 without a BOM, a PNG as it is).</summary>
internal readonly record struct OutputFile(string Path, byte[] Content)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A text file, encoded as every text output of the tool is: UTF-8, no BOM.</summary>
    public static OutputFile Text(string path, string text) => new(path, Utf8.GetBytes(text));
}

/// <summary>
/// Writes a verb's named outputs as one <see cref="AtomicFileSet"/>: a failure or a signal leaves every target as
/// it was; then one <c>wrote PATH</c> line each on stdout.
/// </summary>
internal static class OutputFiles
{
    /// <summary>Writes <paramref name="files"/> (folders are created); an i/o failure is the exit-3 error naming the path.</summary>
    public static void WriteAll(string verb, IReadOnlyList<OutputFile> files, TextWriter stdout)
    {
        string current = "";
        try
        {
            using var set = new AtomicFileSet();
            foreach (OutputFile file in files)
            {
                current = file.Path;
                set.WriteBytes(file.Path, file.Content);
            }
            current = files.Count > 0 ? files[0].Path : "";
            set.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"{verb}: cannot write '{ErrorText.Quote(current)}': {e.Message}");
        }
        foreach (OutputFile file in files) stdout.Write($"wrote {file.Path}\n");
    }
}
