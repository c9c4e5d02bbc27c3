using System.Globalization;
using System.Text.RegularExpressions;

namespace Fp4Sim.Hardware.Cost;

/// <summary>
/// The cost model's gate library, <c>fp4sim-gates.lib</c> (embedded): twelve cells whose liberty <c>area</c> is in
/// NAND2 equivalents (GE) — the relative sizes of typical open 45 nm X1 cells, an assumption rather than foundry
/// data (docs/cost.md). The liberty file is the one source of the areas; the transistor counts per cell (static
/// CMOS, XOR2/XNOR2 and MUX2 as 12-transistor cells, DFF as a 24-transistor master-slave flip-flop) live here.
/// </summary>
public static partial class GateLibrary
{
    /// <summary>The flip-flop cell's name (D flip-flop on the rising edge).</summary>
    public const string FlipFlop = "DFF";

    /// <summary>The liberty text handed to yosys.</summary>
    public static string Liberty { get; } = ReadLiberty();

    /// <summary>Area in GE of every cell, read from <see cref="Liberty"/>.</summary>
    public static IReadOnlyDictionary<string, double> Area { get; } = ParseAreas(Liberty);

    /// <summary>Transistors per cell (static CMOS).</summary>
    public static IReadOnlyDictionary<string, int> Transistors { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["INV"] = 2,
        ["BUF"] = 4,
        ["NAND2"] = 4,
        ["NOR2"] = 4,
        ["AND2"] = 6,
        ["OR2"] = 6,
        ["AOI21"] = 6,
        ["OAI21"] = 6,
        ["XOR2"] = 12,
        ["XNOR2"] = 12,
        ["MUX2"] = 12,
        [FlipFlop] = 24,
    };

    /// <summary>Area of one DFF in GE.</summary>
    public static double FlipFlopArea => Area[FlipFlop];

    private static string ReadLiberty()
    {
        using Stream stream = typeof(GateLibrary).Assembly.GetManifestResourceStream("cost/fp4sim-gates.lib")
            ?? throw new InvalidOperationException("the gate library resource cost/fp4sim-gates.lib is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static Dictionary<string, double> ParseAreas(string liberty)
    {
        var areas = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in CellArea().Matches(liberty))
            areas.Add(m.Groups[1].Value, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return areas;
    }

    [GeneratedRegex(@"cell\((\w+)\)\s*\{\s*area\s*:\s*([0-9.]+)\s*;")]
    private static partial Regex CellArea();
}
