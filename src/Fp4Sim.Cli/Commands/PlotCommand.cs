using System.Globalization;
using Fp4Sim.Cli.Charts;
using Fp4Sim.Quantization.Explore;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim plot llmfp4|explore|quartet --csv FILE[,FILE…] --out PATH</c>: the chart of a finished run drawn again
/// from the CSV it wrote (several llmfp4 runs merged into one chart, quartet runs into one), as SVG or, for a
/// <c>.png</c> path, PNG. The runs that write these CSVs take minutes to hours; their charts take a second.
/// Unreadable or malformed CSV, or a path of another extension: exit 2; an unwritable <c>--out</c>: exit 3.
/// </summary>
public static class PlotCommand
{
    /// <summary>Runs <c>plot</c> for <paramref name="kind"/> with the arguments after it; returns the exit code.</summary>
    public static int Run(string kind, string[] argv, TextWriter stdout)
    {
        string verb = $"plot {kind}";
        var args = kind == "explore"
            ? new ArgumentReader(verb, argv, "csv", "out", "reference")
            : new ArgumentReader(verb, argv, "csv", "out");
        string[] inputs = args.Required("csv").Split(',');
        string output = args.Required("out");
        ChartFormat format = Chart.FormatOf(verb, output);
        double? reference = args.Optional("reference") is { } text ? Fraction(verb, text) : null;
        OutputPaths.RequireWritable(verb, output);
        byte[] chart;
        try
        {
            chart = kind switch
            {
                "llmfp4" => ResultsChart.Render(Read(verb, inputs, PlotPoint.ReadCsv).SelectMany(p => p.Value).DistinctBy(p => (p.Method, p.Bits))
                    .ToArray(), format),
                "explore" => DesignSpaceChart.Render(Read(verb, inputs, DesignReport.ReadCsv).SelectMany(p => p.Value).ToArray(), reference, format),
                _ => LossChart.Render(Read(verb, inputs, TrainingLog.ReadCsv)
                    .Select(p => new LossCurve(Path.GetFileNameWithoutExtension(p.Key), p.Value)).ToArray(), LossChart.TrainingTitle, format),
            };
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{verb}: {e.Message}"); // nothing to draw: no rows, no areas, no validation losses
        }
        OutputFiles.WriteAll(verb, [new OutputFile(output, chart)], stdout);
        return 0;
    }

    /// <summary>Each input's rows, in the order given; a file that cannot be read or parsed is bad input naming it.</summary>
    private static List<KeyValuePair<string, T>> Read<T>(string verb, string[] paths, Func<TextReader, T> parse)
    {
        var read = new List<KeyValuePair<string, T>>();
        foreach (string path in paths)
        {
            try
            {
                using var reader = new StreamReader(path);
                read.Add(new(path, parse(reader)));
            }
            catch (InvalidDataException e)
            {
                throw new CliException($"{verb}: '{ErrorText.Quote(path)}' {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CliException($"{verb}: cannot read '{ErrorText.Quote(path)}': {e.Message}");
            }
        }
        return read;
    }

    private static double Fraction(string verb, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v is >= 0 and <= 1
            ? v
            : throw new CliException($"{verb}: malformed --reference '{ErrorText.Quote(text)}' (expected an accuracy from 0 to 1)");
}
