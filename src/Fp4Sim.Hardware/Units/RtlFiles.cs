using System.Text;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Hardware;

/// <summary>
/// Writes a unit's files. Each Write… call stages its whole set in an <see cref="AtomicFileSet"/> and publishes it in
/// one step (an interrupt leaves the old files or the new ones); the Stage… calls add to a set the caller commits.
/// Vectors are streamed: memory does not grow with their count.
/// </summary>
public static class RtlFiles
{
    /// <summary>The default vector seed.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>The <c>$readmemh</c> file's name.</summary>
    public const string VectorFile = "vectors.hex";

    /// <summary>The manifest's name.</summary>
    public const string ManifestFile = "manifest.json";

    private const int WriterBuffer = 1 << 16; // chars per chunk written to the vector file

    /// <summary>The testbench's file name, <c>tb_&lt;module&gt;.v</c>.</summary>
    public static string TestbenchFile(IRtlUnit unit) => $"tb_{unit.ModuleName}.v";

    /// <summary>
    /// Writes <c>&lt;module&gt;.v</c> (one per module) and <c>tb_&lt;module&gt;.v</c> (for <paramref name="vectors"/>' layout; no
    /// vector is generated) into <paramref name="directory"/>.
    /// </summary>
    public static IReadOnlyList<string> WriteRtl(IRtlUnit unit, VectorSource vectors, string directory) =>
        Write(files => StageRtl(files, unit, vectors, directory));

    /// <inheritdoc cref="WriteRtl(IRtlUnit, VectorSource, string)"/>
    public static IReadOnlyList<string> WriteRtl(IRtlUnit unit, VectorSet vectors, string directory) =>
        WriteRtl(unit, vectors.AsSource(), directory);

    /// <summary>
    /// Writes <c>vectors.hex</c> (streamed) and <c>manifest.json</c> into <paramref name="directory"/>, and with
    /// <paramref name="testbench"/> the testbench (the same file <see cref="WriteRtl(IRtlUnit, VectorSource, string)"/> writes:
    /// it does not depend on the count).
    /// </summary>
    public static IReadOnlyList<string> WriteVectors(IRtlUnit unit, VectorSource vectors, string directory, bool testbench = false) =>
        Write(files =>
        {
            StageVectors(files, unit, vectors, directory);
            if (testbench) StageTestbench(files, unit, vectors, directory);
        });

    /// <inheritdoc cref="WriteVectors(IRtlUnit, VectorSource, string, bool)"/>
    public static IReadOnlyList<string> WriteVectors(IRtlUnit unit, VectorSet vectors, string directory, bool testbench = false) =>
        WriteVectors(unit, vectors.AsSource(), directory, testbench);

    /// <summary>Writes the unit's RTL and testbench, then its vectors and manifest, into <paramref name="directory"/> as one set.</summary>
    public static IReadOnlyList<string> WriteUnit(IRtlUnit unit, VectorSource vectors, string directory) =>
        Write(files =>
        {
            StageRtl(files, unit, vectors, directory);
            StageVectors(files, unit, vectors, directory);
        });

    /// <inheritdoc cref="WriteUnit(IRtlUnit, VectorSource, string)"/>
    public static IReadOnlyList<string> WriteUnit(IRtlUnit unit, VectorSet vectors, string directory) =>
        WriteUnit(unit, vectors.AsSource(), directory);

    /// <summary>Stages <c>&lt;module&gt;.v</c> (one per module) and the testbench for <paramref name="vectors"/>.</summary>
    public static void StageRtl(AtomicFileSet files, IRtlUnit unit, VectorSource vectors, string directory)
    {
        foreach ((string file, string text) in unit.Generate()) files.WriteText(Path.Combine(directory, file), text);
        StageTestbench(files, unit, vectors, directory);
    }

    /// <summary>Stages <c>tb_&lt;module&gt;.v</c> for <paramref name="vectors"/>' layout (any count).</summary>
    public static void StageTestbench(AtomicFileSet files, IRtlUnit unit, VectorSource vectors, string directory) =>
        files.WriteText(Path.Combine(directory, TestbenchFile(unit)), unit.GenerateTestbench(vectors.Layout));

    /// <summary>
    /// Stages <c>vectors.hex</c>, generating and writing the vectors in chunks, then its count line, and
    /// <c>manifest.json</c>.
    /// </summary>
    public static void StageVectors(AtomicFileSet files, IRtlUnit unit, VectorSource vectors, string directory)
    {
        using (var hex = new StreamWriter(files.Create(Path.Combine(directory, VectorFile)), new UTF8Encoding(false), WriterBuffer,
                   leaveOpen: true))
            vectors.WriteHex(hex);
        files.WriteText(Path.Combine(directory, ManifestFile), vectors.Layout.ToManifest(unit.Configuration, vectors.Count));
    }

    private static IReadOnlyList<string> Write(Action<AtomicFileSet> stage)
    {
        using var files = new AtomicFileSet();
        stage(files);
        files.Commit();
        return files.Paths;
    }
}
