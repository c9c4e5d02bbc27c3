using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>The generated operators.</summary>
public enum UnitKind
{
    /// <summary><c>fp_mul</c>: the exact product of two element codes (<see cref="FpMulUnit"/>).</summary>
    FpMul,

    /// <summary><c>fp_mac</c>: exact products into a fixed-point register (<see cref="FpMacUnit"/>).</summary>
    FpMac,

    /// <summary><c>psb_mac</c>: an <c>fp_mac</c> whose product is lowered by a per-channel shift (LLM-FP4's pre-shifted bias).</summary>
    PsbMac,

    /// <summary><c>int_mac</c>: a two's-complement multiplier of integer codes into a fixed-point register.</summary>
    IntMac,

    /// <summary><c>mx_dot</c>: one pair of MX blocks to one exact term of the MX dot product (<see cref="MxDotUnit"/>).</summary>
    MxDot,
}

/// <summary>The spelling of <see cref="UnitKind"/> on the command line, in module names and in manifests.</summary>
public static class UnitKinds
{
    /// <summary>Every kind, in the order the help text lists them.</summary>
    public static IReadOnlyList<UnitKind> All { get; } = [UnitKind.FpMul, UnitKind.FpMac, UnitKind.PsbMac, UnitKind.IntMac, UnitKind.MxDot];

    /// <summary>The kind's name: <c>fp_mul</c>, <c>fp_mac</c>, <c>psb_mac</c>, <c>int_mac</c> or <c>mx_dot</c>.</summary>
    public static string Name(this UnitKind kind) => kind switch
    {
        UnitKind.FpMul => "fp_mul",
        UnitKind.FpMac => "fp_mac",
        UnitKind.PsbMac => "psb_mac",
        UnitKind.IntMac => "int_mac",
        UnitKind.MxDot => "mx_dot",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>
/// A unit's description, typed: what the CLI parses once (<see cref="UnitSpecParser"/>) and what the generator, the
/// vectors and the cost model are built from (<see cref="Create"/>). Building the unit checks what the RTL can take.
/// </summary>
public abstract record UnitSpec
{
    private protected UnitSpec() { }

    /// <summary>The operator this describes.</summary>
    public abstract UnitKind Kind { get; }

    /// <summary>The operand formats' names (A, B): element formats, or block formats for <c>mx_dot</c>.</summary>
    public abstract (string A, string B) FormatNames { get; }

    /// <summary>Builds the unit; <see cref="ArgumentException"/> with a one-line reason for what the RTL cannot take.</summary>
    public abstract IRtlUnit Create();
}

/// <summary>An <c>fp_mul</c>: code A of <paramref name="FormatA"/> times code B of <paramref name="FormatB"/>.</summary>
public sealed record MultiplierSpec(FormatInfo FormatA, FormatInfo FormatB) : UnitSpec
{
    /// <inheritdoc/>
    public override UnitKind Kind => UnitKind.FpMul;

    /// <inheritdoc/>
    public override (string A, string B) FormatNames => (FormatA.Name, FormatB.Name);

    /// <inheritdoc/>
    public override IRtlUnit Create() => new FpMulUnit(this);
}

/// <summary>
/// A registered MAC: the <paramref name="Variant"/> (fp_mac, psb_mac, int_mac) of a <paramref name="FormatA"/> ×
/// <paramref name="FormatB"/> product feeding a fixed-point <paramref name="Accumulator"/>; <paramref name="ShiftBits"/> is
/// the width of psb_mac's channel shift input (0 for the other variants).
/// </summary>
public sealed record MacSpec(MacVariant Variant, FormatInfo FormatA, FormatInfo FormatB, FixedPointAccumulator Accumulator, int ShiftBits = 0)
    : UnitSpec
{
    /// <inheritdoc/>
    public override UnitKind Kind => Variant switch
    {
        MacVariant.PreShiftedBias => UnitKind.PsbMac,
        MacVariant.Integer => UnitKind.IntMac,
        _ => UnitKind.FpMac,
    };

    /// <inheritdoc/>
    public override (string A, string B) FormatNames => (FormatA.Name, FormatB.Name);

    /// <summary>The multiplier whose exact product feeds the register.</summary>
    public MultiplierSpec Multiplier => new(FormatA, FormatB);

    /// <summary>
    /// psb_mac's default shift width: format A's exponent bits (at least 1), so the offsets span LLM-FP4's 0..2^E − 1.
    /// </summary>
    public static int DefaultShiftBits(FormatInfo formatA) => Math.Max(1, formatA.ExponentBits);

    /// <inheritdoc/>
    public override IRtlUnit Create() => new FpMacUnit(this);
}

/// <summary>An <c>mx_dot</c>: one block of <paramref name="FormatA"/> against one block of <paramref name="FormatB"/>.</summary>
public sealed record MxDotSpec(BlockFormat FormatA, BlockFormat FormatB) : UnitSpec
{
    /// <inheritdoc/>
    public override UnitKind Kind => UnitKind.MxDot;

    /// <inheritdoc/>
    public override (string A, string B) FormatNames => (FormatA.Name, FormatB.Name);

    /// <inheritdoc/>
    public override IRtlUnit Create() => new MxDotUnit(this);
}
