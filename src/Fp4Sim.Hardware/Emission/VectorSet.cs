using System.Numerics;
using System.Text.Json.Nodes;

namespace Fp4Sim.Hardware;

/// <summary>
/// Golden vectors held in memory: a <see cref="VectorLayout"/> and its rows. For vectors built from real data (layer
/// and GEMM exports) and for tests; a unit's generated vectors come as a <see cref="VectorSource"/>, which writers
/// stream without holding them (<see cref="VectorSource.ToSet"/> collects one).
/// </summary>
public sealed class VectorSet
{
    private readonly List<BigInteger[]> _rows = [];

    /// <summary>An empty set of <paramref name="layout"/>.</summary>
    public VectorSet(VectorLayout layout) => Layout = layout;

    /// <summary>Lays out <paramref name="fields"/> (name, width, direction) from the top bit down.</summary>
    public VectorSet(string unit, string module, IReadOnlyList<(string Name, int Width, string Direction)> fields, ulong seed, string generation)
        : this(new VectorLayout(unit, module, fields, seed, generation))
    {
    }

    /// <summary>The fields, seed and description of the vectors.</summary>
    public VectorLayout Layout { get; }

    /// <summary>The unit kind (<c>fp_mul</c>, <c>fp_mac</c>).</summary>
    public string Unit => Layout.Unit;

    /// <summary>The module under test.</summary>
    public string Module => Layout.Module;

    /// <summary>The seed of the random part.</summary>
    public ulong Seed => Layout.Seed;

    /// <summary>How the vectors were chosen (one line, for the manifest).</summary>
    public string Generation => Layout.Generation;

    /// <summary>The fields, top first.</summary>
    public IReadOnlyList<VectorField> Fields => Layout.Fields;

    /// <summary>Total bits of one vector.</summary>
    public int Width => Layout.Width;

    /// <summary>Number of vectors.</summary>
    public int Count => _rows.Count;

    /// <summary>Appends a vector: one value per field, in field order.</summary>
    public void Add(params BigInteger[] values)
    {
        Layout.CheckRow(values);
        _rows.Add(values);
    }

    /// <summary>The vectors held now, as a source the writers take (<see cref="RtlFiles"/>).</summary>
    public VectorSource AsSource()
    {
        int count = _rows.Count;
        return new VectorSource(Layout, count, row =>
        {
            for (int i = 0; i < count; i++) row(_rows[i]);
        });
    }

    /// <summary>The <c>$readmemh</c> text: one line per vector, then the count line.</summary>
    public string ToHex()
    {
        var text = new StringWriter { NewLine = "\n" };
        AsSource().WriteHex(text);
        return text.ToString();
    }

    /// <summary>The manifest (JSON): unit, formats, accumulator, fields with widths and offsets, count, seed, generator.</summary>
    public string ToManifest(IReadOnlyDictionary<string, JsonNode> configuration) => Layout.ToManifest(configuration, Count);
}
