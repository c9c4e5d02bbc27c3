using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>Builds units from their CLI spelling; every unsupported combination is an <see cref="ArgumentException"/> with a one-line reason.</summary>
public static class UnitFactory
{
    /// <summary>The unit kinds.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["fp_mul", "fp_mac", "psb_mac", "int_mac", "mx_dot"];

    /// <summary>
    /// A unit: <paramref name="kind"/> is one of <see cref="Kinds"/>; <paramref name="formats"/> is <c>F</c> (both
    /// operands) or <c>F,G</c>: element formats, or MX block formats (mxfp4, mxfp8_e4m3, …) for mx_dot;
    /// <paramref name="accumulator"/> a <c>fixed:W.F[:round][:wrap]</c> (the MACs); <paramref name="shiftBits"/> the
    /// width of psb_mac's channel shift input (default: format A's exponent bits, so the offsets span LLM-FP4's
    /// 0..2^E − 1).
    /// </summary>
    public static IRtlUnit Create(string kind, string formats, string? accumulator, int? shiftBits = null)
    {
        if (shiftBits is not null && kind != "psb_mac") throw new ArgumentException($"unit {kind} takes no shift input (that is psb_mac)");
        string[] names = formats.Split(',');
        if (names.Length is < 1 or > 2 || names.Any(n => n.Trim().Length == 0))
            throw new ArgumentException($"malformed formats '{formats}' (expected F or F,G, e.g. e2m1 or e2m1,e1m2)");
        string second = names.Length == 2 ? names[1] : names[0];
        switch (kind)
        {
            case "fp_mul":
                if (accumulator is not null) throw new ArgumentException("unit fp_mul takes no accumulator (it outputs the exact product)");
                return Multiplier(names[0], second);
            case "fp_mac" or "psb_mac" or "int_mac":
                FpMulUnit multiplier = Multiplier(names[0], second);
                if (accumulator is null) throw new ArgumentException($"unit {kind} needs an accumulator, e.g. fixed:16.2 or fixed:12.2:round:wrap");
                if (AccumulatorSpec.Parse(accumulator) is not FixedPointAccumulator fixedPoint)
                    throw new ArgumentException($"unit {kind} implements fixed-point accumulators only (fixed:<width>.<frac>[:round][:wrap]), not '{accumulator}'");
                return kind switch
                {
                    "int_mac" => new FpMacUnit(multiplier, fixedPoint, MacVariant.Integer),
                    "psb_mac" => new FpMacUnit(multiplier, fixedPoint, MacVariant.PreShiftedBias, shiftBits ?? Math.Max(1, multiplier.FormatA.ExponentBits)),
                    _ => new FpMacUnit(multiplier, fixedPoint),
                };
            case "mx_dot":
                if (accumulator is not null) throw new ArgumentException("unit mx_dot takes no accumulator (it outputs the exact block sum and its scale)");
                return new MxDotUnit(BlockFormatNamed(names[0]), BlockFormatNamed(second));
            default:
                throw new ArgumentException($"unknown unit '{kind}' (expected {string.Join(", ", Kinds.Take(Kinds.Count - 1))} or {Kinds[^1]})");
        }
    }

    private static FpMulUnit Multiplier(string a, string b) => new(FormatSpec.Parse(a), FormatSpec.Parse(b));

    /// <summary>An MX block format by name; an unknown name is an <see cref="ArgumentException"/> naming the known ones.</summary>
    private static BlockFormat BlockFormatNamed(string name) =>
        KnownBlockFormats.All.FirstOrDefault(b => b.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"unknown block format '{name.Trim()}' for unit mx_dot (expected {string.Join(", ", KnownBlockFormats.All.Select(b => b.Name))})");

    /// <summary>The committed default set (docs/rtl.md): generated/ and golden-vectors/ hold exactly these.</summary>
    public static IReadOnlyList<UnitSpec> DefaultSet { get; } =
    [
        new("fp_mul", "e2m1,e2m1", null),
        new("fp_mul", "e2m1,e1m2", null),
        new("fp_mul", "e4m3,e4m3", null),
        new("fp_mul", "int4,int4", null),
        new("fp_mul", "int8,int8", null),
        new("fp_mac", "e2m1,e2m1", "fixed:16.2"),
        new("fp_mac", "e2m1,e2m1", "fixed:12.2:round:wrap"),
        new("fp_mac", "e2m1,e1m2", "fixed:16.2"),
        new("fp_mac", "e4m3,e4m3", "fixed:32.12"),
        new("fp_mac", "int8,int8", "fixed:24.0"),
        new("psb_mac", "e2m1,e2m1", "fixed:20.5", ShiftBits: 2),
        new("int_mac", "int4,int4", "fixed:16.0"),
        new("int_mac", "int8,int8", "fixed:32.0"),
        new("mx_dot", "mxfp4,mxfp4", null),
        new("mx_dot", "mxfp8_e4m3,mxfp8_e4m3", null),
    ];

    /// <summary>The default set's units.</summary>
    public static IReadOnlyList<IRtlUnit> DefaultUnits() => DefaultSet.Select(d => d.Create()).ToArray();
}

/// <summary>A unit configuration as the CLI spells it (<see cref="UnitFactory.Create"/>).</summary>
/// <param name="Kind">One of <see cref="UnitFactory.Kinds"/>.</param>
/// <param name="Formats"><c>F</c> or <c>F,G</c>.</param>
/// <param name="Accumulator">A <c>fixed:W.F[:round][:wrap]</c> for the MACs, null otherwise.</param>
/// <param name="ShiftBits">psb_mac's shift input width (null: the default).</param>
public sealed record UnitSpec(string Kind, string Formats, string? Accumulator, int? ShiftBits = null)
{
    /// <summary>Builds the unit.</summary>
    public IRtlUnit Create() => UnitFactory.Create(Kind, Formats, Accumulator, ShiftBits);
}
