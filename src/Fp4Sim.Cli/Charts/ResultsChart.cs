using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;
using ScottPlot;

namespace Fp4Sim.Cli.Charts;

/// <summary>
/// The chart of <c>fp4sim llmfp4 run --out</c> (<c>results.svg</c>): two panels, spam accuracy and mean cosine to
/// float32, each a group of bars per bit setting with one bar per quantized method; the float32 model is the dashed
/// reference line. The legend sits right of the second panel.
/// </summary>
public static class ResultsChart
{
    private const int PanelWidth = 480, LegendWidth = 150, Height = 380;

    // One colour per method wherever it appears, indexed by the enum (fp32 is the grey reference).
    private static readonly Color[] MethodColors = Color.FromHex(["#7f7f7f", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd"]);

    /// <summary>The chart of <paramref name="points"/>: the fp32 point is the reference line, the others are bars.</summary>
    /// <exception cref="ArgumentException">No points.</exception>
    public static byte[] Render(IReadOnlyList<PlotPoint> points, ChartFormat format)
    {
        if (points.Count == 0) throw new ArgumentException("no results to plot");
        PlotPoint? reference = points.FirstOrDefault(p => p.Method == QuantizationMethod.Fp32);
        PlotPoint[] bars = points.Where(p => p.Method != QuantizationMethod.Fp32).ToArray();
        if (bars.Length == 0) bars = [.. points];
        BitSetting[] settings = bars.Select(p => p.Bits).Distinct().ToArray();
        QuantizationMethod[] methods = MethodNames.All.Where(m => bars.Any(p => p.Method == m)).ToArray();
        Plot accuracy = Panel("Spam accuracy (held-out mails)", "spam accuracy (fraction correct)", bars, settings, methods,
            p => p.Accuracy, reference?.Accuracy);
        Plot cosine = Panel("Cosine to float32 embeddings (mean)", "cosine similarity to float32 (mean)", bars, settings, methods,
            p => p.Cosine, reference?.Cosine);
        cosine.Legend.ManualItems.AddRange(methods.Select(m => Chart.Item(m.Name(), MethodColors[(int)m], MarkerShape.FilledSquare)));
        if (reference is not null)
            cosine.Legend.ManualItems.Add(Chart.Item("fp32", Chart.Ink, lineWidth: 1.5f, pattern: LinePattern.Dashed));
        cosine.ShowLegend(Edge.Right);
        return Chart.Encode(format, Height, (accuracy, PanelWidth), (cosine, PanelWidth + LegendWidth));
    }

    private static Plot Panel(string title, string yLabel, PlotPoint[] bars, BitSetting[] settings, QuantizationMethod[] methods,
        Func<PlotPoint, double> value, double? reference)
    {
        Plot plot = Chart.NewPlot(title, "E/W/A bits (embedding / weights / activations)", yLabel);
        // Groups at 0, 1, 2, …; the bars of a group share 80 % of its width so groups stay apart.
        double barWidth = 0.8 / methods.Length;
        var list = new List<Bar>();
        for (int g = 0; g < settings.Length; g++)
            for (int m = 0; m < methods.Length; m++)
                if (bars.FirstOrDefault(p => p.Method == methods[m] && p.Bits == settings[g]) is { } point)
                    list.Add(new Bar
                    {
                        Position = g - 0.4 + (m + 0.5) * barWidth,
                        Value = Math.Clamp(value(point), 0, 1),
                        Size = barWidth * 0.9,
                        FillColor = MethodColors[(int)methods[m]],
                        LineWidth = 0,
                    });
        plot.Add.Bars(list);
        if (reference is double level) plot.Add.HorizontalLine(Math.Clamp(level, 0, 1), 1.5f, Chart.Ink, LinePattern.Dashed);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, settings.Length).Select(g => (double)g).ToArray(), settings.Select(s => s.ToString()).ToArray());
        plot.Axes.SetLimits(-0.5, settings.Length - 0.5, 0, 1.02);
        return plot;
    }
}
