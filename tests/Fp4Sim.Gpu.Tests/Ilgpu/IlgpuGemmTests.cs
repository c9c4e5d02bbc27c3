using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Xunit.Abstractions;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>
/// The ILGPU MXFP4 GEMM on the CPU accelerator against <see cref="MxGemmReference.Multiply"/>, bit for bit, with the
/// binary32 and the exact accumulator: realistic operands (no fallback may be needed), scales spread beyond both fast
/// paths' bounds (the kernel must flag those outputs), NaN scales, and ragged shapes.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuGemmTests(IlgpuCpuFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, int, int, int, int, bool> Cases => new()
    {
        { "realistic", 40, 24, 256, Realistic, false },
        { "ragged", 7, 5, 96, Realistic, false },
        { "wide scales", 24, 16, 512, Wide, false },
        { "at the fp32 window's low end", 24, 16, 512, Tiny, false },
        { "NaN scales", 12, 10, 128, Realistic, true },
    };

    private const int Realistic = 0, Wide = 1, Tiny = 2;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_matches_the_reference_bit_for_bit(string name, int m, int n, int k, int spread, bool specials)
    {
        BlockFormat f = KnownBlockFormats.MxFp4;
        var options = new BlockQuantizeOptions();
        MxMatrix a = MxMatrix.Quantize(f, Values(m * k, seed: m, spread, specials), m, k, options);
        MxMatrix b = MxMatrix.Quantize(f, Values(n * k, seed: n + 1000, spread, specials), n, k, options);
        foreach (Accumulator acc in new Accumulator[] { new IeeeAccumulator(KnownFormats.Fp32), ExactAccumulator.Fp32 })
        {
            float[] expected = MxGemmReference.Multiply(a, b, acc);
            float[] actual = fixture.Gemm.Multiply(a, b, acc, out GemmRun run);
            uint[] index = Enumerable.Range(0, expected.Length).Select(i => (uint)i).ToArray();
            var (count, message) = IlgpuCpuFixture.Compare($"{name} {acc.Name}", index,
                expected.Select(BitConverter.SingleToUInt32Bits).ToArray(), actual.Select(BitConverter.SingleToUInt32Bits).ToArray());
            Assert.True(count == 0, message);
            output.WriteLine($"{name} {m}x{n}x{k} {acc.Name}: {expected.Length} outputs equal, {run.Fallbacks} by the host reference");
            if (spread == Realistic && !specials) Assert.Equal(0, run.Fallbacks);
            if (specials) Assert.Contains(actual, float.IsNaN);
            if (specials || (spread != Realistic && acc is IeeeAccumulator))
                Assert.True(run.Fallbacks > 0, $"{name} {acc.Name}: no output was flagged");
            if (spread == Tiny) Assert.True(run.Fallbacks < expected.Length, $"{name} {acc.Name}: every output was flagged");
        }
    }

    [Fact]
    public void A_tie_broken_by_a_far_term_is_left_to_the_reference_by_the_exact_path()
    {
        // Terms 1, 2^-24 and 2^-70: 1 + 2^-24 is a binary32 tie that the last term breaks upward. A binary64 sum drops
        // 2^-70 (span 70 > ExactPathMaxSpan) and would round the tie to even (1); the exact sum rounds to 1 + 2^-23.
        byte one = (byte)Numerics.Codec.Encoder.Encode(KnownFormats.E2M1, 1.0, Numerics.Rounding.RoundingContext.Default);
        var elements = new byte[96];
        elements[0] = elements[32] = elements[64] = one;
        var a = new MxMatrix(new QuantizedBlocks(KnownBlockFormats.MxFp4, [127, 127 - 24, 127 - 70], elements, 1f), 1, 96);
        var b = new MxMatrix(new QuantizedBlocks(KnownBlockFormats.MxFp4, [127, 127, 127], elements, 1f), 1, 96);

        float exact = fixture.Gemm.Multiply(a, b, ExactAccumulator.Fp32, out GemmRun exactRun)[0];
        float fp32 = fixture.Gemm.Multiply(a, b, new IeeeAccumulator(KnownFormats.Fp32), out GemmRun fp32Run)[0];

        Assert.Equal(1 + MathF.Pow(2, -23), exact);
        Assert.Equal(1, exactRun.Fallbacks);
        Assert.Equal(1f, fp32); // binary32 steps: RNE(1 + 2^-24) = 1, then 1 + 2^-70 = 1
        Assert.Equal(0, fp32Run.Fallbacks);
        Assert.Equal(MxGemmReference.Multiply(a, b, ExactAccumulator.Fp32)[0], exact);
        Assert.Equal(MxGemmReference.Multiply(a, b, new IeeeAccumulator(KnownFormats.Fp32))[0], fp32);
    }

    [Fact]
    public void Refuses_other_formats_and_accumulators()
    {
        MxMatrix a = MxMatrix.Quantize(KnownBlockFormats.MxFp4, new float[64], 2, 32, new BlockQuantizeOptions());
        MxMatrix e = MxMatrix.Quantize(KnownBlockFormats.MxFp8E4M3, new float[64], 2, 32, new BlockQuantizeOptions());
        Assert.Contains("mxfp4", Assert.Throws<ArgumentException>(() => fixture.Gemm.Multiply(a, e, ExactAccumulator.Fp32, out _)).Message);
        Assert.Contains("accumulator", Assert.Throws<ArgumentException>(() =>
            fixture.Gemm.Multiply(a, a, new IeeeAccumulator(KnownFormats.Fp16), out _)).Message);
    }

    /// <summary>
    /// Gaussian values, each block at its own binade: near 1 (<see cref="Realistic"/>), across E8M0's range
    /// (<see cref="Wide"/>), or low enough that block terms straddle the binary32 path's lower bound 2^−149 (<see cref="Tiny"/>);
    /// <paramref name="specials"/> puts NaN in some blocks.
    /// </summary>
    private static float[] Values(int count, int seed, int spread, bool specials)
    {
        var random = new Random(seed);
        var values = new float[count];
        int binade = 0;
        for (int i = 0; i < count; i++)
        {
            if (i % 32 == 0) binade = spread switch { Wide => random.Next(-130, 128), Tiny => random.Next(-73, -69), _ => random.Next(-3, 3) };
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = (float)Math.ScaleB(gaussian, binade);
            if (!float.IsFinite(values[i])) values[i] = 0;
            if (specials && random.Next(200) == 0) values[i] = float.NaN;
        }
        return values;
    }
}
