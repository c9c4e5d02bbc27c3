using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Hardware;

/// <summary>A generated hardware operator: its RTL, its golden vectors (from its emulation) and their testbench.</summary>
public interface IRtlUnit
{
    /// <summary>The description the unit was built from.</summary>
    UnitSpec Spec { get; }

    /// <summary>The top module's name, unique per configuration; also the name of its directories.</summary>
    string ModuleName { get; }

    /// <summary>The configuration for the manifest (formats, accumulator).</summary>
    IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>The Verilog of the unit: one file per module (named after it), every module it needs, top last.</summary>
    IReadOnlyList<(string File, string Text)> Generate();

    /// <summary>Golden vectors: the default choice when <paramref name="count"/> is null, else that many random ones.</summary>
    VectorSet GenerateVectors(int? count, ulong seed);

    /// <summary>The self-checking testbench for <paramref name="vectors"/>.</summary>
    string GenerateTestbench(VectorSet vectors);
}

/// <summary>Writes a unit's files; every file is written atomically.</summary>
public static class RtlFiles
{
    /// <summary>The default vector seed.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>
    /// Writes <c>&lt;module&gt;.v</c> (one per module) and <c>tb_&lt;module&gt;.v</c> (for <paramref name="vectors"/>) into
    /// <paramref name="directory"/>.
    /// </summary>
    public static IReadOnlyList<string> WriteRtl(IRtlUnit unit, VectorSet vectors, string directory)
    {
        var written = new List<string>();
        foreach ((string file, string text) in unit.Generate())
        {
            written.Add(Path.Combine(directory, file));
            AtomicFile.WriteAllText(written[^1], text);
        }
        written.Add(Path.Combine(directory, $"tb_{unit.ModuleName}.v"));
        AtomicFile.WriteAllText(written[^1], unit.GenerateTestbench(vectors));
        return written;
    }

    /// <summary>Writes <c>vectors.hex</c> and <c>manifest.json</c> into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> WriteVectors(IRtlUnit unit, VectorSet vectors, string directory)
    {
        string hex = Path.Combine(directory, "vectors.hex"), manifest = Path.Combine(directory, "manifest.json");
        AtomicFile.WriteAllText(hex, vectors.ToHex());
        AtomicFile.WriteAllText(manifest, vectors.ToManifest(unit.Configuration));
        return [hex, manifest];
    }
}
