using Fp4Sim.Quantization.Explore;
using ScottPlot;

namespace Fp4Sim.Cli.Charts;

/// <summary>
/// The chart of <c>fp4sim explore --out</c> (<c>design-space.svg</c>): spam accuracy against MAC lane area on a log
/// scale, one colour per operand choice, the Pareto front joined by a black line with its points ringed, and the
/// float32 model's accuracy as the dashed line. Points without an area (floating-point accumulators) or refused are
/// left out.
/// </summary>
public static class DesignSpaceChart
{
    private const int Width = 800, Height = 460;

    // One colour per operand choice, in the order the explorer runs them (int4, int6, e2m1, …).
    private static readonly Color[] OperandColors =
        Color.FromHex(["#7f7f7f", "#bcbd22", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b"]);

    /// <summary>The chart; <paramref name="referenceAccuracy"/> (the float32 model's), when given, is the dashed line.</summary>
    /// <exception cref="ArgumentException">No point has an area.</exception>
    public static byte[] Render(IReadOnlyList<DesignPoint> points, double? referenceAccuracy, ChartFormat format)
    {
        DesignPoint[] shown = points.Where(p => p.AreaGe is > 0 && p.Refused is null && !double.IsNaN(p.Accuracy)).ToArray();
        if (shown.Length == 0) throw new ArgumentException("no point has an area to plot");
        Plot plot = Chart.NewPlot("USE-Lite spam accuracy against MAC lane area (bit-exact inference)",
            "MAC lane area (GE, NAND2 equivalents; log scale)", "spam accuracy (fraction of held-out mails)");
        // ScottPlot has no log axis: x is log10(area), and the ticks are placed and labelled in GE.
        static double X(DesignPoint p) => Math.Log10(p.AreaGe!.Value);
        string[] operands = shown.Select(p => p.Operands).Distinct().ToArray();
        var legend = new List<LegendItem>();
        DesignPoint[] front = shown.Where(p => p.Pareto).OrderBy(p => p.AreaGe).ToArray();
        if (front.Length > 1)
        {
            var line = plot.Add.ScatterLine(front.Select(X).ToArray(), front.Select(p => p.Accuracy).ToArray(), Colors.Black);
            line.LineWidth = 1.5f;
        }
        for (int i = 0; i < operands.Length; i++)
        {
            Color color = OperandColors[i % OperandColors.Length];
            DesignPoint[] mine = shown.Where(p => p.Operands == operands[i]).ToArray();
            var dots = plot.Add.Scatter(mine.Select(X).ToArray(), mine.Select(p => p.Accuracy).ToArray(), color);
            dots.LineWidth = 0;
            dots.MarkerShape = MarkerShape.FilledCircle;
            dots.MarkerSize = 9;
            legend.Add(Chart.Item(operands[i], color, MarkerShape.FilledCircle));
        }
        if (front.Length > 0)
        {
            // The ring drawn over each front point, larger than the dot, so the point's colour still shows.
            var rings = plot.Add.Scatter(front.Select(X).ToArray(), front.Select(p => p.Accuracy).ToArray(), Colors.Black);
            rings.LineWidth = 0;
            rings.MarkerShape = MarkerShape.OpenCircle;
            rings.MarkerSize = 14;
            rings.MarkerLineWidth = 2;
            legend.Add(Chart.Item("Pareto front", Colors.Black, MarkerShape.OpenCircle, 1.5f));
        }
        if (referenceAccuracy is double reference)
        {
            plot.Add.HorizontalLine(reference, 1.5f, Chart.Ink, LinePattern.Dashed);
            legend.Add(Chart.Item($"float32 ({Chart.Number(reference, "F4")})", Chart.Ink, lineWidth: 1.5f, pattern: LinePattern.Dashed));
        }
        plot.Legend.ManualItems.AddRange(legend);
        plot.ShowLegend(Edge.Right);

        double minArea = shown.Min(p => p.AreaGe!.Value) / 1.2, maxArea = shown.Max(p => p.AreaGe!.Value) * 1.2;
        double[] ticks = LogTicks(minArea, maxArea);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ticks.Select(Math.Log10).ToArray(), ticks.Select(t => Chart.Number(t, "G4")).ToArray());
        double low = Math.Min(shown.Min(p => p.Accuracy), referenceAccuracy ?? 1) - 0.02;
        double high = Math.Max(shown.Max(p => p.Accuracy), referenceAccuracy ?? 0) + 0.02;
        plot.Axes.SetLimits(Math.Log10(minArea), Math.Log10(maxArea), low, high);
        return Chart.Encode(format, Height, (plot, Width));
    }

    /// <summary>1, 2, 3 and 5 times each power of ten inside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static double[] LogTicks(double min, double max)
    {
        var ticks = new List<double>();
        for (double decade = Math.Pow(10, Math.Floor(Math.Log10(min))); decade <= max; decade *= 10)
            foreach (double m in new[] { 1.0, 2.0, 3.0, 5.0 })
                if (decade * m >= min && decade * m <= max) ticks.Add(decade * m);
        return [.. ticks];
    }
}
