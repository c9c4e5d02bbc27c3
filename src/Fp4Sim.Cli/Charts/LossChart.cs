using Fp4Sim.Training.Train;
using ScottPlot;

namespace Fp4Sim.Cli.Charts;

/// <summary>
/// The chart of <c>fp4sim quartet train --out</c> (<c>validation-loss.svg</c>): per run, the validation loss against
/// step (solid, with markers) and the training loss as a running mean (thin, faded), one colour per run; the legend
/// gives each run's last validation loss.
/// </summary>
public static class LossChart
{
    /// <summary>The title the training verb gives its chart.</summary>
    public const string TrainingTitle = "Byte-level decoder on SpamAssassin ham: validation loss by setting";

    private const int Width = 860, Height = 440;

    /// <summary>The chart of <paramref name="runs"/> under <paramref name="title"/>.</summary>
    /// <exception cref="ArgumentException">No run has a validation point.</exception>
    public static byte[] Render(IReadOnlyList<LossCurve> runs, string title, ChartFormat format)
    {
        var validation = runs.Select(r => r.Validation()).ToArray();
        if (validation.All(v => v.Count == 0)) throw new ArgumentException("no validation losses to plot");
        var smoothed = runs.Select(r => r.TrainingMean()).ToArray();
        Plot plot = Chart.NewPlot(title, "training step", "loss (nats per byte)");
        var legend = new List<LegendItem>();
        for (int r = 0; r < runs.Count; r++)
        {
            Color color = Chart.Palette[r % Chart.Palette.Length];
            if (smoothed[r].Count > 1)
            {
                var train = plot.Add.ScatterLine(smoothed[r].Select(p => (double)p.Step).ToArray(), smoothed[r].Select(p => p.Loss).ToArray(),
                    color.WithAlpha(0.35));
                train.LineWidth = 1;
            }
            var line = plot.Add.Scatter(validation[r].Select(p => (double)p.Step).ToArray(), validation[r].Select(p => p.Loss).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 6;
            string last = validation[r].Count > 0 ? $" (val {Chart.Number(validation[r][^1].Loss, "0.000")})" : "";
            legend.Add(Chart.Item(runs[r].Label + last, color, MarkerShape.FilledCircle, 2));
        }
        legend.Add(Chart.Item($"faded: train loss, {LossCurve.Smoothing}-step mean", Chart.Ink));
        plot.Legend.ManualItems.AddRange(legend);
        plot.ShowLegend(Edge.Right);
        // The first steps' loss (about ln 256 = 5.5) would squash the curves that matter: show at most 4 nats above
        // the lowest value, on quarter-nat bounds.
        double[] values = [.. validation.SelectMany(v => v.Select(p => p.Loss)), .. smoothed.SelectMany(s => s.Select(p => p.Loss))];
        double low = Math.Floor(values.Min() * 4) / 4, high = Math.Ceiling(Math.Min(values.Max(), values.Min() + 4) * 4) / 4;
        if (high <= low) high = low + 0.25;
        double maxStep = runs.Max(r => r.Records.Count == 0 ? 1 : r.Records.Max(x => x.Step));
        plot.Axes.SetLimits(0, maxStep, low, high);
        return Chart.Encode(format, Height, (plot, Width));
    }
}
