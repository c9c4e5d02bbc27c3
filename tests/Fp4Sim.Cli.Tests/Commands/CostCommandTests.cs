using Fp4Sim.Hardware;
using Fp4Sim.Hardware.Cost;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim cost</c>: table, CSV columns, the area chart (SVG or PNG), Table 6 rows, bad input exits 2 with one line.</summary>
public class CostCommandTests
{
    [Fact]
    public void Default_set_table_has_one_line_per_default_unit()
    {
        CliResult r = CliRunner.Run("cost");
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(r.ErrorLines);
        Assert.EndsWith(" s] estimating", Assert.Single(r.Progress)); // stderr is not a terminal: one plain line per stage
        Assert.StartsWith("module ", r.Lines[0]);
        string[] modules = r.Lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToArray();
        Assert.Equal(DefaultUnits.Create().Select(u => u.ModuleName), modules);
        foreach (string line in r.Lines.Skip(1))
            Assert.True(
                double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4], System.Globalization.CultureInfo.InvariantCulture) > 0, line);
    }

    [Fact]
    public void Single_unit_with_synth_reports_yosys_columns()
    {
        CliResult r = CliRunner.Run("cost", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:12.2:round:wrap", "--synth");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.Lines.Length);
        string[] header = r.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            row = r.Lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["yosys_ge", "cells", "transistors", "ffs", "depth", "error"], header[^6..]);
        Assert.Equal(header.Length, row.Length);
        Assert.Equal("14", row[Array.IndexOf(header, "ffs")]); // W + invalid + out_valid
    }

    [Fact]
    public void Csv_has_every_column_and_the_breakdown_sums_to_the_total()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-cli-cost-").FullName;
        try
        {
            string csv = Path.Combine(dir, "cost.csv");
            CliResult r = CliRunner.Run("cost", "--set", "sweep", "--csv", csv);
            Assert.Equal(0, r.ExitCode);
            string[] lines = File.ReadAllLines(csv);
            string[] header = lines[0].Split(',');
            Assert.Equal(CostReport.CsvColumns, header);
            Assert.Contains("ge_acc_adder", header);
            Assert.Equal(CostSets.SweepFormats.Count * CostSets.SweepWidths.Count, lines.Length - 1);
            int total = Array.IndexOf(header, "analytic_ge");
            foreach (string line in lines.Skip(1))
            {
                string[] f = line.Split(',');
                Assert.Equal(header.Length, f.Length);
                double sum = CostBlockNames.All.Sum(b =>
                    double.Parse(f[Array.IndexOf(header, "ge_" + b)], System.Globalization.CultureInfo.InvariantCulture));
                Assert.InRange(sum, double.Parse(f[total], System.Globalization.CultureInfo.InvariantCulture) - 1,
                    double.Parse(f[total], System.Globalization.CultureInfo.InvariantCulture) + 1);
                Assert.Equal("", f[Array.IndexOf(header, "yosys_ge")]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Svg_is_well_formed_with_one_legend_entry_per_sweep_format_and_a_png_path_gives_png()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-cli-svg-").FullName;
        try
        {
            string svg = Path.Combine(dir, "area.svg"), png = Path.Combine(dir, "area.png");
            CliResult r = CliRunner.Run("cost", "--set", "sweep", "--svg", svg);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal($"wrote {svg}", r.Lines[^1]);
            string[] texts = Charts.ChartTests.SvgTexts(File.ReadAllBytes(svg));
            foreach (string name in new[] { "int4", "e2m1", "e2m1xe1m2", "int6", "e3m2", "e2m3", "int8", "e4m3", "e5m2" })
                Assert.Contains(name, texts);
            Assert.Contains("accumulator width W (bits)", texts);
            Assert.Contains("MAC area by operand format and accumulator width (analytic model)", texts);
            Assert.All(CostSets.SweepWidths, w => Assert.Contains(w.ToString(System.Globalization.CultureInfo.InvariantCulture), texts));
            Assert.Equal(0, CliRunner.Run("cost", "--set", "sweep", "--svg", png).ExitCode);
            Charts.ChartTests.AssertPng(File.ReadAllBytes(png));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Table6_lists_the_paper_rows_as_ratios_to_int4()
    {
        CliResult r = CliRunner.Run("cost", "--set", "table6");
        Assert.Equal(0, r.ExitCode);
        foreach (string part in new[] { "multiplier", "mac" })
            foreach (Table6.Row row in Table6.Formats)
            {
                string line = Assert.Single(r.Lines, l => l.StartsWith(part + " ", StringComparison.Ordinal)
                    && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == row.Label);
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                double paper = part == "mac" ? row.MacUm2 : row.MultiplierUm2,
                    baseline = part == "mac" ? Table6.Formats[0].MacUm2 : Table6.Formats[0].MultiplierUm2;
                Assert.Equal((paper / baseline).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), f[3]);
            }
        Assert.Contains(r.Lines, l => l.StartsWith("e4m3 ", StringComparison.Ordinal));
        Assert.Contains(r.Lines, l => l.StartsWith("e5m2 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fp4sim: cost: unknown cost set 'all'", new[] { "cost", "--set", "all" })]
    [InlineData("fp4sim: cost: unknown unit 'fp_add'", new[] { "cost", "--unit", "fp_add", "--format", "e2m1" })]
    [InlineData("fp4sim: unknown format 'e2m9x'", new[] { "cost", "--unit", "fp_mul", "--format", "e2m9x" })]
    [InlineData("fp4sim: accumulator 'fixed:abc': expected", new[] { "cost", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:abc" })]
    [InlineData("fp4sim: cost: accumulator fixed:8.2 is too narrow", new[] { "cost", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:8.2" })]
    [InlineData("fp4sim: cost: give --unit or --set, not both", new[] { "cost", "--unit", "fp_mul", "--format", "e2m1", "--set", "default" })]
    [InlineData("fp4sim: cost: --format, --acc and --shift-bits need --unit", new[] { "cost", "--format", "e2m1" })]
    [InlineData("fp4sim: cost: missing required option --format", new[] { "cost", "--unit", "fp_mul" })]
    [InlineData("fp4sim: cost: the area plot (--svg) needs fp_mac units", new[] { "cost", "--unit", "fp_mul", "--format", "e2m1", "--svg", "x.svg" })]
    [InlineData("fp4sim: cost: unknown option '--synthesize'", new[] { "cost", "--synthesize" })]
    [InlineData("fp4sim: cost: 'x.jpg': a chart is written as .svg or .png", new[] { "cost", "--set", "sweep", "--svg", "x.jpg" })]
    public void Bad_input_exits_2_with_one_line(string expectedStart, string[] args)
    {
        CliResult r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(expectedStart, Assert.Single(r.ErrorLines));
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists("x.svg"));
        Assert.False(File.Exists("x.jpg"));
    }

    [Fact]
    public void An_unwritable_output_is_exit_3_environment_not_input()
    {
        CliResult r = CliRunner.Run("cost", "--csv", "/nonexistent-dir/x.csv");
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith("fp4sim: cost: cannot write '/nonexistent-dir/x.csv'", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void Missing_yosys_is_one_line_naming_the_Debian_package()
    {
        // the search path is a parameter: changing PATH here would race with the tests that run tools in parallel
        string empty = Directory.CreateTempSubdirectory("fp4sim-nopath-").FullName;
        try
        {
            var e = Assert.Throws<SynthesisException>(() => YosysSynthesis.FindYosys(empty));
            Assert.Equal("yosys not found on PATH (install the Debian package yosys; scripts/setup.sh does)", e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
