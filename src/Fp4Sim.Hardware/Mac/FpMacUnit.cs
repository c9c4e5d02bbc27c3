using System.Numerics;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>The accumulator state of a MAC unit: the W-bit word (as a signed integer of grid steps) and the sticky flag.</summary>
/// <param name="Acc">The register, in steps of 2^−F.</param>
/// <param name="Invalid">A NaN or infinite product has been skipped since the last clear.</param>
public readonly record struct MacState(BigInteger Acc, bool Invalid);

/// <summary>
/// The registered MAC operators <c>fp_mac</c>, <c>psb_mac</c> and <c>int_mac</c> (<see cref="MacVariant"/>): an exact
/// product (optionally lowered by a per-channel shift) feeding a fixed-point register with the semantics of
/// <see cref="FixedPointAccumulator"/> (docs/semantics.md §10). Each valid cycle the term is put on the 2^−F grid
/// (truncate or round-nearest-even) and added to the register (or, with <c>clear</c>, to <c>acc_init</c>: a new dot
/// product starting from C), saturating or wrapping; NaN/∞ products are skipped and set the sticky <c>invalid</c>.
/// Supported only when the register holds every single product on its grid without overflow (otherwise one product
/// alone could already saturate or wrap) and when its grid step is at most the largest product (otherwise every product
/// would truncate to 0 or −1): no configuration meant for a dot product wants either. So the RTL takes a narrower range
/// of fraction bits than <see cref="FixedPointAccumulator"/> (±<see cref="FixedPointAccumulator.MaxFractionBits"/>):
/// from −⌊log2 of the largest product⌋ up to what the width holds.
/// </summary>
public sealed partial record FpMacUnit : IRtlUnit
{
    /// <summary>The widest per-channel shift input of a <c>psb_mac</c> (offsets 0..31).</summary>
    public const int MaxShiftBits = 5;

    /// <summary>Builds the unit; throws <see cref="ArgumentException"/> for unsupported combinations.</summary>
    public FpMacUnit(MacSpec spec)
    {
        Spec = spec;
        FpMulUnit multiplier = Multiplier = new FpMulUnit(spec.Multiplier);
        FixedPointAccumulator accumulator = spec.Accumulator;
        MacVariant variant = spec.Variant;
        int shiftBits = spec.ShiftBits;
        if (variant == MacVariant.Integer && !(multiplier.FormatA.IsInteger && multiplier.FormatB.IsInteger))
            throw new ArgumentException(
                $"unit int_mac takes integer formats (int4, int8, int<N>), not {multiplier.FormatA.Name} x {multiplier.FormatB.Name}");
        if ((variant == MacVariant.PreShiftedBias) != (shiftBits != 0))
            throw new ArgumentException(variant == MacVariant.PreShiftedBias
                ? $"unit psb_mac needs a shift input of 1..{MaxShiftBits} bits"
                : $"unit {Kind} takes no shift input (that is psb_mac)");
        if (shiftBits is < 0 or > MaxShiftBits)
            throw new ArgumentException($"shift bits must be 1..{MaxShiftBits} (channel offsets 0..{(1 << MaxShiftBits) - 1}), not {shiftBits}");
        string products = $"{multiplier.FormatA.Name} x {multiplier.FormatB.Name} products";
        ExactValue largestProduct = ExactValue.Of(multiplier.MaxProductSteps, -multiplier.ProductFractionBits);
        int coarsest = -(int)largestProduct.Log2; // the grid 2^-F may not be coarser than the largest product's top bit
        if (accumulator.FractionBits < coarsest)
            throw new ArgumentException(
                $"accumulator {accumulator.Name} is too coarse for {products}: one step, 2^{-accumulator.FractionBits}, exceeds the " +
                $"largest product ({ExactDecimal.Format(largestProduct)}), so every product would land on 0 or ±1 step; the RTL takes " +
                $"fraction bits {coarsest} or more for these formats");
        BigInteger largest = accumulator.OnGrid(largestProduct);
        BigInteger smallest = accumulator.OnGrid(largestProduct.Negate());
        BigInteger max = (BigInteger.One << (accumulator.Width - 1)) - 1;
        if (largest > max || smallest < -max - 1)
        {
            int needed = Math.Max(Verilog.UnsignedWidth(largest), Verilog.UnsignedWidth(-smallest - 1)) + 1;
            string fix = needed <= FixedPointAccumulator.MaxWidth
                ? $"use fixed:{needed}.{accumulator.FractionBits} or wider"
                : $"more than the {FixedPointAccumulator.MaxWidth} a register can have: use fewer fraction bits";
            throw new ArgumentException(
                $"accumulator {accumulator.Name} is too narrow for {products}: the largest product is {largest} steps of " +
                $"2^-{accumulator.FractionBits}, which needs {needed} bits ({fix})");
        }
    }

