using System.Globalization;
using System.Security;
using System.Text;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>One bar of the results plot.</summary>
public sealed record PlotPoint(QuantizationMethod Method, BitSetting Bits, double Accuracy, double Cosine);

/// <summary>
/// Grouped bar chart of the results (plain SVG): spam accuracy and cosine to float32 by bit setting, one bar per
/// quantized method; float32 is the dashed reference line.
/// </summary>
public static class ResultsPlot
{
    private const int PanelWidth = 420, Height = 360, Top = 50, Bottom = 70, Left = 60, Gap = 40;
    private static readonly string[] Palette = ["#7f7f7f", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd"]; // by method

    /// <summary>The SVG document of a run's results.</summary>
    public static string Render(IReadOnlyList<MethodResult> results) =>
        Render(results.Select(r => new PlotPoint(r.Method, r.Bits, r.Accuracy, r.MeanCosine)).ToArray());

    /// <summary>The SVG document.</summary>
    public static string Render(IReadOnlyList<PlotPoint> points)
    {
        if (points.Count == 0) throw new ArgumentException("no results to plot");
        PlotPoint? reference = points.FirstOrDefault(p => p.Method == QuantizationMethod.Fp32);
        var results = points.Where(p => p.Method != QuantizationMethod.Fp32).ToArray();
        if (results.Length == 0) results = points.ToArray();
        var settings = results.Select(r => r.Bits.ToString()).Distinct().ToArray();
        var methods = MethodNames.All.Where(m => results.Any(r => r.Method == m)).ToArray();
        int width = 2 * (Left + PanelWidth) + Gap + 140;
        var sb = new StringBuilder();
        sb.Append(Fmt($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{Height}\" viewBox=\"0 0 {width} {Height}\" ") +
            Fmt($"font-family=\"sans-serif\" font-size=\"12\">\n"));
        sb.Append(Fmt($"<rect width=\"{width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        Panel(sb, 0, "Spam accuracy (held-out)", results, settings, methods, r => r.Accuracy, reference?.Accuracy);
        Panel(sb, Left + PanelWidth + Gap, "Cosine to float32 embeddings (mean)", results, settings, methods, r => r.Cosine, reference?.Cosine);
        double legendX = 2 * (Left + PanelWidth) + Gap + 10;
        for (int i = 0; i < methods.Length; i++)
        {
            sb.Append(Fmt($"<rect x=\"{legendX:F0}\" y=\"{Top + i * 20}\" width=\"12\" height=\"12\" fill=\"{Palette[(int)methods[i]]}\"/>\n"));
            sb.Append(Fmt($"<text x=\"{legendX + 18:F0}\" y=\"{Top + i * 20 + 10}\">{SecurityElement.Escape(methods[i].Name())}</text>\n"));
        }
        if (reference is not null)
        {
            double y = Top + methods.Length * 20 + 6;
            sb.Append(Fmt(
                $"<line x1=\"{legendX:F0}\" y1=\"{y:F0}\" x2=\"{legendX + 12:F0}\" y2=\"{y:F0}\" stroke=\"#444\" stroke-dasharray=\"4 3\"/>\n"));
            sb.Append(Fmt($"<text x=\"{legendX + 18:F0}\" y=\"{y + 4:F0}\">fp32</text>\n"));
        }
        return sb.Append("</svg>\n").ToString();
    }

    private static void Panel(StringBuilder sb, double x0, string title, IReadOnlyList<PlotPoint> results, string[] settings,
        QuantizationMethod[] methods, Func<PlotPoint, double> value, double? reference)
    {
        double plotH = Height - Top - Bottom, left = x0 + Left;
        sb.Append(Fmt(
            $"<text x=\"{left + PanelWidth / 2.0:F0}\" y=\"28\" text-anchor=\"middle\" font-size=\"14\">{SecurityElement.Escape(title)}</text>\n"));
        for (int i = 0; i <= 5; i++)
        {
            double y = Top + plotH - i / 5.0 * plotH;
            sb.Append(Fmt($"<line x1=\"{left:F0}\" y1=\"{y:F1}\" x2=\"{left + PanelWidth:F0}\" y2=\"{y:F1}\" stroke=\"#e0e0e0\"/>\n"));
            sb.Append(Fmt($"<text x=\"{left - 6:F0}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{i / 5.0:F1}</text>\n"));
        }
        double groupW = PanelWidth / (double)settings.Length, barW = groupW * 0.8 / methods.Length;
        for (int g = 0; g < settings.Length; g++)
        {
            double gx = left + g * groupW + groupW * 0.1;
            sb.Append(Fmt($"<text x=\"{gx + groupW * 0.4:F1}\" y=\"{Top + plotH + 18:F0}\" text-anchor=\"middle\">{settings[g]}</text>\n"));
            for (int m = 0; m < methods.Length; m++)
            {
                PlotPoint? r = results.FirstOrDefault(r => r.Method == methods[m] && r.Bits.ToString() == settings[g]);
                if (r is null) continue;
                double v = Math.Clamp(value(r), 0, 1), h = v * plotH;
                sb.Append(Fmt($"<rect x=\"{gx + m * barW:F1}\" y=\"{Top + plotH - h:F1}\" width=\"{barW * 0.9:F1}\" height=\"{h:F1}\" ") +
                    Fmt($"fill=\"{Palette[(int)methods[m]]}\"><title>{methods[m].Name()} {settings[g]}: {value(r):F4}</title></rect>\n"));
            }
        }
        if (reference is double level)
        {
            double y = Top + plotH - Math.Clamp(level, 0, 1) * plotH;
            sb.Append(Fmt($"<line x1=\"{left:F0}\" y1=\"{y:F1}\" x2=\"{left + PanelWidth:F0}\" y2=\"{y:F1}\" ") +
                Fmt($"stroke=\"#444\" stroke-dasharray=\"4 3\"><title>fp32: {level:F4}</title></line>\n"));
        }
        sb.Append(Fmt($"<text x=\"{left + PanelWidth / 2.0:F0}\" y=\"{Height - 20}\" text-anchor=\"middle\">E/W/A bits</text>\n"));
        sb.Append(Fmt($"<line x1=\"{left:F0}\" y1=\"{Top + plotH:F0}\" x2=\"{left + PanelWidth:F0}\" y2=\"{Top + plotH:F0}\" stroke=\"black\"/>\n"));
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
