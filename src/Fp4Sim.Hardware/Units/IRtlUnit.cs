using System.Text.Json.Nodes;

namespace Fp4Sim.Hardware;

/// <summary>A generated hardware operator: its RTL, its golden vectors (from its emulation) and their testbench.</summary>
public interface IRtlUnit
{
    /// <summary>The description the unit was built from.</summary>
    UnitSpec Spec { get; }

    /// <summary>The top module's name, unique per configuration; also the name of its directories.</summary>
    string ModuleName { get; }

    /// <summary>
    /// The configuration for the manifest (formats, accumulator, ...), each value typed as it is written: a number as a
    /// JSON number (<c>block_size</c>, <c>shift_bits</c>), a name or description as a JSON string.
    /// </summary>
    IReadOnlyDictionary<string, JsonNode> Configuration { get; }

    /// <summary>The Verilog of the unit: one file per module (named after it), every module it needs, top last.</summary>
    IReadOnlyList<(string File, string Text)> Generate();

    /// <summary>
    /// Golden vectors: the default choice when <paramref name="count"/> is null, else that many random ones (after the
    /// directed part, for the units that have one). Nothing is generated until the source is run or written.
    /// </summary>
    VectorSource Vectors(int? count, ulong seed);

    /// <summary>
    /// The self-checking testbench for vectors of <paramref name="layout"/>: the same text whatever their count or seed
    /// (it streams the vector file and checks its count line).
    /// </summary>
    string GenerateTestbench(VectorLayout layout);
}

/// <summary>The in-memory forms of <see cref="IRtlUnit"/>'s vectors, for tests and small sets.</summary>
public static class RtlUnitExtensions
{
    /// <summary><see cref="IRtlUnit.Vectors"/>, every vector held in memory.</summary>
    public static VectorSet GenerateVectors(this IRtlUnit unit, int? count, ulong seed) => unit.Vectors(count, seed).ToSet();

    /// <summary>The self-checking testbench for <paramref name="vectors"/>.</summary>
    public static string GenerateTestbench(this IRtlUnit unit, VectorSet vectors) => unit.GenerateTestbench(vectors.Layout);
}
