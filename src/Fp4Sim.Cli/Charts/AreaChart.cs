using Fp4Sim.Hardware.Cost;
using ScottPlot;

namespace Fp4Sim.Cli.Charts;

/// <summary>One line of the area chart: an operand format pair and its MAC area at each accumulator width.</summary>
/// <param name="Name">The pair, <c>e2m1</c> or <c>e2m1xe1m2</c> (A × B).</param>
/// <param name="Integer">Both operands are INT formats (drawn hollow and dashed).</param>
/// <param name="Points">(width W in bits, area in GE), by width.</param>
public sealed record AreaSeries(string Name, bool Integer, IReadOnlyList<(int Width, double Ge)> Points);

/// <summary>
/// The chart of <c>fp4sim cost --svg PATH</c>: MAC area (GE) against accumulator width W, one series per operand
/// format pair; FP series are filled circles on solid lines, INT series hollow squares on dashed lines.
/// </summary>
public static class AreaChart
{
    private const int Width = 760, Height = 460;

    /// <summary>
    /// The series of the MAC rows of <paramref name="rows"/>, in the order their pairs first appear; where a pair has two
    /// rows at one width (two grid layouts of one register), the smaller area.
    /// </summary>
    /// <exception cref="ArgumentException">No row is a MAC (has an accumulator width).</exception>
    public static IReadOnlyList<AreaSeries> Series(IReadOnlyList<CostRow> rows)
    {
        CostRow[] macs = rows.Where(r => r.AccumulatorWidth is not null).ToArray();
        if (macs.Length == 0) throw new ArgumentException("the area plot needs at least one fp_mac row (try --set sweep)");
        return macs.GroupBy(r => r.Formats).Select(g => new AreaSeries(Label(g.Key), IsInteger(g.Key.A) && IsInteger(g.Key.B),
            g.GroupBy(r => r.AccumulatorWidth!.Value).Select(p => (p.Key, p.Min(r => r.BestGe))).OrderBy(p => p.Key).ToArray())).ToArray();
    }

    /// <summary>The chart of <paramref name="rows"/>' MAC rows (yosys areas when every row was synthesized).</summary>
    public static byte[] Render(IReadOnlyList<CostRow> rows, ChartFormat format) =>
        Render(Series(rows), rows.Where(r => r.AccumulatorWidth is not null).All(r => r.Synthesis is not null), format);

    /// <summary>The chart of <paramref name="series"/>; <paramref name="synthesized"/> names the areas' source in the title.</summary>
    public static byte[] Render(IReadOnlyList<AreaSeries> series, bool synthesized, ChartFormat format)
    {
        string source = synthesized ? "yosys, fp4sim-gates" : "analytic model";
        Plot plot = Chart.NewPlot($"MAC area by operand format and accumulator width ({source})", "accumulator width W (bits)",
            "area (GE, NAND2 equivalents)");
        var legend = new List<LegendItem>();
        for (int i = 0; i < series.Count; i++)
        {
            AreaSeries s = series[i];
            Color color = Chart.Palette[i % Chart.Palette.Length];
            var line = plot.Add.Scatter(s.Points.Select(p => (double)p.Width).ToArray(), s.Points.Select(p => p.Ge).ToArray(), color);
            line.LineWidth = 1.5f;
            line.LinePattern = s.Integer ? LinePattern.Dashed : LinePattern.Solid;
            line.MarkerShape = s.Integer ? MarkerShape.OpenSquare : MarkerShape.FilledCircle;
            line.MarkerSize = 8;
            line.MarkerLineWidth = 1.5f;
            legend.Add(Chart.Item(s.Name, color, line.MarkerShape, 1.5f, line.LinePattern));
        }
        legend.Add(Chart.Item("filled: FP, hollow: INT", Chart.Ink));
        plot.Legend.ManualItems.AddRange(legend);
        plot.ShowLegend(Edge.Right);
        // Ticks at the widths swept, not at ScottPlot's round numbers: each column of points is one register width.
        int[] widths = series.SelectMany(s => s.Points.Select(p => p.Width)).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            widths.Select(w => (double)w).ToArray(), widths.Select(w => Chart.Number(w, "0")).ToArray());
        double maxGe = series.Max(s => s.Points.Max(p => p.Ge));
        plot.Axes.SetLimitsX(widths[0] - 2, widths[^1] + 2);
        plot.Axes.SetLimitsY(0, maxGe * 1.05);
        return Chart.Encode(format, Height, (plot, Width));
    }

    private static string Label((string A, string B) f) => f.A == f.B ? f.A : $"{f.A}x{f.B}";

    private static bool IsInteger(string format) => format.StartsWith("int", StringComparison.Ordinal);
}
