using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// The .npy edge of the array verbs: opening and validating inputs, checking outputs before any work, and turning
/// file errors into one-line messages (bad input: exit 2; an output that cannot be written: exit 3).
/// </summary>
internal static class ArrayFiles
{
    /// <summary>Opens and validates an input array.</summary>
    public static NpyReader OpenInput(string verb, string path)
    {
        try
        {
            return NpyReader.Open(path);
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"{verb}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{verb}: cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Fails before any work when <paramref name="path"/> cannot be written (a folder, or a missing parent).</summary>
    public static void CheckOutput(string verb, string path) => OutputPaths.RequireWritable(verb, path);

    /// <summary>Starts an output array (written atomically on commit); a file that cannot be created is exit 3.</summary>
    public static NpyWriter<T> CreateOutput<T>(string verb, string path, IReadOnlyList<int> shape) where T : unmanaged
    {
        try
        {
            return NpyWriter<T>.Create(path, shape);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"{verb}: cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Stages an output array in <paramref name="set"/>; a file that cannot be created is exit 3.</summary>
    public static NpyWriter<T> CreateOutput<T>(string verb, AtomicFileSet set, string path, IReadOnlyList<int> shape) where T : unmanaged
    {
        try
        {
            return NpyWriter<T>.Create(set, path, shape);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"{verb}: cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Publishes <paramref name="set"/> (exit 3 when that fails) and prints one <c>wrote PATH</c> line per file.</summary>
    public static void Commit(string verb, AtomicFileSet set, TextWriter stdout)
    {
        try
        {
            set.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"{verb}: cannot write '{string.Join("', '", set.Paths)}': {e.Message}");
        }
        foreach (string path in set.Paths) stdout.Write($"wrote {path}\n");
        stdout.Flush();
    }
}
