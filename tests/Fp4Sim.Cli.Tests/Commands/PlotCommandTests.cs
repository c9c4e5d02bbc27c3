using Fp4Sim.Cli.Tests.Charts;
using Fp4Sim.TestSupport;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim plot</c>: a finished run's CSV charted again, SVG or PNG by the extension; bad input exits 2.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("plot");

    public void Dispose() => _folder.Dispose();

    private const string Results = "method,bits,layer,spam_accuracy,cosine_mean,cosine_min,sqnr_local_db,sqnr_e2e_db," +
        "calibration_mse,calibration_s,total_s,weight_format,activation_format\n";

    [Fact]
    public void Llmfp4_merges_the_summary_rows_of_several_runs()
    {
        string a = _folder.Write("a.csv", Results + "fp32,32/32/32,model,0.91,1,1,,inf,,0.000,0.000,,\n" +
            "minmax-int,4/4/4,model,0.738,0.5692,0.38,,7.03,,0.8,18.5,,\nminmax-int,4/4/4,layer0.qkv,,,,14.4,14.0,0.1,,,INT4,INT4\n");
        string b = _folder.Write("b.csv",
            Results + "fp32,32/32/32,model,0.91,1,1,,inf,,0.000,0.000,,\nfpq,8/8/8,model,0.91,0.997,0.97,,31.6,,1,2,,\n");
        foreach (string name in new[] { "r.svg", "r.png" })
        {
            CliResult r = CliRunner.Run("plot", "llmfp4", "--csv", $"{a},{b}", "--out", _folder.File(name));
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Equal([$"wrote {_folder.File(name)}"], r.Lines);
        }
        string[] texts = ChartTests.SvgTexts(File.ReadAllBytes(_folder.File("r.svg")));
        Assert.Contains("4/4/4", texts);
        Assert.Contains("8/8/8", texts);
        Assert.Contains("minmax-int", texts);
        Assert.Contains("fpq", texts);
        Assert.Single(texts, t => t == "fp32");
        ChartTests.AssertPng(File.ReadAllBytes(_folder.File("r.png")));
    }

    [Fact]
    public void Explore_reads_design_space_csv_with_the_reference_line()
    {
        string csv = _folder.Write("design-space.csv", "operands,accumulator,unit,area_ge,area_ratio_int4,spam_accuracy,cosine_mean," +
            "cosine_min,overflowed_adds,rounded_terms,pareto,seconds,refused\nint4,exact,int_mac,437.2,1,0.84,0.61,0.45,0,0,1,18.8,\n" +
            "e2m1,fp32,psb_mac,-,-,0.91,0.95,0.9,0,0,0,20.0,\n" +
            "e2m1,fixed:8.top,psb_mac,-,-,,,,0,0,0,0.1,\"too narrow, \"\"8\"\" bits\"\n");
        CliResult r = CliRunner.Run("plot", "explore", "--csv", csv, "--reference", "0.94", "--out", _folder.File("d.svg"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        string[] texts = ChartTests.SvgTexts(File.ReadAllBytes(_folder.File("d.svg")));
        Assert.Contains("int4", texts);
        Assert.Contains("float32 (0.9400)", texts);
    }

    [Fact]
    public void Quartet_draws_one_curve_per_run_csv_named_by_its_file()
    {
        static string Csv(double offset) => TrainingLog.ToCsv(Enumerable.Range(1, 40)
            .Select(s => new TrainingRecord(s, 4 - s / 40.0 + offset, s % 20 == 0 ? 3.5 - s / 40.0 + offset : null, 1e-3, s)));
        string fp32 = _folder.Write("fp32.csv", Csv(0)), naive = _folder.Write("naive.csv", Csv(0.1));
        CliResult r = CliRunner.Run("plot", "quartet", "--csv", $"{fp32},{naive}", "--out", _folder.File("loss.png"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        ChartTests.AssertPng(File.ReadAllBytes(_folder.File("loss.png")));
        Assert.Equal(0, CliRunner.Run("plot", "quartet", "--csv", $"{fp32},{naive}", "--out", _folder.File("loss.svg")).ExitCode);
        string[] texts = ChartTests.SvgTexts(File.ReadAllBytes(_folder.File("loss.svg")));
        Assert.Contains("fp32 (val 2.500)", texts);
        Assert.Contains("naive (val 2.600)", texts);
    }

    [Theory]
    [InlineData("plot quartet: '{0}/loss.jpg': a chart is written as .svg or .png", "quartet", "fp32.csv", "loss.jpg")]
    [InlineData("plot llmfp4: '{0}/r': a chart is written as .svg or .png", "llmfp4", "missing.csv", "r")]
    [InlineData("plot llmfp4: cannot read '{0}/missing.csv'", "llmfp4", "missing.csv", "r.svg")]
    [InlineData("plot llmfp4: '{0}/fp32.csv' line 1: expected the header of results.csv", "llmfp4", "fp32.csv", "r.svg")]
    [InlineData("plot explore: '{0}/fp32.csv' line 1: expected the header", "explore", "fp32.csv", "r.svg")]
    [InlineData("plot quartet: no validation losses to plot", "quartet", "fp32.csv", "r.svg")]
    public void Bad_input_exits_2_with_one_line_and_writes_nothing(string expected, string kind, string input, string output)
    {
        _folder.Write("fp32.csv", TrainingLog.Header + "\n1,2.5,,0.001,1.000\n");
        CliResult r = CliRunner.Run("plot", kind, "--csv", _folder.File(input), "--out", _folder.File(output));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, _folder.Path), Assert.Single(r.ErrorLines)[8..]);
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists(_folder.File(output)));
    }

    [Fact]
    public void An_unknown_chart_or_a_bad_reference_is_exit_2()
    {
        Assert.StartsWith("fp4sim: unknown plot chart 'cost'", Assert.Single(CliRunner.Run("plot", "cost").ErrorLines));
        CliResult r = CliRunner.Run("plot", "explore", "--csv", "x.csv", "--reference", "1.5", "--out", _folder.File("d.svg"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: plot explore: malformed --reference '1.5'", Assert.Single(r.ErrorLines));
        Assert.StartsWith("fp4sim: plot quartet: unknown option '--reference'",
            Assert.Single(CliRunner.Run("plot", "quartet", "--csv", "x.csv", "--reference", "1", "--out", "x.svg").ErrorLines));
    }
}
