using Fp4Sim.Hardware;
using Fp4Sim.Hardware.Cost;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Xunit;

namespace Fp4Sim.Hardware.Tests;

public class UnitSpecTests
{
    /// <summary>The CLI spelling of a description, as a user would type it.</summary>
    private static (string Kind, string Formats, string? Acc, int? Shift) Spelling(UnitSpec spec) => spec switch
    {
        MacSpec m => (m.Kind.Name(), $"{m.FormatA.Name},{m.FormatB.Name}",
            $"fixed:{m.Accumulator.Width}.{m.Accumulator.FractionBits}" + (m.Accumulator.Rounding == FixedRounding.Nearest ? ":round" : "")
            + (m.Accumulator.Overflow == FixedOverflow.Wrap ? ":wrap" : ""), m.ShiftBits == 0 ? null : m.ShiftBits),
        _ => (spec.Kind.Name(), $"{spec.FormatNames.A},{spec.FormatNames.B}", null, null),
    };

    [Fact]
    public void EveryDescriptionOfTheNamedSets_ParsesBackFromItsSpelling()
    {
        foreach (CostSet set in Enum.GetValues<CostSet>())
            foreach (UnitSpec spec in CostSets.Get(set))
            {
                var (kind, formats, acc, shift) = Spelling(spec);
                Assert.Equal(spec, UnitSpecParser.Parse(kind, formats, acc, shift));
            }
    }

    [Fact]
    public void ParsedUnits_CarryTheirDescription_AndTheKindNamesTheModule()
    {
        foreach (UnitSpec spec in DefaultUnits.Specs)
        {
            IRtlUnit unit = spec.Create();
            Assert.Same(spec, unit.Spec);
            Assert.StartsWith(spec.Kind.Name() + "_", unit.ModuleName);
        }
    }

    [Fact]
    public void PsbMac_DefaultsItsShiftWidthToTheActivationExponentBits()
    {
        var spec = Assert.IsType<MacSpec>(UnitSpecParser.Parse("psb_mac", "e3m2,e2m1", "fixed:40.8"));
        Assert.Equal(3, spec.ShiftBits);
        Assert.Equal(MacVariant.PreShiftedBias, spec.Variant);
        Assert.Equal(0, Assert.IsType<MacSpec>(UnitSpecParser.Parse("fp_mac", "e3m2", "fixed:40.8")).ShiftBits);
    }

    [Fact]
    public void MxDotConstants_ComeFromTheMxFormatData()
    {
        Assert.Equal(32, MxDotUnit.BlockSize);
        Assert.Equal(8, MxDotUnit.ScaleCodeBits);
        Assert.Equal(0xFFu, MxDotUnit.NaNScale);
        Assert.Equal(10, MxDotUnit.ScaleWidth); // −266 … 254: two MXINT8 operands at the low end
        Assert.All(KnownBlockFormats.All.Where(f => f.Scale == KnownFormats.E8M0), f => Assert.Equal(MxDotUnit.BlockSize, f.BlockSize));
        Assert.Equal(448.0 * 6.0, KnownBlockFormats.NvFp4.TensorScaleRange);
    }

    [Fact]
    public void CostSetNames_ParseToTheirSets_AndAnUnknownNameIsRefused()
    {
        Assert.Equal(CostSet.Table6, CostSets.Parse("table6"));
        Assert.Equal(DefaultUnits.Specs, CostSets.Get(CostSets.Parse("default")));
        Assert.Contains("unknown cost set 'x'", Assert.Throws<ArgumentException>(() => CostSets.Parse("x")).Message);
    }
}
