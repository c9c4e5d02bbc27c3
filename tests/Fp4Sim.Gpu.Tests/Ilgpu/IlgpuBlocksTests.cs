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
                    float[] values = BlockInputs(format, BlocksPerCase, seed: 100 + variant++, withSpecials: variant % 4 != 0,
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
        e = Assert.Throws<ArgumentException>(() => fixture.Blocks.Quantize(KnownBlockFormats.NvFp4, new float[20], new BlockQuantizeOptions(), out _));
        Assert.Contains("whole number", e.Message);
    }

    /// <summary>
    /// Per block one recipe: a Gaussian at a random binade, grid points and midpoints, raw bits, or zeros; specials
    /// sprinkled. <paramref name="narrow"/> keeps the binades within a few of each other, as in real tensors (so that
    /// an NVFP4 tensor scale leaves most blocks far from zero); otherwise they span beyond E8M0's range.
    /// </summary>
    internal static float[] BlockInputs(BlockFormat format, int blocks, int seed, bool withSpecials, bool narrow)
    {
        var random = new Random(seed);
        var values = new float[blocks * format.BlockSize];
        uint[] raw = CastInputs.RandomBits(format.Element, seed, values.Length);
        for (int b = 0; b < blocks; b++)
        {
            Span<float> block = values.AsSpan(b * format.BlockSize, format.BlockSize);
            int recipe = random.Next(6);
            int binade = narrow ? random.Next(-6, 6) : random.Next(-160, 140);
            for (int i = 0; i < block.Length; i++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                block[i] = recipe switch
                {
                    0 => (float)Math.ScaleB(gaussian, binade),
                    1 => (float)Math.ScaleB(Decoder.Decode(format.Element, (uint)random.Next((int)format.Element.CodeCount)) *
                                            (random.Next(2) == 0 ? 1 : 1.25), binade / 8),
                    2 => BitConverter.UInt32BitsToSingle(raw[b * format.BlockSize + i]),
                    3 => 0f,
                    4 => (float)Math.ScaleB(gaussian, -140 + random.Next(16)), // float32 subnormals
                    _ => (float)(gaussian * 3),
                };
                if (!float.IsFinite(block[i]) && recipe != 2) block[i] = 0;
            }
            if (withSpecials && random.Next(8) == 0)
            {
                float[] specials = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.UInt32BitsToSingle(0xFFA00001)];
                block[random.Next(block.Length)] = specials[random.Next(specials.Length)];
            }
            if (!withSpecials)
                for (int i = 0; i < block.Length; i++) if (!float.IsFinite(block[i])) block[i] = 1;
        }
        return values;
    }

    private static void AssertSame(string what, uint[] expected, uint[] actual, float[] values, int valuesPerItem)
    {
        Assert.Equal(expected.Length, actual.Length);
        uint[] inputs = Enumerable.Range(0, expected.Length).Select(i => BitConverter.SingleToUInt32Bits(values[i * valuesPerItem])).ToArray();
        var (count, message) = IlgpuCpuFixture.Compare(what, inputs, expected, actual);
        Assert.True(count == 0, message);
    }
}
