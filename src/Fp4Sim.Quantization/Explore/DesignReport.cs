using System.Globalization;
using System.Text;

namespace Fp4Sim.Quantization.Explore;

/// <summary>
/// The design-space table for the terminal and as CSV (written, and read back so a finished exploration can be
/// charted again: the chart itself is drawn by the tool, fp4sim).
/// </summary>
public static class DesignReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string Area(double? ge, string format) => ge is double v ? v.ToString(format, Invariant) : "-";

    /// <summary>One line per point: operands, accumulator, unit, area, ratio to INT4, accuracy, cosines, events, Pareto mark.</summary>
    public static string Table(IReadOnlyList<DesignPoint> points)
    {
        var sb = new StringBuilder();
        sb.Append(string.Format(Invariant, "{0,-10} {1,-19} {2,-10} {3,9} {4,7} {5,9} {6,9} {7,9} {8,12} {9,12} {10}\n",
            "operands", "accumulator", "unit", "area GE", "x int4", "spam acc", "cos mean", "cos min", "overflows", "rounded", "pareto"));
        foreach (DesignPoint p in points)
        {
            if (p.Refused is not null)
            {
                sb.Append(string.Format(Invariant, "{0,-10} {1,-19} refused: {2}\n", p.Operands, p.Accumulator, p.Refused));
                continue;
            }
            sb.Append(string.Format(Invariant, "{0,-10} {1,-19} {2,-10} {3,9} {4,7} {5,9:F4} {6,9:F4} {7,9:F4} {8,12} {9,12} {10}\n",
                p.Operands, p.Accumulator, p.Unit, Area(p.AreaGe, "F0"), Area(p.AreaRatio, "F2"), p.Accuracy, p.MeanCosine, p.MinCosine,
                p.Overflows, p.RoundedTerms, p.Pareto ? "*" : ""));
        }
        return sb.ToString();
    }

    /// <summary>The machine interface: one row per point.</summary>
    public static string Csv(IReadOnlyList<DesignPoint> points)
    {
        var sb = new StringBuilder(CsvHeader + "\n");
        foreach (DesignPoint p in points)
            sb.Append(string.Format(Invariant, "{0},{1},{2},{3},{4},{5},{6},{7},{8},{9},{10},{11:F1},{12}\n", p.Operands, p.Accumulator, p.Unit,
                Area(p.AreaGe, "R"), Area(p.AreaRatio, "R"), Num(p.Accuracy), Num(p.MeanCosine), Num(p.MinCosine), p.Overflows, p.RoundedTerms,
                p.Pareto ? 1 : 0, p.Seconds, p.Refused is null ? "" : "\"" + p.Refused.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        return sb.ToString();
    }

    private static string Num(double v) => double.IsNaN(v) ? "" : v.ToString("R", Invariant);

    private const string CsvHeader = "operands,accumulator,unit,area_ge,area_ratio_int4,spam_accuracy,cosine_mean,cosine_min," +
        "overflowed_adds,rounded_terms,pareto,seconds,refused";

    /// <summary>The points of a CSV written by <see cref="Csv"/>: areas <c>-</c> read as none, empty numbers as NaN.</summary>
    /// <exception cref="InvalidDataException">Another header, or a row that does not parse (naming the line).</exception>
    public static IReadOnlyList<DesignPoint> ReadCsv(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.ReadLine() != CsvHeader) throw new InvalidDataException($"line 1: expected the header '{CsvHeader}'");
        var points = new List<DesignPoint>();
        int number = 1;
        for (string? line; (line = reader.ReadLine()) != null;)
        {
            number++;
            if (line.Length == 0) continue;
            string[] f = Fields(line);
            double? Optional(string text) => text == "-" ? null : Number(text);
            double Number(string text) => text.Length == 0 ? double.NaN
                : double.TryParse(text, NumberStyles.Float, Invariant, out double v) ? v : throw Bad(number, line);
            long Count(string text) => long.TryParse(text, NumberStyles.None, Invariant, out long v) ? v : throw Bad(number, line);
            if (f.Length != 13 || f[10] is not ("0" or "1")) throw Bad(number, line);
            points.Add(new DesignPoint(f[0], f[1], f[2], Optional(f[3]), Number(f[5]), Number(f[6]), Number(f[7]), Count(f[8]), Count(f[9]),
                Number(f[11]), f[12].Length == 0 ? null : f[12])
            { AreaRatio = Optional(f[4]), Pareto = f[10] == "1" });
        }
        return points;
    }

    private static InvalidDataException Bad(int number, string line) =>
        new($"line {number}: expected {CsvHeader.Split(',').Length} fields as {nameof(Csv)} writes them, got '{line}'");

    /// <summary>The fields of one line: commas split, except inside double quotes, where <c>""</c> is one quote.</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}
