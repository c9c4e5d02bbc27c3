using Fp4Sim.Cli.Charts;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Quantization.Model;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Training.Model;
using Fp4Sim.Training.Quartet;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim quartet train</c>: the small decoder trained on real text in one setting (or all three, same seed and data
/// order), the loss every evaluation step on stdout, progress on stderr, CSV and the loss plot with <c>--out</c>.
/// </summary>
internal static class QuartetTrainCommand
{
    /// <summary>The plot <c>--out</c> rewrites from every run's CSV in the folder.</summary>
    public const string PlotFile = "validation-loss.svg";

    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("quartet train", argv, "setting", "steps", "seed", "eval-every", "backward", "signs", "out", "data-dir");
        string settingText = args.Required("setting");
        IReadOnlyList<TrainingSetting> settings = settingText == "all"
            ? [TrainingSetting.Fp32, TrainingSetting.Quartet, TrainingSetting.Naive]
            : [ParseSetting(settingText)];
        int steps = (int)args.Integer("steps", new TrainingOptions().Steps, 1, 1_000_000, "an integer from 1 to 1000000");
        int evalEvery = (int)args.Integer("eval-every", new TrainingOptions().EvalEvery, 1, steps, $"an integer from 1 to the steps ({steps})");
        var options = new TrainingOptions(Steps: steps, EvalEvery: evalEvery, Seed: args.Unsigned("seed", new TrainingOptions().Seed));
        var quartet = new QuartetOptions(ParseBackward(args.Optional("backward") ?? "rtn"),
            QuartetNames.ParsePlacement(args.Optional("signs") ?? "before"));
        string? outDir = args.Optional("out");
        if (outDir is not null) OutputPaths.RequireWritableFolder("quartet train", outDir);
        var config = new DecoderConfig();
        TextData data = LlmFp4Command.Load(() => TextData.LoadHam(args.Optional("data-dir") ?? ModelLocation.DefaultDataDirectory()));
        stdout.Write($"quartet train: {TrainingReport.Header(config, data, options)}\n");
        stdout.Flush();

        var results = new List<(string Label, TrainingResult? Result)>();
        ProgressBars.Run(progress =>
        {
            foreach (TrainingSetting setting in settings)
            {
                string label = TrainingSettings.Label(setting, quartet);
                progress.Stage($"training {label}");
                ILinearGemms gemms = TrainingSettings.Create(setting, quartet);
                var trainer = new Trainer(config, gemms, options);
                try
                {
                    TrainingResult result = trainer.Run(data, r =>
                    {
                        progress.Step($"{label} step {r.Step}, loss {r.TrainLoss:0.000}", r.Step, steps);
                        if (r.ValidationLoss is null) return;
                        stdout.Write(TrainingReport.Progress(label, r) + "\n");
                        stdout.Flush();
                    });
                    stdout.Write(TrainingReport.Result(label, result) + "\n");
                    if (gemms is QuartetLinearGemms q) stdout.Write(TrainingReport.QuartetTime(label, q.Times, steps) + "\n");
                    results.Add((label, result));
                    if (outDir is not null) WriteCsv(outDir, label, result, stdout);
                }
                catch (ArgumentException e)
                {
                    // A NaN or infinity reached an MXFP4 quantizer: the run diverged; say so and go on with the others.
                    stdout.Write($"result {label} diverged: {e.Message}\n");
                    results.Add((label, null));
                }
                stdout.Flush();
            }
        }, stderr);
        if (results.FirstOrDefault(r => r.Label == "fp32").Result is { } fp32)
            foreach ((string label, TrainingResult? result) in results.Where(r => r.Label != "fp32" && r.Result is not null))
                stdout.Write(TrainingReport.Gap(label, result!.FinalValidationLoss, fp32.FinalValidationLoss) + "\n");
        if (outDir is not null) WritePlot(outDir, stdout);
        stdout.Flush();
        return results.Any(r => r.Result is null) ? 1 : 0;
    }

    private static TrainingSetting ParseSetting(string text)
    {
        try { return TrainingSettings.Parse(text); }
        catch (FormatException) { throw new CliException($"quartet train: unknown --setting '{text}' (expected fp32, quartet, naive or all)"); }
    }

    private static bool ParseBackward(string text) => text switch
    {
        "rtn" => false,
        "sr" => true,
        _ => throw new CliException($"quartet train: unknown --backward '{text}' (expected rtn or sr)"),
    };

    private static void WriteCsv(string dir, string label, TrainingResult result, TextWriter stdout)
    {
        OutputFiles.WriteAll("quartet train", [OutputFile.Text(Path.Combine(dir, label + ".csv"), TrainingLog.ToCsv(result.Records))], stdout);
    }

    /// <summary>Plots every run CSV in the folder (fp32 first, then by name), so runs made one at a time end up in one plot.</summary>
    private static void WritePlot(string dir, TextWriter stdout)
    {
        var curves = new List<LossCurve>();
        foreach (string path in Directory.GetFiles(dir, "*.csv").OrderBy(p => Path.GetFileName(p) == "fp32.csv" ? "" : Path.GetFileName(p),
                     StringComparer.Ordinal))
        {
            try
            {
                using var reader = new StreamReader(path);
                curves.Add(new LossCurve(Path.GetFileNameWithoutExtension(path), TrainingLog.ReadCsv(reader)));
            }
            catch (InvalidDataException) { } // another tool's CSV in the folder: not a run, not plotted
        }
        if (curves.All(c => c.Records.All(r => r.ValidationLoss is null))) return;
        byte[] chart = LossChart.Render(curves, LossChart.TrainingTitle, ChartFormat.Svg);
        OutputFiles.WriteAll("quartet train", [new OutputFile(Path.Combine(dir, PlotFile), chart)], stdout);
    }
}
