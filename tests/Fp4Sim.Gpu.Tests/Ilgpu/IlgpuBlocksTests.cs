using System.Diagnostics;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Rounding;
using Xunit.Abstractions;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>
/// The ILGPU block kernels on the CPU accelerator against <see cref="BlockQuantizer.Quantize"/>: every block format ×
/// scale rule × NaN policy × element rounding mode on blocks built to reach every branch (magnitudes across E8M0's whole
/// range and beyond it, so both clamps bite; float32 subnormals; all-zero blocks; ±Inf and NaNs with payloads; raw
/// random bit patterns; values on and between the element grid's points).
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuBlocksTests(IlgpuCpuFixture fixture, ITestOutputHelper output)
{
    private const int BlocksPerCase = 2048;

    public static TheoryData<string> Formats => new(KnownBlockFormats.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Quantize_matches_the_reference_for_every_rule_policy_and_mode(string name)
    {
        BlockFormat format = KnownBlockFormats.Parse(name);
        var clock = Stopwatch.StartNew();
        long compared = 0;
        int variant = 0;
        foreach (ScaleRule rule in Enum.GetValues<ScaleRule>())
            foreach (BlockNaNPolicy policy in Enum.GetValues<BlockNaNPolicy>())
                foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
                {
                    var options = new BlockQuantizeOptions(rule, mode, policy, ScaleRounding: (RoundingMode)(variant % 5), Seed: 77);
                    float[] values = BlockInputs.Values(format, BlocksPerCase, seed: 100 + variant++, withSpecials: variant % 4 != 0,
                        narrow: variant % 2 == 0);
                    QuantizedBlocks expected = BlockQuantizer.Quantize(format, values, options);
                    QuantizedBlocks actual = fixture.Blocks.Quantize(format, values, options, out _);
                    string what = $"{name} {rule} {policy} {RoundingNames.Name(mode)}";
                    Assert.Equal(expected.TensorScale, actual.TensorScale);
                    AssertSame($"{what} scales", expected.Scales, actual.Scales, values, format.BlockSize);
                    AssertSame($"{what} elements", expected.Elements.Select(e => (uint)e).ToArray(),
                        actual.Elements.Select(e => (uint)e).ToArray(), values, 1);
                    compared += values.Length;
                }
        output.WriteLine($"{name}: {compared} elements in {variant} cases, 0 mismatches, {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Refuses_peer_conventions_and_partial_blocks()
    {
        var e = Assert.Throws<ArgumentException>(() => fixture.Blocks.Quantize(KnownBlockFormats.MxFp4, new float[32],
            new BlockQuantizeOptions(Convention: CastConvention.Microxcaling), out _));
        Assert.Contains("fp4sim convention", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            fixture.Blocks.Quantize(KnownBlockFormats.NvFp4, new float[20], new BlockQuantizeOptions(), out _));
        Assert.Contains("whole number", e.Message);
    }

    private static void AssertSame(string what, uint[] expected, uint[] actual, float[] values, int valuesPerItem)
    {
        Assert.Equal(expected.Length, actual.Length);
        uint[] inputs = Enumerable.Range(0, expected.Length).Select(i => BitConverter.SingleToUInt32Bits(values[i * valuesPerItem])).ToArray();
        var (count, message) = IlgpuCpuFixture.Compare(what, inputs, expected, actual);
        Assert.True(count == 0, message);
    }
}
