using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>Builds units from their CLI spelling; every unsupported combination is an <see cref="ArgumentException"/> with a one-line reason.</summary>
public static class UnitFactory
{
    /// <summary>The unit kinds.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["fp_mul", "fp_mac", "mx_dot"];

    /// <summary>
    /// A unit: <paramref name="kind"/> is <c>fp_mul</c>, <c>fp_mac</c> or <c>mx_dot</c>; <paramref name="formats"/> is
    /// <c>F</c> (both operands) or <c>F,G</c>: element formats for fp_mul/fp_mac, MX block formats (mxfp4, mxfp8_e4m3, …)
    /// for mx_dot; <paramref name="accumulator"/> a <c>fixed:W.F[:round][:wrap]</c> (fp_mac only).
    /// </summary>
    public static IRtlUnit Create(string kind, string formats, string? accumulator)
    {
        string[] names = formats.Split(',');
        if (names.Length is < 1 or > 2 || names.Any(n => n.Trim().Length == 0))
            throw new ArgumentException($"malformed formats '{formats}' (expected F or F,G, e.g. e2m1 or e2m1,e1m2)");
        string second = names.Length == 2 ? names[1] : names[0];
        switch (kind)
        {
            case "fp_mul":
                if (accumulator is not null) throw new ArgumentException("unit fp_mul takes no accumulator (it outputs the exact product)");
                return Multiplier(names[0], second);
            case "fp_mac":
                FpMulUnit multiplier = Multiplier(names[0], second);
                if (accumulator is null) throw new ArgumentException("unit fp_mac needs an accumulator, e.g. fixed:16.2 or fixed:12.2:round:wrap");
                if (AccumulatorSpec.Parse(accumulator) is not FixedPointAccumulator fixedPoint)
                    throw new ArgumentException($"unit fp_mac implements fixed-point accumulators only (fixed:<width>.<frac>[:round][:wrap]), not '{accumulator}'");
                return new FpMacUnit(multiplier, fixedPoint);
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
    public static IReadOnlyList<(string Kind, string Formats, string? Accumulator)> DefaultSet { get; } =
    [
        ("fp_mul", "e2m1,e2m1", null),
        ("fp_mul", "e2m1,e1m2", null),
        ("fp_mul", "e4m3,e4m3", null),
        ("fp_mul", "int4,int4", null),
        ("fp_mul", "int8,int8", null),
        ("fp_mac", "e2m1,e2m1", "fixed:16.2"),
        ("fp_mac", "e2m1,e2m1", "fixed:12.2:round:wrap"),
        ("fp_mac", "e4m3,e4m3", "fixed:32.12"),
        ("fp_mac", "int8,int8", "fixed:24.0"),
        ("mx_dot", "mxfp4,mxfp4", null),
        ("mx_dot", "mxfp8_e4m3,mxfp8_e4m3", null),
    ];

    /// <summary>The default set's units.</summary>
    public static IReadOnlyList<IRtlUnit> DefaultUnits() => DefaultSet.Select(d => Create(d.Kind, d.Formats, d.Accumulator)).ToArray();
}
