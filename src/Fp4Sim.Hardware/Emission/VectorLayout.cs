using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// What the golden vectors of one unit configuration look like, without the vectors: the unit, the packed fields,
/// the seed and how the vectors were chosen. It packs one row of field values (signed values stored as two's
/// complement) into a line of the <c>$readmemh</c> file (a fixed number of hex digits), spells the file's last line
/// (<see cref="CountLine"/>) and writes the manifest.
/// </summary>
public sealed partial class VectorLayout
{
    private readonly BigInteger[] _masks;

    /// <summary>Lays out <paramref name="fields"/> (name, width, direction) from the top bit down.</summary>
    public VectorLayout(string unit, string module, IReadOnlyList<(string Name, int Width, string Direction)> fields, ulong seed,
        string generation)
    {
        Unit = unit;
        Module = module;
        Seed = seed;
        Generation = generation;
        int lsb = fields.Sum(f => f.Width);
        Width = lsb;
        Fields = fields.Select(f => new VectorField(f.Name, f.Width, lsb -= f.Width, f.Direction)).ToArray();
        _masks = Fields.Select(f => (BigInteger.One << f.Width) - 1).ToArray();
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

    /// <summary>Hex digits of one line of the <c>$readmemh</c> file (the newline not counted).</summary>
    public int HexDigits => (Width + 3) / 4;

    /// <summary>Throws unless <paramref name="row"/> holds one value per field.</summary>
    public void CheckRow(ReadOnlySpan<BigInteger> row)
    {
        if (row.Length != Fields.Count) throw new ArgumentException($"{row.Length} values for {Fields.Count} fields");
    }

    /// <summary>
    /// Writes <paramref name="row"/> (one value per field, in field order) as one line of the <c>$readmemh</c> file,
    /// <see cref="HexDigits"/> lower-case hex digits and a newline, into <paramref name="line"/>; returns its length.
    /// </summary>
    public int WriteLine(ReadOnlySpan<BigInteger> row, Span<char> line)
    {
        CheckRow(row);
        BigInteger packed = BigInteger.Zero;
        for (int i = 0; i < row.Length; i++) packed |= (row[i] & _masks[i]) << Fields[i].Lsb;
        Verilog.WriteHex(packed, line[..HexDigits]);
        line[HexDigits] = '\n';
        return HexDigits + 1;
    }

    /// <summary>
    /// The last line of a vector file of <paramref name="count"/> vectors, <c>// &lt;count&gt; vectors</c> and a newline: a
    /// comment to <c>$readmemh</c>, the number the testbench compares with the vectors it applied (a file without it,
    /// or with another number, fails the run).
    /// </summary>
    public static string CountLine(int count) => $"// {Verilog.Dec(count)} vectors\n";

    /// <summary>The manifest (JSON) of <paramref name="count"/> vectors: unit, formats, accumulator, fields, count, seed, generator.</summary>
    public string ToManifest(IReadOnlyDictionary<string, JsonNode> configuration, int count)
    {
        var manifest = new Manifest(Unit, Module, configuration, Width, Fields, count, Seed, Generation, RtlFiles.VectorFile, Generator.Version);
        return JsonSerializer.Serialize(manifest, ManifestJson.Default.Manifest) + "\n";
    }

    internal sealed record Manifest(string Unit, string Module, IReadOnlyDictionary<string, JsonNode> Configuration, int VectorWidth,
        IReadOnlyList<VectorField> Fields, int Count, ulong Seed, string Generation, string File, string Generator);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Manifest))]
    internal sealed partial class ManifestJson : JsonSerializerContext;
}
