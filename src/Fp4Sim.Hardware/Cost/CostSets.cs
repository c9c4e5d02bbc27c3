using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using static Fp4Sim.Numerics.Formats.KnownFormats;

namespace Fp4Sim.Hardware.Cost;

/// <summary>The named unit sets of <c>fp4sim cost --set</c>.</summary>
public enum CostSet
{
    /// <summary>The committed default set (<see cref="DefaultUnits"/>).</summary>
    Default,

    /// <summary>MACs of INT and FP operand pairs at a range of accumulator widths (the area plot).</summary>
    Sweep,

    /// <summary>The LLM-FP4 Table 6 comparison and the FP8-vs-INT8 MACs.</summary>
    Table6,
}

/// <summary>The contents of each <see cref="CostSet"/> (docs/cost.md).</summary>
public static class CostSets
{
    /// <summary>A set's name as the CLI spells it: <c>default</c>, <c>sweep</c>, <c>table6</c>.</summary>
    public static string Name(this CostSet set) => set.ToString().ToLowerInvariant();

    /// <summary>The set names, in the order of <see cref="CostSet"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<CostSet>().Select(Name).ToArray();

    /// <summary>The set called <paramref name="name"/>; <see cref="ArgumentException"/> for an unknown name.</summary>
    public static CostSet Parse(string name)
    {
        foreach (CostSet set in Enum.GetValues<CostSet>())
            if (set.Name() == name) return set;
        throw new ArgumentException($"unknown cost set '{name}' (expected {string.Join(", ", Names)})");
    }

    /// <summary>Accumulator widths of the sweep (x axis of the area plot).</summary>
    public static IReadOnlyList<int> SweepWidths { get; } = [12, 16, 24, 32, 48];

    /// <summary>Operand format pairs of the sweep, INT and FP interleaved by width.</summary>
    public static IReadOnlyList<MultiplierSpec> SweepFormats { get; } =
    [
        new(Int4, Int4), new(E2M1, E2M1), new(E2M1, E1M2), new(Integer(6), Integer(6)), new(E3M2, E3M2), new(E2M3, E2M3),
        new(Int8, Int8), new(E4M3, E4M3), new(E5M2, E5M2),
    ];

    /// <summary>The common accumulator width of the LLM-FP4 Table 6 comparison (F = the product's fraction bits: exact).</summary>
    public const int Table6Width = 24;

    /// <summary>Headroom bits above the exact product in the FP8-vs-INT8 comparison (2^8 = 256 products without overflow).</summary>
    public const int Fp8HeadroomBits = 8;

    /// <summary>The units of <paramref name="set"/>.</summary>
    public static IReadOnlyList<UnitSpec> Get(CostSet set) => set switch
    {
        CostSet.Default => DefaultUnits.Specs,
        CostSet.Sweep => SweepFormats.SelectMany(p => SweepWidths.Select(w => Mac(p, SweepAccumulator(p, w)))).ToArray(),
        _ => Table6.Formats.Select(r => (UnitSpec)r.Operands)
            .Concat(Table6.Formats.Select(r => Mac(r.Operands, ExactAccumulator(r.Operands, Table6Width))))
            .Concat(Table6.Fp8Formats.Select(p => Mac(p, ExactAccumulator(p, Product(p).ProductWidth + Fp8HeadroomBits))))
            .ToArray(),
    };

    /// <summary>
    /// The sweep's accumulator for <paramref name="operands"/> at width <paramref name="width"/>: the exact grid
    /// F = F_p (the product's fraction bits) when the product fits (W ≥ W_p); otherwise the grid coarsens by
    /// W_p − W bits, F = F_p − (W_p − W), so the largest product still fits and the smallest products truncate.
    /// </summary>
    public static FixedPointAccumulator SweepAccumulator(MultiplierSpec operands, int width)
    {
        FpMulUnit p = Product(operands);
        return new FixedPointAccumulator(width, p.ProductFractionBits - Math.Max(0, p.ProductWidth - width));
    }

    /// <summary>The MAC an accelerator builds for these operands: the dedicated <c>int_mac</c> for integers, else <c>fp_mac</c>.</summary>
    public static MacSpec Mac(MultiplierSpec operands, FixedPointAccumulator accumulator) =>
        new(operands.FormatA.IsInteger && operands.FormatB.IsInteger ? MacVariant.Integer : MacVariant.Float,
            operands.FormatA, operands.FormatB, accumulator);

    /// <summary>An exact-grid accumulator of <paramref name="width"/> bits (F = F_p).</summary>
    public static FixedPointAccumulator ExactAccumulator(MultiplierSpec operands, int width) =>
        new(width, Product(operands).ProductFractionBits);

    private static FpMulUnit Product(MultiplierSpec operands) => new(operands);
}

/// <summary>LLM-FP4 (Liu et al., EMNLP 2023) §5.4 Table 6: TSMC 40 nm, Cadence Genus, 0.5 GHz; areas in µm².</summary>
public static class Table6
{
    /// <summary>One row of the paper's table.</summary>
    public sealed record Row(string Label, MultiplierSpec Operands, double AdderUm2, double MultiplierUm2, double MacUm2);

    /// <summary>The rows, INT4 (the ratio baseline) first.</summary>
    public static IReadOnlyList<Row> Formats { get; } =
    [
        new("INT4", new(Int4, Int4), 93, 182, 410),
        new("E2M1", new(E2M1, E2M1), 111, 92, 443),
        new("INT6", new(Integer(6), Integer(6)), 132, 340, 529),
        new("E3M2", new(E3M2, E3M2), 223, 138, 498),
        new("E2M1xE1M2", new(E2M1, E1M2), 105, 107, 432),
    ];

    /// <summary>The FP8-vs-INT8 comparison's operands (exact accumulators), INT8 (the baseline) first.</summary>
    public static IReadOnlyList<MultiplierSpec> Fp8Formats { get; } = [new(Int8, Int8), new(E4M3, E4M3), new(E5M2, E5M2)];
}
