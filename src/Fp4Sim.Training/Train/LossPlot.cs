using System.Globalization;
using System.Security;
using System.Text;

namespace Fp4Sim.Training.Train;

/// <summary>One training run to plot: its label and records.</summary>
public sealed record LossCurve(string Label, IReadOnlyList<TrainingRecord> Records);

/// <summary>
/// The loss curves of several runs as a plain SVG: validation loss against step (solid, with markers) and the training
/// loss as a 20-step running mean (thin, faded), one colour per run.
/// </summary>
public static class LossPlot
{
    private const int Width = 760, Height = 440, Left = 70, Right = 170, Top = 50, Bottom = 60, Smoothing = 20;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>The SVG document.</summary>
    /// <exception cref="ArgumentException">No run has a validation point.</exception>
    public static string Render(IReadOnlyList<LossCurve> runs, string title)
    {
        var validation = runs.Select(r => r.Records.Where(x => x.ValidationLoss is not null)
            .Select(x => (x.Step, x.ValidationLoss!.Value)).ToArray()).ToArray();
        if (validation.All(v => v.Length == 0)) throw new ArgumentException("no validation losses to plot");
        var smoothed = runs.Select(r => RunningMean(r.Records)).ToArray();
        double maxStep = runs.Max(r => r.Records.Count == 0 ? 1 : r.Records.Max(x => x.Step));
        var values = validation.SelectMany(v => v.Select(p => p.Item2)).Concat(smoothed.SelectMany(s => s.Select(p => p.Loss))).ToArray();
        double low = Math.Floor(values.Min() * 4) / 4, high = Math.Ceiling(Math.Min(values.Max(), values.Min() + 4) * 4) / 4;
        if (high <= low) high = low + 0.25;
        double X(double step) => Left + step / maxStep * (Width - Left - Right);
        double Y(double loss) => Top + (high - Math.Clamp(loss, low, high)) / (high - low) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" "))
           .Append("font-family=\"sans-serif\" font-size=\"12\">\n")
           .Append(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"))
           .Append(F($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{SecurityElement.Escape(title)}</text>\n"));
        for (int i = 0; i <= 4; i++)
        {
            double loss = low + (high - low) * i / 4, y = Y(loss);
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#e0e0e0\"/>\n"))
               .Append(F($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{loss:0.00}</text>\n"));
            double step = maxStep * i / 4;
            svg.Append(F($"<text x=\"{X(step):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{step:0}</text>\n"));
        }
        svg.Append(F($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"))
           .Append(F($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"))
           .Append(F($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 18}\" text-anchor=\"middle\">step</text>\n"))
           .Append(F($"<text x=\"18\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" "))
           .Append(F($"transform=\"rotate(-90 18 {(Top + Height - Bottom) / 2})\">loss (nats per byte)</text>\n"));
        for (int r = 0; r < runs.Count; r++)
        {
            string colour = Palette[r % Palette.Length];
            if (smoothed[r].Length > 1)
                svg.Append(F($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-opacity=\"0.35\" stroke-width=\"1\" points=\""))
                   .Append(string.Join(' ', smoothed[r].Select(p => F($"{X(p.Step):0.#},{Y(p.Loss):0.#}")))).Append("\"/>\n");
            svg.Append(F($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\""))
               .Append(string.Join(' ', validation[r].Select(p => F($"{X(p.Step):0.#},{Y(p.Item2):0.#}")))).Append("\"/>\n");
            foreach ((int step, double loss) in validation[r])
                svg.Append(F($"<circle cx=\"{X(step):0.#}\" cy=\"{Y(loss):0.#}\" r=\"3\" fill=\"{colour}\"/>\n"));
            double legendY = Top + 10 + 36 * r;
            string last = validation[r].Length > 0 ? F($"val {validation[r][^1].Item2:0.000}") : "";
            svg.Append(F($"<line x1=\"{Width - Right + 12}\" y1=\"{legendY}\" x2=\"{Width - Right + 32}\" y2=\"{legendY}\" "))
               .Append(F($"stroke=\"{colour}\" stroke-width=\"2\"/>\n"))
               .Append(F($"<text x=\"{Width - Right + 38}\" y=\"{legendY + 4}\">{SecurityElement.Escape(runs[r].Label)}</text>\n"))
               .Append(F($"<text x=\"{Width - Right + 38}\" y=\"{legendY + 18}\" fill=\"#555\">{last}</text>\n"));
        }
        svg.Append(F($"<text x=\"{Width - Right + 12}\" y=\"{Height - Bottom}\" fill=\"#555\" font-size=\"10\">"))
           .Append(F($"faded: train loss, {Smoothing}-step mean</text>\n"));
        return svg.Append("</svg>\n").ToString();
    }

    private static (int Step, double Loss)[] RunningMean(IReadOnlyList<TrainingRecord> records)
    {
        var points = new List<(int, double)>();
        double sum = 0;
        for (int i = 0; i < records.Count; i++)
        {
            sum += records[i].TrainLoss;
            if (i >= Smoothing) sum -= records[i - Smoothing].TrainLoss;
            if (i >= Smoothing - 1) points.Add((records[i].Step, sum / Smoothing));
        }
        return [.. points];
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
