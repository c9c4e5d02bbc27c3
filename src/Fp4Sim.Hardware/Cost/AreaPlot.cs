using System.Globalization;
using System.Security;
using System.Text;

namespace Fp4Sim.Hardware.Cost;

/// <summary>
/// The area plot of <c>fp4sim cost --svg</c>: MAC area (GE) against accumulator width W, one series per operand
/// format pair; FP series are filled circles, INT series hollow squares. Plain SVG written here, no plotting library.
/// </summary>
public static class AreaPlot
{
    private const int Width = 760, Height = 460, Left = 70, Right = 200, Top = 50, Bottom = 60;
    private static readonly string[] Palette =
        ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22"];

    /// <summary>The SVG of the MAC rows of <paramref name="rows"/>; throws <see cref="ArgumentException"/> when there are none.</summary>
    public static string Render(IReadOnlyList<CostRow> rows)
    {
        var macs = rows.Where(r => r.AccumulatorWidth is not null).ToArray();
        if (macs.Length == 0) throw new ArgumentException("the area plot needs at least one fp_mac row (try --set sweep)");
        bool synth = macs.All(r => r.Synthesis is not null);
        var series = macs.GroupBy(r => r.Formats).Select(g => (Name: Label(g.Key), Integer: IsInteger(g.Key.A) && IsInteger(g.Key.B),
            Points: g.GroupBy(r => r.AccumulatorWidth!.Value)
                .Select(p => (X: (double)p.Key, Y: p.Min(r => r.BestGe))).OrderBy(p => p.X).ToArray())).ToArray();
        double xMin = series.Min(s => s.Points.Min(p => p.X)), xMax = series.Max(s => s.Points.Max(p => p.X));
        if (xMax == xMin) { xMin -= 4; xMax += 4; }
        double yMax = NiceCeiling(series.Max(s => s.Points.Max(p => p.Y)));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + (x - xMin) / (xMax - xMin) * plotW;
        double Py(double y) => Top + plotH - y / yMax * plotH;

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" " +
            $"font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        string source = synth ? "yosys, fp4sim-gates" : "analytic model";
        sb.Append($"<text x=\"{Left + plotW / 2:F0}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">" +
            $"{Esc($"MAC area by operand format and accumulator width ({source})")}</text>\n");
        // axes, grid and ticks
        for (int i = 0; i <= 5; i++)
        {
            double y = yMax * i / 5;
            sb.Append(Fmt($"<line x1=\"{Left}\" y1=\"{Py(y):F1}\" x2=\"{Left + plotW}\" y2=\"{Py(y):F1}\" stroke=\"#e0e0e0\"/>\n"));
            sb.Append(Fmt($"<text x=\"{Left - 6}\" y=\"{Py(y) + 4:F1}\" text-anchor=\"end\">{y:0}</text>\n"));
        }
        foreach (double x in series.SelectMany(s => s.Points.Select(p => p.X)).Distinct().Order())
            sb.Append(Fmt($"<text x=\"{Px(x):F1}\" y=\"{Top + plotH + 18}\" text-anchor=\"middle\">{x:0}</text>\n"));
        sb.Append(Fmt($"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Left + plotW}\" y2=\"{Top + plotH}\" stroke=\"black\"/>\n"));
        sb.Append(Fmt($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"black\"/>\n"));
        sb.Append(Fmt($"<text x=\"{Left + plotW / 2:F0}\" y=\"{Height - 18}\" text-anchor=\"middle\">accumulator width W (bits)</text>\n"));
        sb.Append(Fmt(
            $"<text transform=\"translate(18 {Top + plotH / 2:F0}) rotate(-90)\" text-anchor=\"middle\">area (NAND2 equivalents)</text>\n"));
        // series
        for (int i = 0; i < series.Length; i++)
        {
            var s = series[i];
            string color = Palette[i % Palette.Length];
            sb.Append($"<g class=\"series\" data-name=\"{Esc(s.Name)}\" data-kind=\"{(s.Integer ? "int" : "fp")}\">\n");
            if (s.Points.Length > 1)
                sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"{(s.Integer ? " stroke-dasharray=\"5 3\"" : "")} " +
                    $"points=\"{string.Join(' ', s.Points.Select(p => Fmt($"{Px(p.X):F1},{Py(p.Y):F1}")))}\"/>\n");
            foreach (var p in s.Points) sb.Append(Marker(Px(p.X), Py(p.Y), color, s.Integer));
            sb.Append("</g>\n");
            double ly = Top + 10 + i * 20, lx = Left + plotW + 20;
            sb.Append(Marker(lx + 10, ly, color, s.Integer));
            sb.Append(Fmt($"<text x=\"{lx + 22}\" y=\"{ly + 4:F1}\">{Esc(s.Name)}</text>\n"));
        }
        double noteY = Top + 10 + series.Length * 20 + 10;
        sb.Append(Fmt($"<text x=\"{Left + plotW + 20}\" y=\"{noteY:F1}\" font-size=\"10\" fill=\"#555\">filled: FP, hollow: INT</text>\n"));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Marker(double x, double y, string color, bool hollow) => hollow
        ? Fmt($"<rect x=\"{x - 4:F1}\" y=\"{y - 4:F1}\" width=\"8\" height=\"8\" fill=\"white\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n")
        : Fmt($"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"4\" fill=\"{color}\"/>\n");

    private static string Label((string A, string B) f) => f.A == f.B ? f.A : $"{f.A}x{f.B}";

    private static bool IsInteger(string format) => format.StartsWith("int", StringComparison.Ordinal);

    private static double NiceCeiling(double v)
    {
        double step = Math.Pow(10, Math.Floor(Math.Log10(v))) / 2;
        return Math.Ceiling(v / step) * step;
    }

    private static string Esc(string s) => SecurityElement.Escape(s);

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
