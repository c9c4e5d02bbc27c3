using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Inference;

namespace Fp4Sim.Quantization.Tests.Inference;

/// <summary>The worked example of docs/mac-inference.md, register by register.</summary>
public sealed class WorkedExampleTests
{
    private static readonly FormatInfo E2M1 = PreShiftedBias.BiasFree(2, 1);
    private static readonly uint[] Activations = [0x5, 0x3, 0xA], Weights = [0x2, 0x7, 0x4];
    private static readonly int[] Offsets = [0, 2, 1];

    [Theory]
    [InlineData("exact", 17.0)]
    [InlineData("fixed:12.grid", 17.0)]
    [InlineData("fixed:8.grid", 17.0)]
    [InlineData("fixed:7.grid", 11.75)]
    [InlineData("fixed:7.grid:wrap", -15.0)]
    [InlineData("fixed:8.top", 16.0)]
    public void Each_register_gives_the_documented_sum(string accumulator, double expected)
    {
        (int Width, int FractionBits) aligned = ExactAccumulator.RegisterFor(E2M1, E2M1, 3);
        Assert.Equal((10, 0), aligned);
        Accumulator register = MacAccumulator.Parse(accumulator).For((aligned.Width + 2, aligned.FractionBits + 2)); // max shift 2
        MacResult result = PreShiftedBias.ShiftInMac(E2M1, Activations, Offsets, E2M1, Weights, register);
        Assert.Equal(expected, result.Value.ToDouble());
    }

    [Fact]
    public void Form_b_folds_the_weights_into_e3m1_with_the_same_products()
    {
        FormatInfo folded = PreShiftedBias.ExactFoldFormat(E2M1, 2);
        Assert.Equal(3, folded.ExponentBits);
        Assert.Equal(1, folded.MantissaBits);
        uint[] codes = PreShiftedBias.FoldIntoFormat(E2M1, Weights, Offsets, folded, out int inexact);
        Assert.Equal(0, inexact);
        Assert.Equal(17.0, PreShiftedBias.Folded(E2M1, Activations, [folded, folded, folded], codes, ExactAccumulator.Fp32).Value.ToDouble());
    }
}
