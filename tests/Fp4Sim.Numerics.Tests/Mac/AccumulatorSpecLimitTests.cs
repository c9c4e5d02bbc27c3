using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>
/// A fixed-point accumulator's width and fraction bits are range-checked when it is parsed or built, before anything
/// is sized from them; the message names the allowed range.
/// </summary>
public class AccumulatorSpecLimitTests
{
    [Theory]
    [InlineData("fixed:64.2147483647", "fraction bits must be -4096..4096")]
    [InlineData("fixed:64.2000000000", "fraction bits must be -4096..4096")]
    [InlineData("fixed:64.-2147483648", "fraction bits must be -4096..4096")]
    [InlineData("fixed:64.99999999999999999999999", "fraction bits must be -4096..4096")]
    [InlineData("fixed:64.4097", "fraction bits must be -4096..4096")]
    [InlineData("fixed:64.-4097", "fraction bits must be -4096..4096")]
    [InlineData("fixed:129.0", "width must be 2..128 bits")]
    [InlineData("fixed:1.0", "width must be 2..128 bits")]
    [InlineData("fixed:0.0", "width must be 2..128 bits")]
    [InlineData("fixed:99999999999999999999.2", "width must be 2..128 bits")]
    [InlineData("fixed:2147483648.2:wrap", "width must be 2..128 bits")]
    [InlineData("fixed:-16.2", "expected fixed:<width>.<frac> with integers")]
    [InlineData("fixed:16.+-2", "expected fixed:<width>.<frac> with integers")]
    [InlineData("fixed:16.", "expected fixed:<width>.<frac> with integers")]
    [InlineData("fixed:16.٣", "expected fixed:<width>.<frac> with integers")] // a non-ASCII digit
    public void Out_of_range_specs_name_the_range(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => AccumulatorSpec.Parse(text));
        Assert.Equal($"accumulator '{text}': {message}" + (message.StartsWith("expected", StringComparison.Ordinal) ? ", e.g. fixed:32.16" : ""),
            e.Message);
    }

    [Theory]
    [InlineData("fixed:2.-4096", 2, -4096)]
    [InlineData("fixed:128.4096", 128, 4096)]
    [InlineData("fixed:16.+3", 16, 3)]
    [InlineData("fixed:016.-0", 16, 0)]
    public void The_limits_themselves_are_accepted(string text, int width, int frac)
    {
        var acc = Assert.IsType<FixedPointAccumulator>(AccumulatorSpec.Parse(text));
        Assert.Equal((width, frac), (acc.Width, acc.FractionBits));
    }

    [Fact]
    public void Extreme_grids_sum_the_extreme_products_quickly_and_exactly()
    {
        FormatInfo f = KnownFormats.Fp32;
        uint max = BitConverter.SingleToUInt32Bits(float.MaxValue), tiny = 1; // the smallest subnormal
        var fine = new FixedPointAccumulator(128, FixedPointAccumulator.MaxFractionBits, FixedRounding.Truncate, FixedOverflow.Wrap);
        Assert.Equal(0.0, fine.Dot(f, [max, tiny], f, [max, tiny]).Value.ToDouble()); // 2^4096·… and 2^(4096−298) steps: low bits 0
        FormatInfo deep = FormatSpec.Parse("e11m3"); // its smallest subnormal is 2^−1025, a product of two 2^−2050
        MacResult smallest = new FixedPointAccumulator(128, 2100).Dot(deep, [1, 1], deep, [1, 1]);
        Assert.Equal(-2049, (int)smallest.Value.Log2); // two of them, exactly
        var coarse = new FixedPointAccumulator(2, -FixedPointAccumulator.MaxFractionBits);
        MacResult r = coarse.Dot(f, [max, max], f, [max, BitConverter.SingleToUInt32Bits(-float.MaxValue)]);
        Assert.Equal((UInt128)3, r.Bits); // +max² truncates to 0 steps, −max² to −1 step (2^4096)
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(129, 0)]
    [InlineData(16, 4097)]
    [InlineData(16, int.MinValue)]
    public void The_record_refuses_out_of_range_parameters(int width, int frac)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedPointAccumulator(width, frac));
        var valid = new FixedPointAccumulator(16, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => width is 1 or 129 ? valid with { Width = width } : valid with { FractionBits = frac });
    }
}
