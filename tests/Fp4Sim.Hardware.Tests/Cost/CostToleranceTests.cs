using System.Collections.Concurrent;
using System.Globalization;
using Fp4Sim.Hardware;
using Fp4Sim.Hardware.Cost;
using Xunit.Abstractions;

namespace Fp4Sim.Hardware.Tests.Cost;

/// <summary>
/// Every costed unit of the default set, synthesized afresh: the analytic estimate must be within
/// <see cref="CostTolerance.Fraction"/> of yosys, and the measured numbers must be positive and consistent
/// (a MAC is larger and deeper than its multiplier and has W + 2 flip-flops (W + 1 without an invalid flag); a multiplier has none).
/// </summary>
[Collection(YosysCollection.Name)]
public class CostToleranceTests(ITestOutputHelper output)
{
    /// <summary>
    /// The full ABC script on mx_dot mxfp8 takes ~45 s on an idle 2-core machine; a busy CI machine may need several
    /// times that, and falling back to <c>abc -fast</c> (20–35 % more area) would fail the tolerance for the wrong reason.
    /// </summary>
    private static readonly TimeSpan FullAbcBudget = TimeSpan.FromMinutes(10);

    [Fact]
    public void Analytic_estimates_of_the_default_units_are_within_tolerance_of_yosys()
    {
        ICostedUnit[] units = DefaultUnits.Create().OfType<ICostedUnit>().ToArray();
        Assert.True(units.Length >= 9, $"expected every default unit to be costed, found {units.Length}");
        // The multipliers of the MACs too, so the MAC > multiplier check never depends on the default set's content.
        var all = units.Concat(units.OfType<FpMacUnit>().Select(m => m.Multiplier)).DistinctBy(u => u.ModuleName).ToArray();
        var measured = new ConcurrentDictionary<string, SynthesisResult>();
        Parallel.ForEach(all, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            u => measured[u.ModuleName] = YosysSynthesis.Synthesize(u, FullAbcBudget));

        var failures = new List<string>();
        output.WriteLine($"tolerance ±{CostTolerance.Fraction:P0}");
        output.WriteLine("module                                   analytic    yosys   error  cells  transistors  FFs  depth");
        foreach (ICostedUnit unit in all)
        {
            SynthesisResult s = measured[unit.ModuleName];
            double analytic = unit.EstimateCost().TotalGe, error = (analytic - s.AreaGe) / s.AreaGe;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{unit.ModuleName,-40} {analytic,8:F1} {s.AreaGe,8:F1} {error,7:P1} " +
                $"{s.CellCount,6} {s.Transistors,12} {s.FlipFlops,4} {s.Depth,6}"));
            if (s.FastAbc)
                failures.Add($"{unit.ModuleName}: the full ABC script ran past {FullAbcBudget.TotalMinutes:0} min; " +
                    $"abc -fast areas are not comparable");
            else if (Math.Abs(error) > CostTolerance.Fraction)
                failures.Add($"{unit.ModuleName}: analytic {analytic:F1} GE vs yosys {s.AreaGe:F1} GE " +
                    $"({error:P1}, tolerance {CostTolerance.Fraction:P0})");
            if (s.AreaGe <= 0 || s.Transistors <= 0 || s.Depth <= 0 || s.CellCount <= 0)
                failures.Add($"{unit.ModuleName}: non-positive measurement (area {s.AreaGe}, transistors {s.Transistors}, depth {s.Depth})");
            if (unit is FpMacUnit mac)
            {
                SynthesisResult mul = measured[mac.Multiplier.ModuleName];
                int flipFlops = mac.Width + (mac.HasInvalid ? 2 : 1); // acc, out_valid, invalid
                if (s.FlipFlops != flipFlops) failures.Add($"{unit.ModuleName}: {s.FlipFlops} flip-flops, expected {flipFlops}");
                if (!(s.AreaGe > mul.AreaGe && s.Transistors > mul.Transistors && s.Depth > mul.Depth))
                    failures.Add($"{unit.ModuleName}: not larger and deeper than its multiplier {mul.Module} " +
                        $"({s.AreaGe:F1}/{s.Transistors}/{s.Depth} vs {mul.AreaGe:F1}/{mul.Transistors}/{mul.Depth})");
                if (analytic <= mac.Multiplier.EstimateCost().TotalGe)
                    failures.Add($"{unit.ModuleName}: analytic estimate not above its multiplier's");
            }
            else if (s.FlipFlops != 0) failures.Add($"{unit.ModuleName}: a combinational multiplier with {s.FlipFlops} flip-flops");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}

/// <summary>yosys runs take minutes of both cores: run them alone, after the parallel tests, so they are not starved.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class YosysCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "yosys";
}
