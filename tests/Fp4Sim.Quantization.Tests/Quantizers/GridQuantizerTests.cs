using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Quantization.Tests.Quantizers;

/// <summary>The threshold quantizer against the core's <see cref="Encoder.EncodeQuotient"/>, code for code.</summary>
public sealed class GridQuantizerTests
{
    public static TheoryData<string> Formats() => new(
        ElementFormat.SearchSet(4).Concat(ElementFormat.SearchSet(6)).Concat(ElementFormat.SearchSet(8))
            .Select(f => $"{f.ExponentBits},{f.MantissaBits}").Concat(["0,3", "0,5", "0,7"]));

    private static ElementFormat Parse(string spec)
    {
        int[] p = spec.Split(',').Select(int.Parse).ToArray();
        return p[0] == 0 ? ElementFormat.Int(p[1] + 1) : ElementFormat.Fp(p[0], p[1]);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Codes_equal_the_reference_on_thresholds_their_neighbours_and_random_inputs(string spec)
    {
        ElementFormat format = Parse(spec);
        var random = new Random(1234 + StableSeed.Of(spec) % 1000);
        double[] scales = [1.0, 0.5, 3.0, 1e-3, Math.Pow(2, -7.31), Math.Pow(2, 11.77), 0.1, 1.0 / 3, 2.9e-9, 5.5e7];
        int checkedCount = 0;
        foreach (double scale in scales.Concat(Enumerable.Range(0, 20).Select(_ => Math.Pow(2, random.NextDouble() * 40 - 20))))
        {
            GridQuantizer q = GridQuantizer.Create(format.Core, scale);
            var inputs = new List<float>
            {
                0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon
            };
            // every decision point: the exact midpoints between neighbouring values, times the scale, and the floats around them
            for (uint code = 0; code < format.Core.CodeCount; code++)
            {
                double v = Decoder.Decode(format.Core, code);
                if (!double.IsFinite(v)) continue;
                foreach (double neighbour in new[] { v * 1.0000001, v * 0.9999999 })
                {
                    double mid = (v + neighbour) / 2 * scale;
                    float f = (float)mid;
                    inputs.AddRange([f, float.BitIncrement(f), float.BitDecrement(f), (float)(v * scale)]);
                }
            }
            for (uint a = 0; a < format.Core.CodeCount; a++)
                for (uint b = 0; b < format.Core.CodeCount; b += Math.Max(1u, (uint)format.Core.CodeCount / 16))
                {
                    double va = Decoder.Decode(format.Core, a), vb = Decoder.Decode(format.Core, b);
                    if (!double.IsFinite(va) || !double.IsFinite(vb)) continue;
                    float f = (float)((va + vb) / 2 * scale);
                    inputs.AddRange([f, float.BitIncrement(f), float.BitDecrement(f)]);
                }
            for (int i = 0; i < 2000; i++)
                inputs.Add((float)((random.NextDouble() * 2 - 1) * scale * Math.Pow(2, random.Next(-3, 1 << Math.Min(format.ExponentBits, 4)))));
            foreach (float x in inputs)
            {
                uint expected = Encoder.EncodeQuotient(format.Core, x, scale, RoundingContext.Default);
                Assert.True(expected == q.Encode(x), $"{format} scale {scale:R} x {x:R}: reference 0x{expected:x}, fast 0x{q.Encode(x):x}");
                float value = q.Quantize(x);
                Assert.Equal((float)(Decoder.Decode(format.Core, expected) * scale), value);
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 10_000);
    }

    [Fact]
    public void Llm_fp4_test_vector_e2m1_bias_1()
    {
        // Reference notes §1.4: E2M1 with b̃ = 1 (max 6), round-half-even, clip at max.
        ElementFormat e2m1 = ElementFormat.Fp(2, 1);
        Assert.Equal(1.0, e2m1.BiasForMax(6), 12);
        GridQuantizer q = e2m1.ForBias(1.0);
        float[] inputs = [0.3f, 0.74f, 1.25f, 2.6f, 5.1f, 7.0f, -0.2f];
        float[] expected = [0.5f, 0.5f, 1.0f, 3.0f, 6.0f, 6.0f, -0.0f];
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(expected[i], q.Quantize(inputs[i]));
        Assert.True(float.IsNegative(q.Quantize(-0.2f)));
    }

    [Fact]
    public void Eq7_bias_gives_the_ocp_e2m1_grid_and_the_documented_maxima()
    {
        ElementFormat e2m1 = ElementFormat.Fp(2, 1);
        GridQuantizer q = e2m1.ForBias(e2m1.BiasForMax(6));
        float[] grid = Enumerable.Range(0, 1000).Select(i => q.Quantize(i * 0.007f)).Distinct().OrderBy(v => v).ToArray();
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f], grid);
        Assert.Equal(480, ElementFormat.Fp(4, 3).MaxForBias(7), 9);      // LLM-FP4 E4M3 at b = 7 (no NaN code)
        Assert.Equal(114688, ElementFormat.Fp(5, 2).MaxForBias(15), 6);  // E5M2 at b = 15
        // max = 1 level sets (reference notes §1.1)
        float[] Levels(ElementFormat f)
        {
            GridQuantizer g = f.ForBias(f.BiasForMax(1));
            return Enumerable.Range(0, 20001).Select(i => g.Quantize(i / 20000f)).Distinct().OrderBy(v => v).ToArray();
        }
        Assert.Equal([0f, 1f / 12, 1f / 6, 0.25f, 1f / 3, 0.5f, 2f / 3, 1f], Levels(e2m1));
        Assert.Equal([0f, 1f / 64, 1f / 32, 1f / 16, 0.125f, 0.25f, 0.5f, 1f], Levels(ElementFormat.Fp(3, 0)));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i / 7f).ToArray(), Levels(ElementFormat.Fp(1, 2)));
    }

    [Fact]
    public void Search_sets_follow_the_released_code()
    {
        Assert.Equal(["E1M2", "E2M1", "E3M0"], ElementFormat.SearchSet(4).Select(f => f.Name).Order());
        Assert.Equal(["E1M4", "E2M3", "E3M2", "E4M1", "E5M0"], ElementFormat.SearchSet(6).Select(f => f.Name).Order());
        Assert.Equal(["E1M6", "E2M5", "E3M4", "E4M3", "E5M2"], ElementFormat.SearchSet(8).Select(f => f.Name).Order());
    }

    [Fact]
    public void Bad_scales_are_refused()
    {
        var f = ElementFormat.Fp(2, 1).Core;
        Assert.Throws<ArgumentOutOfRangeException>(() => GridQuantizer.Create(f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GridQuantizer.Create(f, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => GridQuantizer.Create(f, -1));
    }
}
