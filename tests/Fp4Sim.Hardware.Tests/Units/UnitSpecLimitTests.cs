using Fp4Sim.Hardware;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware.Tests;

/// <summary>
/// A MAC unit's accumulator is range-checked when the unit is parsed: first the numeric model's limits (a
/// <see cref="FormatException"/> naming them), then the RTL's tighter ones (an <see cref="ArgumentException"/> naming
/// the range for these operand formats).
/// </summary>
public class UnitSpecLimitTests
{
    [Theory]
    [InlineData("fp_mac", "e2m1", "fixed:16.2147483647", "accumulator 'fixed:16.2147483647': fraction bits must be -4096..4096")]
    [InlineData("fp_mac", "e2m1", "fixed:64.2000000000", "accumulator 'fixed:64.2000000000': fraction bits must be -4096..4096")]
    [InlineData("psb_mac", "e2m1", "fixed:16.-99999999999", "accumulator 'fixed:16.-99999999999': fraction bits must be -4096..4096")]
    [InlineData("int_mac", "int8", "fixed:4096.0", "accumulator 'fixed:4096.0': width must be 2..128 bits")]
    public void The_numeric_limits_come_first(string kind, string formats, string acc, string message)
    {
        var e = Assert.Throws<FormatException>(() => UnitSpecParser.Parse(kind, formats, acc));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("fp_mac", "e2m1", "fixed:16.-6", "accumulator fixed:16.-6 is too coarse for e2m1 x e2m1 products: one step, 2^6, " +
        "exceeds the largest product (36), so every product would land on 0 or ±1 step; the RTL takes fraction bits -5 or more for these formats")]
    [InlineData("fp_mac", "e4m3", "fixed:32.-4096", "accumulator fixed:32.-4096 is too coarse for e4m3 x e4m3 products: one step, 2^4096")]
    [InlineData("int_mac", "int8", "fixed:16.-15", "accumulator fixed:16.-15 is too coarse for int8 x int8 products")]
    [InlineData("psb_mac", "e2m1", "fixed:24.-6", "accumulator fixed:24.-6 is too coarse")]
    [InlineData("fp_mac", "e2m1", "fixed:128.200", "accumulator fixed:128.200 is too narrow for e2m1 x e2m1 products: the largest product " +
        "is 57849769593323649919510635324281853690799307776180542070849536 steps of 2^-200, which needs 207 bits " +
        "(more than the 128 a register can have: use fewer fraction bits)")]
    [InlineData("fp_mac", "e2m1", "fixed:16.4096", "accumulator fixed:16.4096 is too narrow")]
    [InlineData("fp_mac", "e2m1", "fixed:128.122", "accumulator fixed:128.122 is too narrow for e2m1 x e2m1 products")]
    public void The_rtl_takes_a_narrower_range_and_says_which(string kind, string formats, string acc, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => UnitSpecParser.Parse(kind, formats, acc));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("fp_mac", "e2m1", "fixed:16.-5")]
    [InlineData("int_mac", "int8", "fixed:16.-14")]
    [InlineData("fp_mac", "e2m1", "fixed:128.121")]
    public void The_rtl_limits_themselves_build(string kind, string formats, string acc)
    {
        var unit = (FpMacUnit)UnitSpecParser.Parse(kind, formats, acc).Create();
        Assert.NotEmpty(unit.Generate());
        VectorSet vectors = unit.GenerateVectors(50, 1);
        Assert.True(vectors.Count > 50);
        Assert.True(unit.EstimateCost().TotalGe > 0);
    }

    [Fact]
    public void A_coarse_register_is_refused_however_it_is_built()
    {
        var spec = new MacSpec(MacVariant.Float, Numerics.Formats.FormatSpec.Parse("e2m1"), Numerics.Formats.FormatSpec.Parse("e2m1"),
            new FixedPointAccumulator(16, -6));
        Assert.Throws<ArgumentException>(spec.Create);
    }
}
