using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Mac;
using static Fp4Sim.Numerics.Formats.KnownFormats;

namespace Fp4Sim.Hardware;

/// <summary>The committed default set (docs/rtl.md): generated/ and golden-vectors/ hold exactly these units.</summary>
public static class DefaultUnits
{
    /// <summary>The set's descriptions, in the order they are written and costed.</summary>
    public static IReadOnlyList<UnitSpec> Specs { get; } =
    [
        new MultiplierSpec(E2M1, E2M1),
        new MultiplierSpec(E2M1, E1M2),
        new MultiplierSpec(E4M3, E4M3),
        new MultiplierSpec(Int4, Int4),
        new MultiplierSpec(Int8, Int8),
        new MacSpec(MacVariant.Float, E2M1, E2M1, new FixedPointAccumulator(16, 2)),
        new MacSpec(MacVariant.Float, E2M1, E2M1, new FixedPointAccumulator(12, 2, FixedRounding.Nearest, FixedOverflow.Wrap)),
        new MacSpec(MacVariant.Float, E2M1, E1M2, new FixedPointAccumulator(16, 2)),
        new MacSpec(MacVariant.Float, E4M3, E4M3, new FixedPointAccumulator(32, 12)),
        new MacSpec(MacVariant.Float, Int8, Int8, new FixedPointAccumulator(24, 0)),
        new MacSpec(MacVariant.PreShiftedBias, E2M1, E2M1, new FixedPointAccumulator(20, 5), ShiftBits: 2),
        new MacSpec(MacVariant.Integer, Int4, Int4, new FixedPointAccumulator(16, 0)),
        new MacSpec(MacVariant.Integer, Int8, Int8, new FixedPointAccumulator(32, 0)),
        new MxDotSpec(KnownBlockFormats.MxFp4, KnownBlockFormats.MxFp4),
        new MxDotSpec(KnownBlockFormats.MxFp8E4M3, KnownBlockFormats.MxFp8E4M3),
    ];

    /// <summary>The set's units.</summary>
    public static IReadOnlyList<IRtlUnit> Create() => Specs.Select(s => s.Create()).ToArray();
}
