using Fp4Sim.Hardware;
using Fp4Sim.Hardware.Cost;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Explore;

/// <summary>Which points the exploration runs.</summary>
public enum DesignSet
{
    /// <summary>Every operand choice with the exact register, three grid widths, one truncating register and binary32.</summary>
    Default,
    /// <summary>More register widths, rounding registers and a tensor-core model (its reference path is slow: hours at 200 mails).</summary>
    Full,
}

/// <summary>
/// An operand choice of the design space: the method that quantizes it best and, for FP, the element formats pinned
/// in LLM-FP4's search (activation × weight).
/// </summary>
/// <param name="Name">As the table prints it: <c>int4</c>, <c>e2m1</c>, <c>e2m1×e1m2</c>, …, <c>mxfp4</c>.</param>
/// <param name="Method">The quantization method.</param>
/// <param name="Bits">E/W/A.</param>
/// <param name="Activation">FP: the pinned activation format.</param>
/// <param name="Weight">FP: the pinned weight format.</param>
public sealed record OperandChoice(string Name, QuantizationMethod Method, BitSetting Bits, ElementFormat? Activation = null,
    ElementFormat? Weight = null)
{
    /// <summary>The search options with this choice's formats pinned.</summary>
    public SearchOptions Pin(SearchOptions options) => options with { WeightFormat = Weight, ActivationFormat = Activation };
}

/// <summary>The design space of <c>fp4sim explore</c> and the area model behind each point.</summary>
public static class DesignSpace
{
    /// <summary>The operand choices: INT4/INT6 (MinMax), FP with FPQ's pre-shifted biases, and MXFP4.</summary>
    public static IReadOnlyList<OperandChoice> Operands { get; } =
    [
        new("int4", QuantizationMethod.MinMaxInt, new BitSetting(4, 4, 4)),
        new("int6", QuantizationMethod.MinMaxInt, new BitSetting(6, 6, 6)),
        new("e2m1", QuantizationMethod.Fpq, new BitSetting(4, 4, 4), ElementFormat.Fp(2, 1), ElementFormat.Fp(2, 1)),
        new("e2m1×e1m2", QuantizationMethod.Fpq, new BitSetting(4, 4, 4), ElementFormat.Fp(2, 1), ElementFormat.Fp(1, 2)),
        new("e3m2", QuantizationMethod.Fpq, new BitSetting(6, 6, 6), ElementFormat.Fp(3, 2), ElementFormat.Fp(3, 2)),
        new("e4m3", QuantizationMethod.Fpq, new BitSetting(8, 8, 8), ElementFormat.Fp(4, 3), ElementFormat.Fp(4, 3)),
        new("mxfp4", QuantizationMethod.MxFp4, new BitSetting(4, 4, 4)),
    ];

    /// <summary>
    /// The accumulators of a set for one quantized operand choice, relative to E, the widest register any of its layers
    /// needs to be exact: <c>exact</c>; registers on the product grid E − d bits wide (they lose at the top, by
    /// saturation); registers anchored under the largest sum, E − d bits wide (they lose at the bottom, by truncation);
    /// binary32 — d ∈ {4, 8} by default, {2, 4, …, 12} in the full set, which adds top-anchored registers that round
    /// products to nearest, a wrapping register and a tensor-core model. Widths stay within 2..62 bits. MXFP4: the exact GEMM's two accumulators.
    /// </summary>
    public static IReadOnlyList<MacAccumulator> Accumulators(DesignSet set, QuantizedModel quantized)
    {
        if (quantized.MxWeights is not null) return new[] { "exact", "fp32" }.Select(MacAccumulator.Parse).ToArray();
        int exact = quantized.IntegerLayers(PreShiftForm.ShiftInMac).Values.Max(l => l.AlignedRegister.Width);
        int[] drops = set == DesignSet.Default ? [4, 8] : [2, 4, 6, 8, 10, 12];
        var names = new List<string> { "exact" };
        int[] widths = drops.Select(d => Math.Clamp(exact - d, 2, 62)).Distinct().ToArray();
        names.AddRange(widths.Select(w => $"fixed:{w}.grid"));
        names.AddRange(widths.Select(w => $"fixed:{w}.top"));
        if (set == DesignSet.Full)
        {
            names.AddRange(widths.Select(w => $"fixed:{w}.top:round"));
            names.AddRange([$"fixed:{widths[^1]}.grid:wrap", "tc:a100"]);
        }
        names.Add("fp32");
        return names.Select(MacAccumulator.Parse).ToArray();
    }

    /// <summary>
    /// The unit that computes one lane of a point and its area in GE from the cost model: <c>int_mac</c> or
    /// <c>psb_mac</c> (FPQ's shift in the MAC, shift bits = the activation's exponent bits) with the point's register —
    /// for <c>exact</c> and <c>fixed:W.grid</c> the widest any layer resolves to —, or <c>mx_dot</c> over its 32 lanes
    /// (the block term only). Null area where the cost model has no unit: a floating-point accumulator.
    /// </summary>
    public static (string Unit, double? AreaGe) Area(QuantizedModel model, MacAccumulator accumulator)
    {
        if (model.MxWeights is not null)
        {
            var mx = new MxDotSpec(KnownBlockFormats.MxFp4, KnownBlockFormats.MxFp4);
            return ("mx_dot/32", ((ICostedUnit)mx.Create()).EstimateCost().TotalGe / KnownBlockFormats.MxFp4.BlockSize);
        }
        IntegerLayer[] layers = model.IntegerLayers(PreShiftForm.ShiftInMac).Values.ToArray();
        FixedPointAccumulator? register = Register(layers, accumulator);
        IntegerLayer first = layers[0];
        bool integer = first.ActivationFormat.IsInteger;
        string unit = integer ? "int_mac" : "psb_mac";
        if (register is null) return (unit, null);
        MacSpec spec = integer
            ? new MacSpec(MacVariant.Integer, first.ActivationFormat, first.WeightFormat, register)
            : new MacSpec(MacVariant.PreShiftedBias, first.ActivationFormat, first.WeightFormat, register,
                MacSpec.DefaultShiftBits(first.ActivationFormat));
        return (unit, ((ICostedUnit)spec.Create()).EstimateCost().TotalGe);
    }

    /// <summary>The fixed-point register a point needs in hardware (null for floating-point accumulators).</summary>
    private static FixedPointAccumulator? Register(IReadOnlyList<IntegerLayer> layers, MacAccumulator accumulator)
    {
        if (accumulator.Core is ExactAccumulator)
            return new FixedPointAccumulator(layers.Max(l => l.AlignedRegister.Width), layers.Max(l => l.AlignedRegister.FractionBits));
        if (accumulator.Core is FixedPointAccumulator fixedRegister) return fixedRegister;
        if (accumulator.Core is null) // the layer-relative register with the most fraction bits (the widest alignment)
            return layers.Select(l => (FixedPointAccumulator)accumulator.For(l.AlignedRegister)).MaxBy(r => r.FractionBits);
        return null;
    }

    /// <summary>
    /// The Pareto front over points with an area: a point is on it when no other point is at least as accurate with
    /// no more area and strictly better in one of the two.
    /// </summary>
    public static bool[] ParetoFront(IReadOnlyList<(double Accuracy, double? Area)> points)
    {
        var front = new bool[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            if (points[i].Area is not double area) continue;
            front[i] = !points.Where((_, j) => j != i).Any(q => q.Area is double other && q.Accuracy >= points[i].Accuracy && other <= area
                && (q.Accuracy > points[i].Accuracy || other < area));
        }
        return front;
    }
}
