using System.Globalization;
using System.Security;
using System.Text;

namespace Fp4Sim.Quantization.Explore;

/// <summary>The design-space table for the terminal, as CSV, and as an SVG of accuracy against MAC area.</summary>
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
        var sb = new StringBuilder("operands,accumulator,unit,area_ge,area_ratio_int4,spam_accuracy,cosine_mean,cosine_min," +
            "overflowed_adds,rounded_terms,pareto,seconds,refused\n");
        foreach (DesignPoint p in points)
            sb.Append(string.Format(Invariant, "{0},{1},{2},{3},{4},{5},{6},{7},{8},{9},{10},{11:F1},{12}\n", p.Operands, p.Accumulator, p.Unit,
                Area(p.AreaGe, "R"), Area(p.AreaRatio, "R"), Num(p.Accuracy), Num(p.MeanCosine), Num(p.MinCosine), p.Overflows, p.RoundedTerms,
                p.Pareto ? 1 : 0, p.Seconds, p.Refused is null ? "" : "\"" + p.Refused.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        return sb.ToString();
    }

    private static string Num(double v) => double.IsNaN(v) ? "" : v.ToString("R", Invariant);

    private const int Width = 760, Height = 460, Left = 70, Right = 170, Top = 40, Bottom = 60;
    private static readonly string[] Palette = ["#7f7f7f", "#bcbd22", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b"];

    /// <summary>
    /// Accuracy against MAC area (log scale), one colour per operand choice, the Pareto front joined by a line and its
    /// points ringed; the float32 model's accuracy is the dashed line. Points without an area are left out.
    /// </summary>
    public static string Svg(IReadOnlyList<DesignPoint> points, double referenceAccuracy)
    {
        DesignPoint[] shown = points.Where(p => p.AreaGe is > 0 && p.Refused is null && !double.IsNaN(p.Accuracy)).ToArray();
        if (shown.Length == 0) throw new ArgumentException("no point has an area to plot");
        double minArea = shown.Min(p => p.AreaGe!.Value) / 1.2, maxArea = shown.Max(p => p.AreaGe!.Value) * 1.2;
        double minAcc = Math.Min(shown.Min(p => p.Accuracy), referenceAccuracy) - 0.02;
        double maxAcc = Math.Max(shown.Max(p => p.Accuracy), referenceAccuracy) + 0.02;
        double X(double area) => Left + (Math.Log(area) - Math.Log(minArea)) / (Math.Log(maxArea) - Math.Log(minArea)) * (Width - Left - Right);
        double Y(double acc) => Top + (maxAcc - acc) / (maxAcc - minAcc) * (Height - Top - Bottom);
        string[] operands = shown.Select(p => p.Operands).Distinct().ToArray();
        var sb = new StringBuilder();
        sb.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" ") +
            "font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        sb.Append(F($"<text x=\"{Left}\" y=\"22\" font-size=\"14\">USE-Lite spam accuracy against MAC lane area (bit-exact inference)</text>\n"));
        sb.Append(F($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        sb.Append(F($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        for (double tick = Math.Pow(10, Math.Floor(Math.Log10(minArea))); tick <= maxArea; tick *= 10)
            foreach (double m in new[] { 1.0, 2.0, 5.0 })
            {
                double a = tick * m;
                if (a < minArea || a > maxArea) continue;
                sb.Append(F($"<line x1=\"{X(a):F1}\" y1=\"{Height - Bottom}\" x2=\"{X(a):F1}\" y2=\"{Height - Bottom + 5}\" stroke=\"black\"/>"));
                sb.Append(F($"<text x=\"{X(a):F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{a:G4}</text>\n"));
            }
        for (int i = 0; i <= 5; i++)
        {
            double acc = minAcc + i * (maxAcc - minAcc) / 5;
            sb.Append(F($"<text x=\"{Left - 6}\" y=\"{Y(acc) + 4:F1}\" text-anchor=\"end\">{acc:F3}</text>\n"));
        }
        sb.Append(F($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">") +
            "MAC lane area (NAND2 equivalents, log scale)</text>\n");
        sb.Append(F($"<text transform=\"translate(18,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">spam accuracy</text>\n"));
        sb.Append(F($"<line x1=\"{Left}\" y1=\"{Y(referenceAccuracy):F1}\" x2=\"{Width - Right}\" y2=\"{Y(referenceAccuracy):F1}\" ") +
            F($"stroke=\"#555\" stroke-dasharray=\"5,4\"><title>float32: {referenceAccuracy:F4}</title></line>\n"));
        DesignPoint[] front = shown.Where(p => p.Pareto).OrderBy(p => p.AreaGe).ToArray();
        if (front.Length > 1)
            sb.Append("<polyline fill=\"none\" stroke=\"black\" stroke-width=\"1.5\" points=\"" +
                string.Join(' ', front.Select(p => F($"{X(p.AreaGe!.Value):F1},{Y(p.Accuracy):F1}"))) + "\"/>\n");
        foreach (DesignPoint p in shown)
        {
            string colour = Palette[Array.IndexOf(operands, p.Operands) % Palette.Length];
            string title = SecurityElement.Escape($"{p.Operands} {p.Accumulator}: {p.AreaGe:F0} GE, acc {p.Accuracy:F4}, cos {p.MeanCosine:F4}");
            sb.Append(F($"<circle cx=\"{X(p.AreaGe!.Value):F1}\" cy=\"{Y(p.Accuracy):F1}\" r=\"4.5\" fill=\"{colour}\"") +
                (p.Pareto ? " stroke=\"black\" stroke-width=\"2\"" : "") + $"><title>{title}</title></circle>\n");
        }
        for (int i = 0; i < operands.Length; i++)
        {
            double y = Top + 10 + i * 18;
            sb.Append(F($"<circle cx=\"{Width - Right + 20}\" cy=\"{y}\" r=\"5\" fill=\"{Palette[i % Palette.Length]}\"/>"));
            sb.Append(F($"<text x=\"{Width - Right + 32}\" y=\"{y + 4}\">") + SecurityElement.Escape(operands[i]) + "</text>\n");
        }
        double legend = Top + 10 + operands.Length * 18 + 10;
        sb.Append(F($"<circle cx=\"{Width - Right + 20}\" cy=\"{legend}\" r=\"5\" fill=\"white\" stroke=\"black\" stroke-width=\"2\"/>"));
        sb.Append(F($"<text x=\"{Width - Right + 32}\" y=\"{legend + 4}\">Pareto front</text>\n"));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string F(FormattableString s) => s.ToString(Invariant);
}
