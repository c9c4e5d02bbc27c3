namespace Fp4Sim.Hardware.Cost;

/// <summary>The named sets of <c>fp4sim cost --set</c> (docs/cost.md).</summary>
public static class CostSets
{
    /// <summary>The set names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["default", "sweep", "table6"];

    /// <summary>Accumulator widths of the sweep (x axis of the area plot).</summary>
    public static IReadOnlyList<int> SweepWidths { get; } = [12, 16, 24, 32, 48];

    /// <summary>Operand format pairs of the sweep, INT and FP interleaved by width.</summary>
    public static IReadOnlyList<string> SweepFormats { get; } = ["int4", "e2m1", "e2m1,e1m2", "int6", "e3m2", "e2m3", "int8", "e4m3", "e5m2"];

    /// <summary>The common accumulator width of the LLM-FP4 Table 6 comparison (F = the product's fraction bits: exact).</summary>
    public const int Table6Width = 24;

    /// <summary>Headroom bits above the exact product in the FP8-vs-INT8 comparison (2^8 = 256 products without overflow).</summary>
    public const int Fp8HeadroomBits = 8;

    /// <summary>The entries of set <paramref name="name"/>; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static IReadOnlyList<UnitSpec> Get(string name) => name switch
    {
        "default" => UnitFactory.DefaultSet,
        "sweep" => SweepFormats.SelectMany(f => SweepWidths.Select(w => new UnitSpec(MacKind(f), f, SweepAccumulator(f, w)))).ToArray(),
        "table6" => Table6.Formats.Select(f => new UnitSpec("fp_mul", f.Formats, null))
            .Concat(Table6.Formats.Select(f => new UnitSpec(MacKind(f.Formats), f.Formats, ExactAccumulator(f.Formats, Table6Width))))
            .Concat(Table6.Fp8Formats.Select(f => new UnitSpec(MacKind(f), f, ExactAccumulator(f, Product(f).ProductWidth + Fp8HeadroomBits))))
            .ToArray(),
        _ => throw new ArgumentException($"unknown cost set '{name}' (expected {string.Join(", ", Names)})"),
    };

    /// <summary>
    /// The sweep's accumulator for <paramref name="formats"/> at width <paramref name="width"/>: the exact grid
    /// F = F_p (the product's fraction bits) when the product fits (W ≥ W_p); otherwise the grid coarsens by
    /// W_p − W bits, F = F_p − (W_p − W), so the largest product still fits and the smallest products truncate.
    /// </summary>
    public static string SweepAccumulator(string formats, int width)
    {
        FpMulUnit p = Product(formats);
        int f = p.ProductFractionBits - Math.Max(0, p.ProductWidth - width);
        return $"fixed:{width}.{f}";
    }

    /// <summary>The MAC an accelerator builds for these operands: the dedicated <c>int_mac</c> for integers, else <c>fp_mac</c>.</summary>
    public static string MacKind(string formats)
    {
        FpMulUnit p = Product(formats);
        return p.FormatA.IsInteger && p.FormatB.IsInteger ? "int_mac" : "fp_mac";
    }

    /// <summary>An exact-grid accumulator of <paramref name="width"/> bits (F = F_p).</summary>
    public static string ExactAccumulator(string formats, int width) => $"fixed:{width}.{Product(formats).ProductFractionBits}";

    private static FpMulUnit Product(string formats) => (FpMulUnit)UnitFactory.Create("fp_mul", formats, null);
}

/// <summary>LLM-FP4 (Liu et al., EMNLP 2023) §5.4 Table 6: TSMC 40 nm, Cadence Genus, 0.5 GHz; areas in µm².</summary>
public static class Table6
{
    /// <summary>One row of the paper's table.</summary>
    public sealed record Row(string Label, string Formats, double AdderUm2, double MultiplierUm2, double MacUm2);

    /// <summary>The rows, INT4 (the ratio baseline) first.</summary>
    public static IReadOnlyList<Row> Formats { get; } =
    [
        new("INT4", "int4", 93, 182, 410),
        new("E2M1", "e2m1", 111, 92, 443),
        new("INT6", "int6", 132, 340, 529),
        new("E3M2", "e3m2", 223, 138, 498),
        new("E2M1xE1M2", "e2m1,e1m2", 105, 107, 432),
    ];

    /// <summary>The FP8-vs-INT8 comparison's formats (exact accumulators), INT8 (the baseline) first.</summary>
    public static IReadOnlyList<string> Fp8Formats { get; } = ["int8", "e4m3", "e5m2"];
}
