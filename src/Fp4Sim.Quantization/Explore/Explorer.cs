using System.Diagnostics;
using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Explore;

/// <summary>One point of the design space: an operand choice run bit-exactly in one accumulator, and what it costs.</summary>
/// <param name="Operands">The operand choice's name.</param>
/// <param name="Accumulator">The accumulator as the CLI spells it.</param>
/// <param name="Unit">The unit that computes a lane (<c>int_mac</c>, <c>psb_mac</c>, <c>mx_dot/32</c>).</param>
/// <param name="AreaGe">Its area in NAND2 equivalents, or null where the cost model has no such unit.</param>
/// <param name="Accuracy">Spam accuracy on the held-out texts.</param>
/// <param name="MeanCosine">Mean cosine to the float32 embeddings.</param>
/// <param name="MinCosine">Least cosine to the float32 embeddings.</param>
/// <param name="Overflows">Adds that saturated or wrapped, over all layers.</param>
/// <param name="RoundedTerms">Products rounded onto the register's grid, over all layers.</param>
/// <param name="Seconds">The point's own evaluation time (its calibration is shared by its operand choice).</param>
/// <param name="Refused">Why the point could not run (a register too narrow for one product), or null.</param>
public sealed record DesignPoint(string Operands, string Accumulator, string Unit, double? AreaGe, double Accuracy, double MeanCosine,
    double MinCosine, long Overflows, long RoundedTerms, double Seconds, string? Refused = null)
{
    /// <summary>Area over the INT4 exact-register point's area.</summary>
    public double? AreaRatio { get; init; }

    /// <summary>On the accuracy-versus-area Pareto front.</summary>
    public bool Pareto { get; init; }
}

/// <summary>
/// <c>fp4sim explore</c>: for every operand choice, quantize once with its method (formats pinned for FP), then run
/// the model bit-exactly in every accumulator of the set on the held-out texts, and price the lane that computes it.
/// </summary>
public static class Explorer
{
    /// <summary>Runs the set on an experiment's held-out texts.</summary>
    public static IReadOnlyList<DesignPoint> Run(Experiment experiment, ExperimentOptions options, DesignSet set, IProgressSink progress,
        IReadOnlyList<OperandChoice>? operands = null)
    {
        var points = new List<DesignPoint>();
        foreach (OperandChoice choice in operands ?? DesignSpace.Operands)
        {
            progress.Stage($"{choice.Name}: quantizing ({choice.Method.Name()} {choice.Bits})");
            var clock = Stopwatch.StartNew();
            QuantizedModel quantized = Calibrator.Calibrate(experiment.Model, experiment.Calibration, choice.Method, choice.Bits,
                choice.Pin(options.SearchOptions), (layer, done, total) => progress.Step($"{choice.Name}: {layer}", done, total));
            double calibration = clock.Elapsed.TotalSeconds;
            var runnable = new List<(QuantizedModel Model, MacAccumulator Accumulator)>();
            foreach (MacAccumulator accumulator in DesignSpace.Accumulators(set, quantized))
            {
                try { runnable.Add((quantized.WithExecution(new MacExecution(accumulator)), accumulator)); }
                catch (MacSetupException e)
                {
                    points.Add(new DesignPoint(choice.Name, accumulator.Name, "", null, double.NaN, double.NaN, double.NaN, 0, 0, 0, e.Message));
                }
            }
            progress.Stage($"{choice.Name}: running {runnable.Count} accumulators bit-exactly");
            IReadOnlyList<MethodResult> results = experiment.Evaluate(runnable.Select(r => (r.Model, calibration)).ToArray(), localSqnr: false);
            for (int i = 0; i < runnable.Count; i++)
            {
                MethodResult r = results[i];
                (string unit, double? area) = DesignSpace.Area(runnable[i].Model, runnable[i].Accumulator);
                IReadOnlyList<MacLayerStats> stats = r.MacStats ?? [];
                points.Add(new DesignPoint(choice.Name, runnable[i].Accumulator.Name, unit, area, r.Accuracy, r.MeanCosine, r.MinCosine,
                    stats.Sum(s => s.Counts.SaturatedAdds + s.Counts.WrappedAdds), stats.Sum(s => s.Counts.RoundedTerms), r.Seconds - calibration));
                progress.Stage($"{choice.Name} {runnable[i].Accumulator.Name}: acc {r.Accuracy:F4} cos {r.MeanCosine:F4}");
            }
        }
        return Finish(points);
    }

    /// <summary>Adds the area ratio to the INT4 exact point and marks the Pareto front.</summary>
    public static IReadOnlyList<DesignPoint> Finish(IReadOnlyList<DesignPoint> points)
    {
        double? int4 = points.FirstOrDefault(p => p.Operands == "int4" && p.Accumulator == "exact")?.AreaGe;
        bool[] front = DesignSpace.ParetoFront(points.Select(p => (p.Accuracy, p.Refused is null ? p.AreaGe : null)).ToArray());
        return points.Select((p, i) => p with { AreaRatio = p.AreaGe / int4, Pareto = front[i] }).ToArray();
    }
}
