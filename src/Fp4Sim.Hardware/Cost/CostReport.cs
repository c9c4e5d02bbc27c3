using System.Globalization;
using System.Text;

namespace Fp4Sim.Hardware.Cost;

/// <summary>One costed unit: its analytic breakdown and, when synthesized, what yosys measured.</summary>
public sealed record CostRow(ICostedUnit Unit, CostBreakdown Analytic, SynthesisResult? Synthesis)
{
    /// <summary>The operand formats (A, B).</summary>
    public (string A, string B) Formats => Unit.Spec.FormatNames;

    /// <summary>The accumulator's name, or <c>-</c>.</summary>
    public string Accumulator => Unit.Spec is MacSpec mac ? mac.Accumulator.Name : "-";

    /// <summary>The accumulator width W, or null for a unit without one.</summary>
    public int? AccumulatorWidth => Unit.Spec is MacSpec mac ? mac.Accumulator.Width : null;

    /// <summary>(analytic − yosys) / yosys, when synthesized.</summary>
    public double? Error => Synthesis is null ? null : (Analytic.TotalGe - Synthesis.AreaGe) / Synthesis.AreaGe;

    /// <summary>The area to plot and compare: yosys when synthesized, else analytic.</summary>
    public double BestGe => Synthesis?.AreaGe ?? Analytic.TotalGe;
}

/// <summary>Builds and prints cost rows: the terminal table, the CSV (the machine interface) and the Table 6 comparison.</summary>
public static class CostReport
{
    /// <summary>A unit's row; <see cref="ArgumentException"/> for a configuration the factory or the model refuses.</summary>
    public static ICostedUnit Unit(UnitSpec spec) =>
        spec.Create() as ICostedUnit ?? throw new ArgumentException($"unit {spec.Kind.Name()} has no cost model yet");

    /// <summary>Costs <paramref name="unit"/>, synthesizing it when <paramref name="synthesize"/>.</summary>
    public static CostRow Evaluate(ICostedUnit unit, bool synthesize) =>
        new(unit, unit.EstimateCost(), synthesize ? YosysSynthesis.Synthesize(unit) : null);

    /// <summary>The terminal table: one header line, one line per row, fields separated by spaces (none inside a field).</summary>
    public static string Table(IReadOnlyList<CostRow> rows)
    {
        bool synth = rows.Any(r => r.Synthesis is not null);
        var header = new List<string> { "module", "kind", "formats", "accumulator", "analytic_ge", "largest_blocks" };
        if (synth) header.AddRange(["yosys_ge", "cells", "transistors", "ffs", "depth", "error"]);
        var lines = new List<string[]> { header.ToArray() };
        foreach (CostRow r in rows)
        {
            var cells = new List<string>
            {
                r.Unit.ModuleName, r.Unit.Spec.Kind.Name(), $"{r.Formats.A}x{r.Formats.B}", r.Accumulator, F1(r.Analytic.TotalGe),
                string.Join(',', r.Analytic.Largest().Take(3).Select(b => $"{b.Block}:{(int)Math.Round(100 * b.Ge / r.Analytic.TotalGe)}%")),
            };
            if (r.Synthesis is { } s)
                cells.AddRange([F1(s.AreaGe), I(s.CellCount), I(s.Transistors), I(s.FlipFlops), I(s.Depth), Pct(r.Error!.Value)]);
            else if (synth) cells.AddRange(["-", "-", "-", "-", "-", "-"]);
            lines.Add(cells.ToArray());
        }
        return Align(lines);
    }

    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
        new[] { "module", "kind", "format_a", "format_b", "accumulator", "acc_width", "analytic_ge" }
        .Concat(CostBlockNames.All.Select(b => "ge_" + b))
        .Concat(["yosys_ge", "cells", "transistors", "flip_flops", "depth", "error_pct", "abc"]).ToArray();

