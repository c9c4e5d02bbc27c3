using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Quartet;
using FsCheck.Xunit;

namespace Fp4Sim.Training.Tests.Quartet;

[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class QuartetQuantizerTests
{
    private static readonly double[] Midpoints = [0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, 7];

    /// <summary>Groups of every kind: Gaussian at random scales, heavy tails, exact grid ties, zeros, tiny and huge values.</summary>
    internal static IEnumerable<float[]> Groups(ulong seed, int count)
    {
        var rng = new SplitMix64(seed);
        for (int n = 0; n < count; n++) yield return Group(rng, n);
    }

    /// <summary>The <paramref name="n"/>th group of <see cref="Groups"/>: its kind is n mod 7 (and n mod 12 picks a zero or −ε).</summary>
    internal static float[] Group(SplitMix64 rng, int n)
    {
        float scale = MathF.Pow(2, (int)rng.Below(80) - 40);
        float[] g = [.. HadamardTests.Gaussian(rng, 32).Select(v => v * scale)];
        switch (n % 7)
        {
            case 1: g[rng.Below(32)] *= 40; break; // an outlier that QuEST clips
            case 2: // values on the E2M1 midpoints of a power-of-two scale: the ties
                for (int i = 0; i < 32; i++) g[i] = (float)(Midpoints[i % 8] * scale * (i % 3 == 0 ? -1 : 1));
                break;
            case 3: Array.Clear(g); g[5] = n % 12 == 3 ? 0 : -float.Epsilon; break;
            case 4: for (int i = 0; i < 32; i++) g[i] = (i % 2 == 0 ? 1 : -1) * MathF.Pow(2, (int)rng.Below(250) - 125); break;
            case 5: for (int i = 0; i < 32; i++) g[i] = 3.0e38f * (float)((rng.Below(1000) + 1) / 1000.0) * (i % 2 == 0 ? 1 : -1); break;
            case 6: // float32 values whose 3r/2^(E+2) lies within half an ulp of an E2M1 midpoint: the absmax fast path's hard case
                g[0] = 1.5f * scale;
                for (int i = 1; i < 32; i++)
                    g[i] = MathF.BitIncrement((float)(Midpoints[i % 7] / 3 * scale)) is var up && i % 3 == 0 ? up
                        : i % 3 == 1 ? (float)(Midpoints[i % 7] / 3 * scale) : MathF.BitDecrement((float)(Midpoints[i % 7] / 3 * scale));
                break;
        }
        return g;
    }

    [Property(MaxTest = 3_000)]
    public void QuestMatchesTheFloat64Oracle(QuartetInput input)
    {
        float[] g = input.Values;
        QuartetGroup q = QuartetQuantizer.QuantizeGroup(QuartetMethod.Quest, g);
        (int e, byte[] codes, uint mask) = QuartetOracle.Quest(g);
        Assert.Equal((uint)(e + 127), q.Scale);
        Assert.Equal(codes, q.Elements);
        Assert.Equal(mask, q.Mask);
    }

    [Property(MaxTest = 3_000)]
    public void AbsMaxMatchesTheFloat64OracleAndNeverClips(QuartetInput input)
    {
        float[] g = input.Values;
        QuartetGroup q = QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMax, g);
        (int e, byte[] codes) = QuartetOracle.AbsMax(g);
        Assert.Equal((uint)(e + 127), q.Scale);
        Assert.Equal(codes, q.Elements);
        Assert.Equal(uint.MaxValue, q.Mask);
        // The largest element lands in [3, 6]: the 3/4 range leaves the top binade's headroom unused.
        double amax = g.Max(v => Math.Abs((double)v));
        if (amax > Math.ScaleB(1.0, -120)) Assert.InRange(q.Elements.Max(c => Math.Abs(QuartetOracle.E2M1Value(c))), 3, 6);
    }

    [Fact]
    public void WorkedExamples()
    {
        // σ of [1, −1, 1, −1, …] is 1: t = 0.487079… + 1e−8, E = −2, s = 1/4; 1/s = 4 → code 0x6, mask all ones.
        float[] alternating = [.. Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? 1f : -1f)];
        QuartetGroup q = QuartetQuantizer.QuantizeGroup(QuartetMethod.Quest, alternating);
        Assert.Equal(125u, q.Scale);
        Assert.Equal(alternating.Select(v => v > 0 ? (byte)0x6 : (byte)0xE), q.Elements);
        Assert.Equal(uint.MaxValue, q.Mask);
        // One outlier: 31 zeros and 8 → σ = 8·√31/32 = 1.3919…, t = 0.6780…, E = −1, s = 1/2; 8/s = 16 clips to 6, masked.
        var outlier = new float[32];
        outlier[7] = 8;
        q = QuartetQuantizer.QuantizeGroup(QuartetMethod.Quest, outlier);
        Assert.Equal(126u, q.Scale);
        Assert.Equal(0x7, q.Elements[7]);
        Assert.Equal(~(1u << 7), q.Mask);
        // All zeros: σ = 0, t = 1e−8, E = floor(log2 1e−8) = −27.
        Assert.Equal((uint)(127 - 27), QuartetQuantizer.QuantizeGroup(QuartetMethod.Quest, new float[32]).Scale);
        // AbsMax: amax 5 → floor(log2 5) = 2, E = 0 (code 127); 5 → 3·5/4 = 3.75 → 4 (0x6); 1 → 0.75 → tie → 1.0 (0x2, even).
        var g = new float[32];
        g[0] = 5; g[1] = 1; g[2] = -2.5f;
        q = QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMax, g);
        Assert.Equal(127u, q.Scale);
        Assert.Equal(new byte[] { 0x6, 0x2, 0xC }, q.Elements[..3]); // −2.5 → −1.875 → −2 (0xC)
        Assert.Equal(0u, QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMax, new float[32]).Scale);
    }

    [Theory]
    [InlineData(QuartetMethod.Quest)]
    [InlineData(QuartetMethod.AbsMax)]
    [InlineData(QuartetMethod.AbsMaxSr)]
    public void TensorPathEqualsTheGroupReference(QuartetMethod method)
    {
        float[][] groups = [.. Groups(3, 600)];
        int rows = 50, columns = groups.Length / rows * 32;
        float[] m = [.. groups.SelectMany(g => g)];
        QuartetTensor t = QuartetTensor.Quantize(method, m, rows, columns, srSeed: 99);
        for (int g = 0; g < groups.Length; g++)
        {
            QuartetGroup q = QuartetQuantizer.QuantizeGroup(method, groups[g], 99, (ulong)(g * 32));
            Assert.Equal(q.Scale, t.Matrix.Data.Scales[g]);
            Assert.Equal(q.Elements, t.Matrix.Data.Elements.AsSpan(g * 32, 32).ToArray());
            Assert.Equal(q.Mask, t.Masks[g]);
        }
        float[] values = t.Values();
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(QuartetQuantizer.Value(t.Matrix.Data.Scales[i / 32], t.Matrix.Data.Elements[i]), values[i]);
    }

    [Fact]
    public void OcpTensorPathEqualsTheCoreBlockQuantizer()
    {
        float[][] groups = [.. Groups(8, 700)];
        float[] m = [.. groups.SelectMany(g => g)];
        QuartetTensor t = QuartetTensor.QuantizeOcp(m, 70, m.Length / 70);
        QuantizedBlocks reference = BlockQuantizer.Quantize(KnownBlockFormats.MxFp4, m, new BlockQuantizeOptions());
        Assert.Equal(reference.Scales, t.Matrix.Data.Scales);
        Assert.Equal(reference.Elements, t.Matrix.Data.Elements);
        Assert.All(t.Masks, mask => Assert.Equal(uint.MaxValue, mask));
    }

    [Fact]
    public void StochasticRoundingIsUnbiasedAndReproducible()
    {
        float[] g = HadamardTests.Gaussian(new SplitMix64(4), 32);
        int scale = QuartetQuantizer.AbsMaxExponent(g);
        var mean = new double[32];
        const int Draws = 20_000;
        for (ulong s = 0; s < Draws; s++)
        {
            QuartetGroup q = QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMaxSr, g, s);
            for (int i = 0; i < 32; i++) mean[i] += Decoder.Decode(KnownFormats.E2M1, q.Elements[i]) / Draws;
        }
        for (int i = 0; i < 32; i++)
        {
            double target = 3.0 * g[i] / Math.ScaleB(1.0, scale + 2);
            Assert.True(Math.Abs(mean[i] - target) < 0.03, $"element {i}: mean {mean[i]} for {target}");
        }
        Assert.Equal(QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMaxSr, g, 7, 64).Elements,
                     QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMaxSr, g, 7, 64).Elements);
        // Element i uses StochasticBits.For(seed, first + i): the core's sr rounding of the exact value.
        QuartetGroup one = QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMaxSr, g, 7, 64);
        for (int i = 0; i < 32; i++)
        {
            var ctx = new RoundingContext(RoundingMode.Sr, OverflowMode.Saturate, StochasticBits.For(7, 64 + (ulong)i));
            Assert.Equal(Encoder.Encode(KnownFormats.E2M1, 3.0 * g[i] / Math.ScaleB(1.0, scale + 2), ctx), one.Elements[i]);
        }
    }

    [Fact]
    public void NonFiniteValuesAndShortGroupsAreRefused()
    {
        var g = new float[32];
        g[3] = float.NaN;
        Assert.Contains("element 3", Assert.Throws<ArgumentException>(() => QuartetQuantizer.QuantizeGroup(QuartetMethod.Quest, g)).Message);
        g[3] = float.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMax, g));
        Assert.Throws<ArgumentException>(() => QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMax, new float[31]));
        float[] rows = [.. new float[32], .. g];
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => QuartetTensor.Quantize(QuartetMethod.Quest, rows, 2, 32)).Message);
    }
}
