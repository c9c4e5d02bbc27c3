using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;
using Xunit.Abstractions;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// <see cref="FastBlockQuantizer"/> against <see cref="BlockQuantizer.QuantizeBlocks"/>, code for code: every MX format ×
/// scale rule × NaN policy × deterministic element mode on <see cref="BlockInputs"/> tensors (ordinary blocks, which
/// take the vector path, including values the scaling takes below 2^−126, and every kind the reference must take: Inf,
/// NaN, float32 subnormals); a tensor long enough to split over threads; the formats and modes left to the reference.
/// </summary>
public sealed class FastBlockQuantizerTests(ITestOutputHelper output)
{
    private static readonly RoundingMode[] Deterministic = [RoundingMode.Rne, RoundingMode.Rna, RoundingMode.Rtz, RoundingMode.Rup, RoundingMode.Rdn];

    public static TheoryData<string> Formats => new(KnownBlockFormats.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Matches_the_reference_for_every_rule_policy_and_mode(string name)
    {
        BlockFormat format = KnownBlockFormats.Parse(name);
        int variant = 0;
        long vectorBlocks = 0, referenceBlocks = 0;
        foreach (ScaleRule rule in Enum.GetValues<ScaleRule>())
            foreach (BlockNaNPolicy policy in Enum.GetValues<BlockNaNPolicy>())
                foreach (RoundingMode mode in Deterministic)
                {
                    var options = new BlockQuantizeOptions(rule, mode, policy, ScaleRounding: Deterministic[variant % 5]);
                    // Under FP4SIM_ISA=scalar every block goes to the reference.
                    Assert.Equal(InstructionSets.Avx2Allowed, FastBlockQuantizer.Supports(format, options));
                    float[] values = BlockInputs.Values(format, 1024, seed: 300 + variant, withSpecials: variant % 2 == 0, narrow: variant % 3 != 0);
                    variant++;
                    AssertSame($"{name} {rule} {policy} {RoundingNames.Name(mode)}", format, values, options, threads: 1);
                    for (int b = 0; b < values.Length / format.BlockSize; b++)
                    {
                        bool ordinary = format.HasTensorScale
                            ? values.AsSpan(b * format.BlockSize, format.BlockSize).ToArray().All(float.IsFinite)
                            : FastBlockQuantizer.IsOrdinary(format, values.AsSpan(b * format.BlockSize, format.BlockSize));
                        if (ordinary) vectorBlocks++; else referenceBlocks++;
                    }
                }
        Assert.True(vectorBlocks > referenceBlocks && referenceBlocks > 100, $"{vectorBlocks} vector, {referenceBlocks} reference blocks");
        output.WriteLine($"{name}: {variant} cases, {vectorBlocks} blocks by the vector path, {referenceBlocks} by the reference, all equal");
    }

    [Theory]
    [InlineData("mxfp4", 0)]
    [InlineData("mxfp8_e4m3", 2)]
    [InlineData("mxint8", 3)]
    public void A_long_tensor_split_over_threads_matches_the_reference(string name, int threads)
    {
        BlockFormat format = KnownBlockFormats.Parse(name);
        float[] values = BlockInputs.Values(format, 1 << 15, seed: 9, withSpecials: true, narrow: true);
        AssertSame($"{name} threads {threads}", format, values, new BlockQuantizeOptions(ScaleRule.Rceil, RoundingMode.Rne), threads);
    }

    [Fact]
    public void Nvfp4_split_over_two_threads_with_an_odd_share_matches_the_reference()
    {
        // 32770 blocks over 2 workers: shares of 16385 blocks, so the first worker's last block is a tail block of 16
        // elements (after the last whole group of 32), handed to the reference in mid-tensor.
        BlockFormat format = KnownBlockFormats.NvFp4;
        float[] values = BlockInputs.Values(format, 32770, seed: 13, withSpecials: true, narrow: true);
        AssertSame("nvfp4 threads 2", format, values, new BlockQuantizeOptions(), threads: 2);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(0f)]
    [InlineData(-1f)]
    public void Nvfp4_with_a_tensor_scale_that_is_not_positive_and_finite_does_what_the_reference_does(float tensorScale)
    {
        BlockFormat format = KnownBlockFormats.NvFp4;
        float[] values = BlockInputs.Values(format, 64, seed: 3, withSpecials: true, narrow: true);
        Exception? expected = Record.Exception(() => BlockQuantizer.QuantizeBlocks(format, values, tensorScale, new BlockQuantizeOptions(), 0,
            new uint[64], new byte[values.Length]));
        if (expected != null)
        {
            Exception? actual = Record.Exception(() => FastBlockQuantizer.QuantizeBlocks(format, values, tensorScale, new BlockQuantizeOptions(),
                0, new uint[64], new byte[values.Length]));
            Assert.Equal(expected.GetType(), actual?.GetType());
            return;
        }
        AssertSame($"nvfp4 T={tensorScale}", format, values, new BlockQuantizeOptions(), threads: 1, tensorScale);
    }

    [Theory]
    [InlineData("mxfp4")]
    [InlineData("mxint8")]
    [InlineData("nvfp4")]
    public void A_block_count_off_the_groups_of_eight_matches_the_reference(string name)
    {
        // 1037 blocks: full chunks, then a last chunk of one group of eight scanned together and five scanned one by one.
        BlockFormat format = KnownBlockFormats.Parse(name);
        float[] values = BlockInputs.Values(format, 1037, seed: 21, withSpecials: true, narrow: true);
        AssertSame($"{name} 1037 blocks", format, values, new BlockQuantizeOptions(ScaleRule.Ocp, RoundingMode.Rne), threads: 1);
    }

    [Theory]
    [InlineData("nvfp4", 0)]
    [InlineData("nvfp4", 1)]
    public void Nvfp4_blocks_far_below_the_tensor_amax_and_at_its_top_match_the_reference(string name, int threads)
    {
        // Blocks at binades spread over 40: many block scales round into E4M3's subnormals or to zero, others saturate.
        BlockFormat format = KnownBlockFormats.Parse(name);
        var random = new Random(5);
        float[] values = new float[16 * 20000];
        for (int b = 0; b < values.Length / 16; b++)
        {
            int binade = random.Next(-30, 10);
            for (int i = 0; i < 16; i++) values[b * 16 + i] = (float)Math.ScaleB(BlockInputs.Gaussian(random), binade);
        }
        foreach (RoundingMode mode in Deterministic)
            AssertSame($"{name} {RoundingNames.Name(mode)}", format, values,
                new BlockQuantizeOptions(ElementRounding: mode, ScaleRounding: mode), threads);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.0078125f)]
    [InlineData(1.3f)]
    [InlineData(0.000731f)]
    [InlineData(37.77f)]
    public void Nvfp4_quotients_on_and_beside_every_grid_point_and_midpoint_match_the_reference(float tensorScale)
    {
        // For each E4M3 block scale s, elements at x = RN32(P · s · T) and its four nearest float32 neighbours, for every
        // E2M1 grid point and midpoint P: quotients on a point (T a power of two) or a hair beside it, where a wrong
        // remainder sign or a lost sticky bit changes the code. Element 0 (6 · s · T) makes the block scale s.
        BlockFormat format = KnownBlockFormats.NvFp4;
        double[] points = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6];
        var values = new List<float>();
        float[] scaleValues = Enumerable.Range(1, 126).Select(c => (float)Fp4Sim.Numerics.Codec.Decoder.Decode(format.Scale, (uint)c)).ToArray();
        var block = new List<float>();
        foreach (float s in scaleValues)
        {
            double unit = (double)s * tensorScale;
            foreach (double point in points)
                for (int step = -2; step <= 2; step++)
                    for (int sign = 0; sign < 2; sign++)
                    {
                        if (block.Count == 0) block.Add((float)(6 * unit));
                        float x = StepFloat((float)(point * unit), step);
                        block.Add(sign == 0 ? x : -x);
                        if (block.Count == 16)
                        {
                            values.AddRange(block);
                            block.Clear();
                        }
                    }
        }
        foreach (RoundingMode mode in Deterministic)
            AssertSame($"nvfp4 T={tensorScale} {RoundingNames.Name(mode)}", format, values.ToArray(),
                new BlockQuantizeOptions(ElementRounding: mode, ScaleRounding: RoundingMode.Rne), threads: 1, tensorScale);
    }

    [Theory]
    [InlineData(false, 1f, 9, -150, -100)]
    [InlineData(false, 1.5e-38f, 127, 100, 128)]
    [InlineData(false, 3e-39f, 127, 110, 128)]
    [InlineData(true, 1f, 127, -150, -100)]
    [InlineData(true, 1f, 127, -135, -120)]
    public void Two_level_quotients_at_the_ends_of_the_float32_range_match_the_reference(bool e8m0Elements, float tensorScale, int amaxBinade,
        int lowBinade, int highBinade)
    {
        // Blocks whose amax alone fixes the scale, the rest spread over binades where the quotients cross 2^−126 (staged
        // as ±2^−126 when below it) or 2^127 (beyond float32, the block scale saturated at E4M3's 448): outside the float32
        // product's range, so those lanes take the exact path. E2M1 rounds every quotient that small alike; E8M0 elements
        // (a two-level format of our own, least value 2^−127) tell them apart.
        BlockFormat format = e8m0Elements
            ? new BlockFormat("nv_e8m0", KnownFormats.E8M0, 16, KnownFormats.E4M3, HasTensorScale: true)
            : KnownBlockFormats.NvFp4;
        var random = new Random(lowBinade + highBinade);
        float[] values = new float[16 * 4000];
        for (int b = 0; b < values.Length / 16; b++)
        {
            values[b * 16] = (float)Math.ScaleB(1 + random.NextDouble() * 0.99, amaxBinade) * (random.Next(2) == 0 ? 1 : -1);
            for (int i = 1; i < 16; i++)
            {
                double x = Math.ScaleB(1 + random.NextDouble(), random.Next(lowBinade, highBinade));
                if (i % 5 == 0) x = Math.ScaleB(1, random.Next(lowBinade, highBinade)); // exact powers of two
                values[b * 16 + i] = (float)(random.Next(2) == 0 ? x : -x);
            }
        }
        // Staging a tiny quotient as a tiny value of its sign is exact only for formats whose least value is far above it.
        Assert.Equal(!e8m0Elements && InstructionSets.Avx2Allowed, FastBlockQuantizer.Supports(format, new BlockQuantizeOptions()));
        foreach (RoundingMode mode in Deterministic)
            AssertSame($"{format.Name} T={tensorScale} {RoundingNames.Name(mode)}", format, values,
                new BlockQuantizeOptions(ElementRounding: mode, ScaleRounding: mode), threads: 1, tensorScale);
    }

    [Fact]
    public void The_documented_two_level_example_holds()
    {
        // docs/semantics.md §6, two-level quotients: d = T = fl32(1.3), block scale 1.0 (0x38); 0.9 · T is staged from
        // the float32 product and rounds up to 1.0, 0.75 · T is an exact tie found by the FMA remainder, even code 0x2.
        float t = 1.3f;
        float[] block = new float[16];
        block[0] = 6 * t;
        block[1] = BitConverter.UInt32BitsToSingle(0x3F95C28F);
        block[2] = BitConverter.UInt32BitsToSingle(0x3F799999);
        uint[] scales = new uint[1];
        byte[] codes = new byte[16];
        FastBlockQuantizer.QuantizeBlocks(KnownBlockFormats.NvFp4, block, t, new BlockQuantizeOptions(), 0, scales, codes);
        Assert.Equal((0x38u, (byte)0x2, (byte)0x2), (scales[0], codes[1], codes[2]));
        AssertSame("documented example", KnownBlockFormats.NvFp4, block, new BlockQuantizeOptions(), 1, t);
    }

    private static float StepFloat(float x, int steps)
    {
        for (; steps > 0; steps--) x = MathF.BitIncrement(x);
        for (; steps < 0; steps++) x = MathF.BitDecrement(x);
        return x;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1 << 19, 0)]
    [InlineData((1 << 19) + 13, 2)]
    public void Finite_amax_matches_the_reference(int count, int threads)
    {
        float[] values = BlockInputs.Values(KnownBlockFormats.NvFp4, (count + 15) / 16, seed: count, withSpecials: true, narrow: false)[..count];
        Assert.Equal(BlockQuantizer.FiniteAmax(values), FastBlockQuantizer.FiniteAmax(values, threads));
        values.AsSpan().Fill(float.NaN);
        Assert.Equal(0, FastBlockQuantizer.FiniteAmax(values, threads));
    }

    [Fact]
    public void Stochastic_rounding_and_peer_conventions_go_to_the_reference()
    {
        Assert.False(FastBlockQuantizer.Supports(KnownBlockFormats.NvFp4, new BlockQuantizeOptions(ScaleRounding: RoundingMode.Sr)));
        Assert.False(FastBlockQuantizer.Supports(KnownBlockFormats.MxFp4, new BlockQuantizeOptions(ElementRounding: RoundingMode.Sr)));
        Assert.False(FastBlockQuantizer.Supports(KnownBlockFormats.MxInt8, new BlockQuantizeOptions(Convention: CastConvention.Microxcaling)));
        float[] values = BlockInputs.Values(KnownBlockFormats.MxFp4, 256, seed: 4, withSpecials: true, narrow: true);
        AssertSame("mxfp4 sr", KnownBlockFormats.MxFp4, values, new BlockQuantizeOptions(ElementRounding: RoundingMode.Sr, Seed: 3), 1);
    }

    private static void AssertSame(string what, BlockFormat format, float[] values, BlockQuantizeOptions options, int threads,
        float? givenTensorScale = null)
    {
        int blocks = values.Length / format.BlockSize;
        uint[] expectedScales = new uint[blocks], actualScales = new uint[blocks];
        byte[] expected = new byte[values.Length], actual = new byte[values.Length];
        float tensorScale = givenTensorScale ?? (format.HasTensorScale ? BlockQuantizer.TensorScale(format, values) : 1f);
        BlockQuantizer.QuantizeBlocks(format, values, tensorScale, options, 0, expectedScales, expected);
        FastBlockQuantizer.QuantizeBlocks(format, values, tensorScale, options, 0, actualScales, actual, threads);
        for (int b = 0; b < blocks; b++)
            Assert.True(expectedScales[b] == actualScales[b], $"{what}: block {b} scale 0x{expectedScales[b]:X2}, fast 0x{actualScales[b]:X2}");
        for (int i = 0; i < values.Length; i++)
            Assert.True(expected[i] == actual[i],
                $"{what}: element {i} (0x{BitConverter.SingleToUInt32Bits(values[i]):X8}) code 0x{expected[i]:X2}, fast 0x{actual[i]:X2}");
    }
}