    /// <summary>Every row with the full breakdown (yosys columns empty when not synthesized).</summary>
    public static string Csv(IReadOnlyList<CostRow> rows)
    {
        var sb = new StringBuilder(string.Join(',', CsvColumns)).Append('\n');
        foreach (CostRow r in rows)
        {
            var f = new List<string>
            {
                r.Unit.ModuleName, r.Unit.Spec.Kind.Name(), r.Formats.A, r.Formats.B, r.Accumulator,
                r.AccumulatorWidth?.ToString(CultureInfo.InvariantCulture) ?? "", F1(r.Analytic.TotalGe)
            };
            f.AddRange(CostBlockNames.All.Select(b => F1(r.Analytic[b])));
            SynthesisResult? s = r.Synthesis;
            f.AddRange(s is null
                ? ["", "", "", "", "", "", ""]
                : [F1(s.AreaGe), I(s.CellCount), I(s.Transistors), I(s.FlipFlops), I(s.Depth), F1(100 * r.Error!.Value),
                    s.FastAbc ? "fast" : "full"]);
            sb.Append(string.Join(',', f)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The LLM-FP4 Table 6 comparison (ratios to INT4 for the multiplier and the MAC) and the FP8-vs-INT8 MAC
    /// ratios, from the rows of the <c>table6</c> set.
    /// </summary>
    public static string Table6Comparison(IReadOnlyList<CostRow> rows)
    {
        bool synth = rows.Any(r => r.Synthesis is not null);
        var lines = new List<string[]>
        {
            new[] { "part", "format", "paper_um2", "paper_ratio", "analytic_ratio" }.Concat(synth ? ["yosys_ratio"] : []).ToArray()
        };
        foreach (string part in new[] { "multiplier", "mac" })
        {
            CostRow Find(MultiplierSpec operands) => rows.Single(r => part == "multiplier"
                ? r.Unit.Spec == operands
                : r.Unit.Spec is MacSpec m && m.Multiplier == operands && m.Accumulator.Width == CostSets.Table6Width);
            CostRow baseline = Find(Table6.Formats[0].Operands);
            double paperBase = part == "mac" ? Table6.Formats[0].MacUm2 : Table6.Formats[0].MultiplierUm2;
            foreach (Table6.Row p in Table6.Formats)
            {
                CostRow r = Find(p.Operands);
                double paper = part == "mac" ? p.MacUm2 : p.MultiplierUm2;
                var cells = new List<string> { part, p.Label, F0(paper), F2(paper / paperBase), F2(r.Analytic.TotalGe / baseline.Analytic.TotalGe) };
                if (synth) cells.Add(r.Synthesis is null || baseline.Synthesis is null ? "-" : F2(r.Synthesis.AreaGe / baseline.Synthesis.AreaGe));
                lines.Add(cells.ToArray());
            }
        }
        var fp8 = new List<string[]> { new[] { "fp8_vs_int8", "accumulator", "analytic_ratio" }.Concat(synth ? ["yosys_ratio"] : []).ToArray() };
        CostRow MacOf(MultiplierSpec operands) => rows.Single(r => r.Unit.Spec is MacSpec m && m.Multiplier == operands);
        CostRow int8 = MacOf(Table6.Fp8Formats[0]);
        foreach (MultiplierSpec f in Table6.Fp8Formats)
        {
            CostRow r = MacOf(f);
            var cells = new List<string> { f.FormatA.Name, r.Accumulator, F2(r.Analytic.TotalGe / int8.Analytic.TotalGe) };
            if (synth) cells.Add(r.Synthesis is null || int8.Synthesis is null ? "-" : F2(r.Synthesis.AreaGe / int8.Synthesis.AreaGe));
            fp8.Add(cells.ToArray());
        }
        return $"LLM-FP4 Table 6 (TSMC 40 nm, Genus, um^2) vs ours (GE), ratios to INT4; "
            + $"MAC accumulator fixed:{CostSets.Table6Width}.F_p (exact grid)\n"
            + Align(lines)
            + $"FP8 vs INT8 MAC, exact accumulators (W = W_p + {CostSets.Fp8HeadroomBits}); "
            + $"literature: 1.5-2.8x with floating accumulators (van Baalen et al. 2023), ~1.09x e4m3 48-bit exact (hardware.md)\n"
            + Align(fp8);
    }

    private static string Align(List<string[]> lines)
    {
        int[] widths = Enumerable.Range(0, lines[0].Length).Select(i => lines.Max(l => l[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (string[] l in lines)
            sb.Append(string.Join("  ", l.Select((c, i) => i == l.Length - 1 ? c : c.PadRight(widths[i])))).Append('\n');
        return sb.ToString();
    }

    private static string F0(double v) => v.ToString("F0", CultureInfo.InvariantCulture);
    private static string F1(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
    private static string F2(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Pct(double v) => (100 * v).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
}
