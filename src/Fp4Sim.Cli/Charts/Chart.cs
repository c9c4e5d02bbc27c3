using System.Globalization;
using System.Text;
using System.Xml.Linq;
using ScottPlot;
using SkiaSharp;

namespace Fp4Sim.Cli.Charts;

/// <summary>How a chart file is encoded.</summary>
public enum ChartFormat
{
    /// <summary>Scalable vector graphics (the default, and what the docs embed).</summary>
    Svg,

    /// <summary>A PNG bitmap.</summary>
    Png,
}

/// <summary>
/// What every chart shares: the file format chosen by the output path, one look (white figure, a sans-serif font,
/// one palette, the same title and label sizes), and the encoding of one or more ScottPlot panels, side by side, to
/// SVG or PNG bytes. The chart files only say what to draw.
/// </summary>
public static class Chart
{
    /// <summary>The category colours, in the order series take them (the same hues the hand-written charts used).</summary>
    public static readonly Color[] Palette = Color.FromHex(
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22"]);

    /// <summary>The colour of reference lines and of marks that belong to no series.</summary>
    public static readonly Color Ink = Color.FromHex("#444444");

    // ScottPlot's own default can be a serif face (it takes the first family it finds); these are sans families that
    // Debian and most desktops ship, and rendering falls back to Skia's default when none is installed.
    private static readonly string FontName =
        new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Lato" }.FirstOrDefault(f => SKFontManager.Default.MatchFamily(f) is not null)
        ?? Fonts.Default;

    /// <summary>
    /// The format <paramref name="path"/> asks for by its extension (<c>.svg</c> or <c>.png</c>, any case); any other is
    /// bad input (exit 2) naming the path, so a verb checks it before its work.
    /// </summary>
    public static ChartFormat FormatOf(string verb, string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".svg" => ChartFormat.Svg,
        ".png" => ChartFormat.Png,
        _ => throw new CliException($"{verb}: '{ErrorText.Quote(path)}': a chart is written as .svg or .png (the extension decides)"),
    };

    /// <summary>A plot with the shared look: its title and both axis labels set (each label names its unit).</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, 15);
        plot.Axes.Title.Label.Bold = false;
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
        plot.Legend.FontName = FontName;
        plot.Legend.FontSize = 12;
        plot.Legend.SymbolWidth = 28; // wide enough to show a dashed line as dashed
        plot.Legend.ShadowOffset = new PixelOffset(0, 0); // a drop shadow only blurs a small legend
        return plot;
    }

    /// <summary>A legend entry drawn by hand: a marker and/or a line in <paramref name="color"/>, or text alone.</summary>
    public static LegendItem Item(string label, Color color, MarkerShape marker = MarkerShape.None, float lineWidth = 0,
        LinePattern? pattern = null) => new()
        {
            LabelText = label,
            MarkerShape = marker,
            MarkerSize = marker == MarkerShape.None ? 0 : 8,
            MarkerFillColor = color,
            MarkerLineColor = color,
            MarkerLineWidth = 1.5f,
            LineColor = color,
            LineWidth = lineWidth,
            LinePattern = pattern ?? LinePattern.Solid,
        };

    /// <summary>A number for a tick label or a legend entry, in the invariant culture.</summary>
    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The panels drawn left to right, each as wide as given and all <paramref name="height"/> tall, encoded as
    /// <paramref name="format"/>.
    /// </summary>
    public static byte[] Encode(ChartFormat format, int height, params (Plot Plot, int Width)[] panels)
    {
        int width = panels.Sum(p => p.Width);
        void Draw(SKCanvas canvas)
        {
            canvas.Clear(SKColors.White);
            float left = 0;
            foreach ((Plot plot, int w) in panels)
            {
                // A plot clears the whole canvas before drawing (over the panels left of it), and Skia's SVG canvas
                // writes that transparent clear as a black rectangle: the figure is cleared once, above, instead.
                plot.RenderManager.ClearCanvasBeforeEachRender = false;
                // A fresh plot's first render draws twice (the second pass after its layout settles), and an SVG
                // keeps both: a throwaway pass in memory settles the layout, so the real one draws once.
                plot.RenderInMemory(w, height);
                plot.Render(canvas, new PixelRect(left, left + w, height, 0));
                left += w;
            }
        }
        return format == ChartFormat.Png ? Png(width, height, Draw) : Svg(width, height, Draw);
    }

    private static byte[] Png(int width, int height, Action<SKCanvas> draw)
    {
        using SKSurface surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException("no raster surface");
        draw(surface.Canvas);
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Svg(int width, int height, Action<SKCanvas> draw)
    {
        using var raw = new MemoryStream();
        using (SKCanvas canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), raw)) draw(canvas); // disposing ends the document
        raw.Position = 0;
        XDocument doc = XDocument.Load(raw);
        XElement svg = doc.Root!;
        // A viewBox lets a page scale the chart to its column (the README embeds them).
        svg.SetAttributeValue("viewBox", $"0 0 {width} {height}");
        foreach (XElement text in svg.Descendants(svg.Name.Namespace + "text"))
        {
            // Skia names the one family it measured with; a viewer without it would pick its default, often a serif.
            if (text.Attribute("font-family") is { } family) family.Value += ", sans-serif";
            // Skia ends its per-glyph position lists with ", ", which the SVG grammar does not allow: a strict viewer
            // would drop the positions and misplace the text.
            foreach (string name in new[] { "x", "y" })
                if (text.Attribute(name) is { } list) list.Value = list.Value.TrimEnd(' ', ',');
        }
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true)) doc.Save(writer);
        return output.ToArray();
    }
}
