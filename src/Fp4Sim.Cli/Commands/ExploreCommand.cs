using Fp4Sim.Cli.Charts;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Quantization.Explore;
using Fp4Sim.Quantization.Pipeline;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim explore --model use-lite [--set default|full] [--out DIR]</c>: accuracy against MAC area over operand
/// formats × accumulators (<see cref="Explorer"/>). Parses, calls and prints.
/// </summary>
public static class ExploreCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("explore", argv, "model", "set", "out", "calib", "train", "eval", "seed", "threads", "rounds",
            "model-dir", "data-dir");
        string model = args.Required("model");
        if (model != "use-lite") throw new CliException($"explore: unknown --model '{model}' (expected use-lite)");
        DesignSet set = args.Optional("set") switch
        {
            null or "default" => DesignSet.Default,
            "full" => DesignSet.Full,
            string other => throw new CliException($"explore: unknown --set '{other}' (expected default or full)"),
        };
        string? outDir = args.Optional("out");
        if (outDir is not null) OutputPaths.RequireWritableFolder("explore", outDir);
        ExperimentOptions options = LlmFp4Command.Options(args, LlmFp4Command.ModelDirectory(args),
            train: (int)args.Integer("train", 1000, 10, 5000, "an integer 10..5000"),
            evaluation: (int)args.Integer("eval", 200, 10, 5000, "an integer 10..5000"));
        IReadOnlyList<DesignPoint> points = [];
        double reference = 0;
        string setup = "";
        ProgressBars.Run(progress =>
        {
            Experiment experiment = LlmFp4Command.Load(() => Experiment.Load(options, progress));
            points = LlmFp4Command.Setup(() => Explorer.Run(experiment, options, set, progress));
            reference = experiment.ReferenceAccuracy;
            setup = $"USE-Lite, SpamAssassin split seed {options.Seed}: {experiment.Description}; float32 head accuracy {reference:F4}.";
        }, stderr);
        stdout.Write(setup + "\n\n" + DesignReport.Table(points));
        stdout.Flush();
        if (outDir is null) return 0;
        OutputFiles.WriteAll("explore",
        [
            OutputFile.Text(Path.Combine(outDir, "design-space.csv"), DesignReport.Csv(points)),
            new(Path.Combine(outDir, "design-space.svg"), DesignSpaceChart.Render(points, reference, ChartFormat.Svg)),
            OutputFile.Text(Path.Combine(outDir, "design-space.txt"), setup + "\n\n" + DesignReport.Table(points)),
        ], stdout);
        stdout.Flush();
        return 0;
    }
}
