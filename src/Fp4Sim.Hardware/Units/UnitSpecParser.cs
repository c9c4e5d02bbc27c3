using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>
/// Reads a unit as the CLI spells it (<c>--unit</c>, <c>--format</c>, <c>--acc</c>, <c>--shift-bits</c>) into a
/// <see cref="UnitSpec"/>, once, at the edge; every unsupported combination is an <see cref="ArgumentException"/>
/// with a one-line reason (a malformed format or accumulator name is the <see cref="FormatException"/> of its parser).
/// Ranges: an accumulator's width and fraction bits are first those of <see cref="FixedPointAccumulator"/> (checked by
/// <see cref="AccumulatorSpec"/> before anything is sized from them), then the tighter ones of the MAC unit
/// (<see cref="FpMacUnit"/>: its grid between the largest product and what the width holds); <c>--shift-bits</c> is
/// 1..<see cref="FpMacUnit.MaxShiftBits"/>.
/// </summary>
public static class UnitSpecParser
{
    /// <summary>
    /// <paramref name="kind"/> is a <see cref="UnitKinds.Name"/>; <paramref name="formats"/> is <c>F</c> (both operands)
    /// or <c>F,G</c>: element formats, or MX block formats (mxfp4, mxfp8_e4m3, …) for mx_dot; <paramref name="accumulator"/>
    /// a <c>fixed:W.F[:round][:wrap]</c> (the MACs); <paramref name="shiftBits"/> the width of psb_mac's channel shift
    /// input (default <see cref="MacSpec.DefaultShiftBits"/>).
    /// </summary>
    public static UnitSpec Parse(string kind, string formats, string? accumulator, int? shiftBits = null)
    {
        if (shiftBits is not null && kind != UnitKind.PsbMac.Name())
            throw new ArgumentException($"unit {kind} takes no shift input (that is psb_mac)");
        string[] names = formats.Split(',');
        if (names.Length is < 1 or > 2 || names.Any(n => n.Trim().Length == 0))
            throw new ArgumentException($"malformed formats '{formats}' (expected F or F,G, e.g. e2m1 or e2m1,e1m2)");
        string first = names[0], second = names.Length == 2 ? names[1] : names[0];
        UnitKind unitKind = UnitKinds.All.FirstOrDefault(k => k.Name() == kind, (UnitKind)(-1));
        switch (unitKind)
        {
            case UnitKind.FpMul:
                if (accumulator is not null) throw new ArgumentException("unit fp_mul takes no accumulator (it outputs the exact product)");
                return Multiplier(first, second);
            case UnitKind.FpMac or UnitKind.PsbMac or UnitKind.IntMac:
                MultiplierSpec multiplier = Multiplier(first, second);
                if (accumulator is null) throw new ArgumentException($"unit {kind} needs an accumulator, e.g. fixed:16.2 or fixed:12.2:round:wrap");
                if (AccumulatorSpec.Parse(accumulator) is not FixedPointAccumulator fixedPoint)
                    throw new ArgumentException(
                        $"unit {kind} implements fixed-point accumulators only (fixed:<width>.<frac>[:round][:wrap]), not '{accumulator}'");
                MacSpec mac = unitKind switch
                {
                    UnitKind.IntMac => new MacSpec(MacVariant.Integer, multiplier.FormatA, multiplier.FormatB, fixedPoint),
                    UnitKind.PsbMac => new MacSpec(MacVariant.PreShiftedBias, multiplier.FormatA, multiplier.FormatB, fixedPoint,
                        shiftBits ?? MacSpec.DefaultShiftBits(multiplier.FormatA)),
                    _ => new MacSpec(MacVariant.Float, multiplier.FormatA, multiplier.FormatB, fixedPoint),
                };
                _ = new FpMacUnit(mac); // the register's width and grid against these products, before anything is sized
                return mac;
            case UnitKind.MxDot:
                if (accumulator is not null)
                    throw new ArgumentException("unit mx_dot takes no accumulator (it outputs the exact block sum and its scale)");
                return new MxDotSpec(BlockFormatNamed(first), BlockFormatNamed(second));
            default:
                IReadOnlyList<UnitKind> all = UnitKinds.All;
                throw new ArgumentException(
                    $"unknown unit '{kind}' (expected {string.Join(", ", all.Take(all.Count - 1).Select(k => k.Name()))} or {all[^1].Name()})");
        }
    }

    /// <summary>
    /// The operand pair, checked by building its multiplier: an operand pair the RTL cannot take is reported before
    /// any accumulator error.
    /// </summary>
    private static MultiplierSpec Multiplier(string a, string b)
    {
        var spec = new MultiplierSpec(FormatSpec.Parse(a), FormatSpec.Parse(b));
        _ = new FpMulUnit(spec);
        return spec;
    }

    /// <summary>An MX block format by name; an unknown name is an <see cref="ArgumentException"/> naming the known ones.</summary>
    private static BlockFormat BlockFormatNamed(string name) =>
        KnownBlockFormats.All.FirstOrDefault(b => b.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException(
            $"unknown block format '{name.Trim()}' for unit mx_dot (expected {string.Join(", ", KnownBlockFormats.All.Select(b => b.Name))})");
}
