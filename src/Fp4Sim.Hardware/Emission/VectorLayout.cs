using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fp4Sim.Hardware;

/// <summary>One field of a packed test vector: a unit port driven (<c>in</c>) or expected (<c>out</c>).</summary>
/// <param name="Name">The port name.</param>
/// <param name="Width">Bits.</param>
/// <param name="Lsb">Bit offset of the field's lsb in the packed vector (fields are packed first-listed at the top).</param>
/// <param name="Direction"><c>in</c> or <c>out</c>.</param>
public sealed record VectorField(string Name, int Width, int Lsb, string Direction)
{
    /// <summary>Bit offset of the field's msb.</summary>
    [JsonIgnore] public int Msb => Lsb + Width - 1;
}

/// <summary>
/// Golden vectors of one unit configuration: rows of field values (signed values stored as two's complement), written
/// as a <c>$readmemh</c> file (one vector per line, fixed number of hex digits) and a manifest.
/// </summary>
public sealed partial class VectorSet
{
    private readonly List<BigInteger[]> _rows = [];

    /// <summary>Lays out <paramref name="fields"/> (name, width, direction) from the top bit down.</summary>
    public VectorSet(string unit, string module, IReadOnlyList<(string Name, int Width, string Direction)> fields, ulong seed, string generation)
    {
        Unit = unit;
        Module = module;
        Seed = seed;
        Generation = generation;
        int lsb = fields.Sum(f => f.Width);
        Width = lsb;
        Fields = fields.Select(f => new VectorField(f.Name, f.Width, lsb -= f.Width, f.Direction)).ToArray();
    }

    /// <summary>The unit kind (<c>fp_mul</c>, <c>fp_mac</c>).</summary>
    public string Unit { get; }

    /// <summary>The module under test.</summary>
    public string Module { get; }

    /// <summary>The seed of the random part.</summary>
    public ulong Seed { get; }

    /// <summary>How the vectors were chosen (one line, for the manifest).</summary>
    public string Generation { get; }

    /// <summary>The fields, top first.</summary>
    public IReadOnlyList<VectorField> Fields { get; }

    /// <summary>Total bits of one vector.</summary>
    public int Width { get; }

    /// <summary>Number of vectors.</summary>
    public int Count => _rows.Count;

    /// <summary>Appends a vector: one value per field, in field order.</summary>
    public void Add(params BigInteger[] values)
    {
        if (values.Length != Fields.Count) throw new ArgumentException($"{values.Length} values for {Fields.Count} fields");
        _rows.Add(values);
    }

    /// <summary>The <c>$readmemh</c> text.</summary>
    public string ToHex()
    {
        int digits = (Width + 3) / 4;
        var sb = new StringBuilder(_rows.Count * (digits + 1));
        foreach (BigInteger[] row in _rows)
        {
            BigInteger packed = BigInteger.Zero;
            for (int i = 0; i < row.Length; i++)
                packed |= (row[i] & ((BigInteger.One << Fields[i].Width) - 1)) << Fields[i].Lsb;
            sb.Append(Verilog.ToHex(packed, digits)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The manifest (JSON): unit, formats, accumulator, fields with widths and offsets, count, seed, generator.</summary>
    public string ToManifest(IReadOnlyDictionary<string, string> configuration)
    {
        var manifest = new Manifest(Unit, Module, configuration, Width, Fields, Count, Seed, Generation, "vectors.hex", Generator.Version);
        return JsonSerializer.Serialize(manifest, ManifestJson.Default.Manifest) + "\n";
    }

    internal sealed record Manifest(string Unit, string Module, IReadOnlyDictionary<string, string> Configuration, int VectorWidth,
        IReadOnlyList<VectorField> Fields, int Count, ulong Seed, string Generation, string File, string Generator);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Manifest))]
    internal sealed partial class ManifestJson : JsonSerializerContext;
}
