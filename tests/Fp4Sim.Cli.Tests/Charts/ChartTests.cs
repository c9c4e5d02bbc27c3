using System.Xml.Linq;
using Fp4Sim.Cli.Charts;
using Fp4Sim.Hardware.Cost;
using Fp4Sim.Quantization.Explore;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Cli.Tests.Charts;

/// <summary>
/// Every chart drawn from small fixed data: the SVG is well-formed XML that carries its title, axis labels (with
/// units) and legend names as text; the PNG is a PNG. The output path's extension picks the format.
/// </summary>
public class ChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The text of every SVG text element, whitespace trimmed (Skia writes one per label).</summary>
    internal static string[] SvgTexts(byte[] svg)
    {
        using var stream = new MemoryStream(svg);
        XDocument doc = XDocument.Load(stream);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        Assert.NotNull(doc.Root.Attribute("viewBox"));
        return [.. doc.Descendants(ns + "text").Select(t => t.Value.Trim())];
    }

    internal static void AssertPng(byte[] png)
    {
        Assert.True(png.Length > 1000, $"{png.Length} bytes");
        Assert.Equal(PngSignature, png[..8]);
    }

    private static void AssertTexts(byte[] svg, params string[] expected)
    {
        string[] texts = SvgTexts(svg);
        foreach (string e in expected) Assert.Contains(e, texts);
    }

    [Theory]
    [InlineData("a.svg", ChartFormat.Svg)]
    [InlineData("out/A.SVG", ChartFormat.Svg)]
    [InlineData("a.png", ChartFormat.Png)]
    [InlineData("/tmp/x.y/a.Png", ChartFormat.Png)]
    public void The_extension_picks_the_format(string path, ChartFormat expected) => Assert.Equal(expected, Chart.FormatOf("cost", path));

    [Theory]
    [InlineData("a.jpg")]
    [InlineData("a")]
    [InlineData("a.svg.txt")]
    public void Another_extension_is_bad_input_naming_the_path(string path)
    {
        var e = Assert.Throws<CliException>(() => Chart.FormatOf("cost", path));
        Assert.StartsWith($"cost: '{path}': a chart is written as .svg or .png", e.Message);
    }

    [Fact]
    public void Area_chart_has_a_series_per_format_pair_and_its_labels()
    {
        CostRow[] rows = [.. CostSets.Get(CostSet.Sweep).Select(CostReport.Unit).Select(u => CostReport.Evaluate(u, synthesize: false))];
        IReadOnlyList<AreaSeries> series = AreaChart.Series(rows);
        Assert.Equal(["int4", "e2m1", "e2m1xe1m2", "int6", "e3m2", "e2m3", "int8", "e4m3", "e5m2"], series.Select(s => s.Name));
        Assert.Equal([true, false, false, true, false, false, true, false, false], series.Select(s => s.Integer));
        Assert.All(series, s => Assert.Equal(CostSets.SweepWidths.Count, s.Points.Count));
        Assert.Throws<ArgumentException>(() => AreaChart.Series([.. rows.Take(0)]));

        AreaSeries[] small = [new("int4", true, [(12, 330), (16, 400)]), new("e2m1", false, [(12, 340), (16, 410)])];
        AssertTexts(AreaChart.Render(small, synthesized: true, ChartFormat.Svg),
            "MAC area by operand format and accumulator width (yosys, fp4sim-gates)", "accumulator width W (bits)",
            "area (GE, NAND2 equivalents)", "int4", "e2m1", "filled: FP, hollow: INT", "12", "16");
        AssertTexts(AreaChart.Render(small, synthesized: false, ChartFormat.Svg),
            "MAC area by operand format and accumulator width (analytic model)");
        AssertPng(AreaChart.Render(small, synthesized: true, ChartFormat.Png));
    }

    [Fact]
    public void Results_chart_has_both_panels_every_method_and_the_fp32_line()
    {
        var points = new List<PlotPoint> { new(QuantizationMethod.Fp32, new BitSetting(32, 32, 32), 0.91, 1) };
        foreach (BitSetting bits in new BitSetting[] { new(4, 4, 4), new(8, 8, 8) })
            foreach (QuantizationMethod m in MethodNames.All.Skip(1))
                points.Add(new(m, bits, 0.8, 0.9));
        byte[] svg = ResultsChart.Render(points, ChartFormat.Svg);
        AssertTexts(svg, "Spam accuracy (held-out mails)", "Cosine to float32 embeddings (mean)", "spam accuracy (fraction correct)",
            "cosine similarity to float32 (mean)", "E/W/A bits (embedding / weights / activations)", "4/4/4", "8/8/8", "fp32");
        AssertTexts(svg, [.. MethodNames.All.Skip(1).Select(m => m.Name())]);
        AssertPng(ResultsChart.Render(points, ChartFormat.Png));
        Assert.Throws<ArgumentException>(() => ResultsChart.Render([], ChartFormat.Svg));
    }

    [Fact]
    public void Design_space_chart_has_the_operands_the_front_and_the_reference()
    {
        DesignPoint[] points =
        [
            new("int4", "exact", "int_mac", 437, 0.84, 0.61, 0.45, 0, 0, 1) { Pareto = true },
            new("e2m1", "exact", "psb_mac", 571, 0.91, 0.95, 0.9, 0, 0, 1) { Pareto = true },
            new("e2m1", "fp32", "psb_mac", null, 0.91, 0.95, 0.9, 0, 0, 1),
            new("e4m3", "fixed:8.top", "psb_mac", 900, 0.5, 0.1, 0, 0, 5, 1),
        ];
        byte[] svg = DesignSpaceChart.Render(points, 0.94, ChartFormat.Svg);
        AssertTexts(svg, "USE-Lite spam accuracy against MAC lane area (bit-exact inference)", "MAC lane area (GE, NAND2 equivalents; log scale)",
            "spam accuracy (fraction of held-out mails)", "int4", "e2m1", "e4m3", "Pareto front", "float32 (0.9400)", "500");
        Assert.DoesNotContain("float32 (0.9400)", SvgTexts(DesignSpaceChart.Render(points, null, ChartFormat.Svg)));
        AssertPng(DesignSpaceChart.Render(points, 0.94, ChartFormat.Png));
        Assert.Throws<ArgumentException>(() => DesignSpaceChart.Render([points[2]], 0.9, ChartFormat.Svg));
    }

    [Fact]
    public void Loss_chart_has_a_curve_per_run_with_its_last_validation_loss()
    {
        static TrainingRecord[] Records(double offset) =>
            [.. Enumerable.Range(1, 60).Select(s =>
                new TrainingRecord(s, 5 - s / 20.0 + offset, s % 20 == 0 ? 4.5 - s / 30.0 + offset : null, 1e-3, s))];
        LossCurve[] runs = [new("fp32", Records(0)), new("quartet", Records(0.2))];
        byte[] svg = LossChart.Render(runs, "title & more", ChartFormat.Svg);
        AssertTexts(svg, "title & more", "training step", "loss (nats per byte)", "fp32 (val 2.500)", "quartet (val 2.700)",
            "faded: train loss, 20-step mean");
        AssertPng(LossChart.Render(runs, LossChart.TrainingTitle, ChartFormat.Png));
        Assert.Throws<ArgumentException>(() => LossChart.Render([new LossCurve("x", [new TrainingRecord(1, 1, null, 1, 1)])], "t", ChartFormat.Svg));
    }
}
