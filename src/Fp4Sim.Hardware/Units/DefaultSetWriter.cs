using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Hardware;

/// <summary>Writes the committed default set: <c>generated/&lt;module&gt;/</c> (RTL, testbench) and <c>golden-vectors/&lt;module&gt;/</c>.</summary>
public static class DefaultSetWriter
{
    /// <summary>The RTL directory under the repository root.</summary>
    public const string RtlDirectory = "generated";

    /// <summary>The vectors directory under the repository root.</summary>
    public const string VectorsDirectory = "golden-vectors";

    /// <summary>
    /// Writes every default unit under <paramref name="root"/> as one set (an interrupt leaves the old set or the new
    /// one, never a mix); returns (module, vector count) per unit.
    /// </summary>
    public static IReadOnlyList<(string Module, int Vectors)> Write(string root)
    {
        var written = new List<(string, int)>();
        using var files = new AtomicFileSet();
        foreach (IRtlUnit unit in DefaultUnits.Create())
        {
            VectorSource vectors = unit.Vectors(null, RtlFiles.DefaultSeed);
            RtlFiles.StageRtl(files, unit, vectors, Path.Combine(root, RtlDirectory, unit.ModuleName));
            RtlFiles.StageVectors(files, unit, vectors, Path.Combine(root, VectorsDirectory, unit.ModuleName));
            written.Add((unit.ModuleName, vectors.Count));
        }
        files.Commit();
        return written;
    }
}