    /// <summary>The description this unit was built from.</summary>
    public MacSpec Spec { get; }

    UnitSpec IRtlUnit.Spec => Spec;

    /// <summary>The multiplier (for <see cref="MacVariant.Integer"/> only its widths and emulation are used).</summary>
    public FpMulUnit Multiplier { get; }

    /// <summary>The accumulator model the register implements.</summary>
    public FixedPointAccumulator Accumulator => Spec.Accumulator;

    /// <summary>What feeds the register.</summary>
    public MacVariant Variant => Spec.Variant;

    /// <summary>Width of the <c>shift</c> input (psb_mac), 0 otherwise.</summary>
    public int ShiftBits => Spec.ShiftBits;

    /// <summary>The largest channel shift, 2^<see cref="ShiftBits"/> − 1 (0 without a shift input).</summary>
    public int MaxShift => (1 << ShiftBits) - 1;

    /// <summary>Register width W.</summary>
    public int Width => Accumulator.Width;

    /// <summary>The unit kind: <c>fp_mac</c>, <c>psb_mac</c> or <c>int_mac</c>.</summary>
    public string Kind => Spec.Kind.Name();

    /// <summary>Whether the unit has the sticky <c>invalid</c> output (every variant whose operands can be NaN or ∞).</summary>
    public bool HasInvalid => Variant != MacVariant.Integer;

    /// <summary>The Verilog module name, e.g. <c>fp_mac_e2m1_e2m1_fixed16_2</c> or <c>psb_mac_e2m1_e2m1_s2_fixed20_5</c>.</summary>
    public string ModuleName => $"{Kind}_{Verilog.Identifier(Multiplier.FormatA.Name)}_{Verilog.Identifier(Multiplier.FormatB.Name)}" +
        (ShiftBits > 0 ? $"_s{ShiftBits}" : "") + $"_fixed{Width}_{FractionName}" +
        (Accumulator.Rounding == FixedRounding.Nearest ? "_round" : "") + (Accumulator.Overflow == FixedOverflow.Wrap ? "_wrap" : "");

    private string FractionName => Accumulator.FractionBits < 0 ? $"m{-Accumulator.FractionBits}" : Verilog.Dec(Accumulator.FractionBits);

    /// <summary>
    /// One clock edge with <c>in_valid</c> high, computed by the MAC engine: the accumulator summing the running state
    /// (or <paramref name="init"/> when <paramref name="clear"/>) and the term — the exact product, lowered by
    /// 2^−<paramref name="shift"/> in a psb_mac (<see cref="PreShiftedBias.ShiftedProduct"/>) — in that order. The state
    /// is a value of the register, so it enters unchanged and only the term is rounded and range-limited.
    /// </summary>
    public MacState Step(MacState state, bool clear, BigInteger init, uint a, uint b, int shift = 0)
    {
        if (shift < 0 || shift > MaxShift) throw new ArgumentOutOfRangeException(nameof(shift), $"{ModuleName} takes shifts 0..{MaxShift}");
        MacState start = clear ? new MacState(init, false) : state;
        MacTerm c = MacTerm.Of(ExactValue.Of(start.Acc, -Accumulator.FractionBits));
        MacTerm term = PreShiftedBias.ShiftedProduct(Multiplier.FormatA, a, shift, Multiplier.FormatB, b);
        MacResult r = Accumulator.Accumulate([c, term]);
        return new MacState(FpMulUnit.Signed(r.Bits, Width), start.Invalid | r.Invalid);
    }

    /// <summary>The Verilog: the multiplier's file (not for int_mac, whose multiplier is inline), then the MAC's.</summary>
    public IReadOnlyList<(string File, string Text)> Generate() => Variant == MacVariant.Integer
        ? [(ModuleName + ".v", GenerateModule())]
        : [(Multiplier.ModuleName + ".v", Multiplier.GenerateModule()), (ModuleName + ".v", GenerateModule())];
}
