using System.Collections.Concurrent;
using System.Globalization;
using Fp4Sim.Hardware.Cost;
using Xunit.Abstractions;

namespace Fp4Sim.Hardware.Tests.Cost;

/// <summary>
/// The analytic primitives against fresh yosys syntheses of the primitive circuits: the least-squares fit of
/// today's syntheses must reproduce the committed coefficients, and each circuit must be within the primitive
/// tolerance of its estimate. Prints the table docs/cost.md quotes.
/// </summary>
public class CostPrimitiveTests(ITestOutputHelper output)
{
    /// <summary>Each primitive circuit's estimate must be within this fraction of yosys.</summary>
    private const double PrimitiveTolerance = 0.20;

    /// <summary>A committed coefficient may differ this much from a fresh fit (rounding to two digits, tool drift).</summary>
    private const double CoefficientTolerance = 0.05;

    [Fact]
    public void Committed_coefficients_match_a_fresh_fit_of_the_primitive_circuits()
    {
        IReadOnlyList<PrimitiveCircuit> circuits = PrimitiveCircuits.FitSet();
        var measured = new ConcurrentDictionary<PrimitiveCircuit, double>();
        Parallel.ForEach(circuits, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
            measured[c] = YosysSynthesis.Synthesize([(PrimitiveCircuits.Top + ".v", c.Verilog)], PrimitiveCircuits.Top).AreaGe);

        var failures = new List<string>();
        output.WriteLine("primitive       size         yosys GE   model GE   error");
        foreach (PrimitiveCircuit c in circuits)
        {
            double error = (c.ModelGe - measured[c]) / measured[c];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Primitive,-15} {c.Size,-12} {measured[c],8:F1} {c.ModelGe,10:F1} {error,7:P1}"));
            if (Math.Abs(error) > PrimitiveTolerance)
                failures.Add($"{c.Primitive} {c.Size}: model {c.ModelGe:F1} GE vs yosys {measured[c]:F1} GE ({error:P1})");
        }
        IReadOnlyDictionary<string, double[]> fit = PrimitiveCircuits.Fit(circuits.Select(c => (c, measured[c])));
        foreach ((string primitive, double[] committed) in Committed)
            for (int i = 0; i < committed.Length; i++)
            {
                double fresh = fit[primitive][i];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fit {primitive}[{i}] = {fresh:F3} (committed {committed[i]})"));
                if (Math.Abs(committed[i] - fresh) > Math.Max(CoefficientTolerance * Math.Abs(fresh), 0.05))
                    failures.Add($"coefficient {primitive}[{i}]: committed {committed[i]} but today's fit is {fresh:F3}");
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static readonly (string, double[])[] Committed =
    [
        ("adder", [CostModel.AdderPerBit, CostModel.AdderOffset]),
        ("incrementer", [CostModel.IncrementerPerBit, CostModel.IncrementerOffset]),
        ("negate", [CostModel.NegatePerBit, CostModel.NegateOffset]),
        ("signed_multiplier", [CostModel.SignedMultiplierPerPartialProduct, CostModel.SignedMultiplierPerAdderCell]),
        ("mux", [CostModel.MuxPerBit]),
        ("zero_gate", [CostModel.ZeroGatePerBit]),
        ("reduce", [CostModel.ReducePerInput]),
        ("register", [CostModel.RegisterPerBit]),
        ("saturation", [CostModel.SaturationPerBit]),
        ("round_decision", [CostModel.RoundDecisionPerBit]),
        ("multiplier", [CostModel.MultiplierPerPartialProduct, CostModel.MultiplierPerAdderCell]),
        ("shifter", [CostModel.ShifterPerMuxBit]),
    ];
}
