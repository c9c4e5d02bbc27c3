using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>
/// LLM-FP4's pre-shifted exponent bias: both hardware forms against fake-quant, bit for bit, on random data and on
/// transformer-shaped activations (a few outlier channels 10–100× the rest, Laplace-tailed tokens).
/// </summary>
public class PreShiftedBiasTests
{
    private static readonly string[] Accumulators =
        ["exact", "fp32", "fp16", "bf16", "fixed:24.6", "fixed:20.4:round:wrap", "tc:h100", "tc:v100", "tc:h100-fp8"];

    [Fact]
    public void WorkedExample_ChannelBiasesOffsetsAndClippingValues()
    {
        FormatInfo a = PreShiftedBias.BiasFree(2, 1);
        double[] max = [6, 1.5, 0.1, 100];
        double[] biases = max.Select(m => PreShiftedBias.ChannelBias(a, m)).ToArray();
        double[] expected = [1.000, 3.000, 6.907, -3.059];
        for (int j = 0; j < 4; j++) Assert.Equal(expected[j], biases[j], 3);
        double rho = biases.Min();
        int[] offsets = PreShiftedBias.ChannelOffsets(a, biases, rho);
        Assert.Equal([3, 3, 3, 0], offsets);
        double[] clip = [12.5, 12.5, 12.5, 100];
        for (int j = 0; j < 4; j++)
        {
            uint top = PreShiftedBias.QuantizeActivation(a, 1e9, rho, offsets[j]);
            double value = Math.Pow(2, -rho) * Math.ScaleB(Decoder.Decode(a, top), -offsets[j]);
            Assert.Equal(clip[j], value, 1); // the 0.1 channel is capped by the 3-binade limit: 12.5, not 0.1
        }
        // b̃ = 1 gives the OCP E2M1 grid {0, 0.5, …, 6}.
        Assert.Equal(1.0, PreShiftedBias.ChannelBias(a, 6), 12);
    }

    public static TheoryData<string, int, int, int, int> Shapes => new()
    {
        // activation E, M; weight E, M; seed
        { "random", 2, 1, 2, 1 }, { "random", 3, 0, 2, 1 }, { "random", 2, 1, 1, 2 }, { "transformer", 2, 1, 2, 1 },
        { "transformer", 4, 3, 4, 3 }, { "transformer", 3, 0, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FormsAAndB_AreBitIdenticalToFakeQuant(string data, int ae, int am, int we, int wm)
    {
        FormatInfo a = PreShiftedBias.BiasFree(ae, am), w = PreShiftedBias.BiasFree(we, wm);
        var rng = new Random(ae * 100 + am * 10 + we + wm + data.Length);
        int compared = 0, withSubnormalActivations = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            int k = rng.Next(1, 97);
            (uint[] codes, int[] offsets, uint[] weights) = Layer(rng, data, a, w, k);
            FormatInfo[] rows = PreShiftedBias.FoldIntoBias(w, offsets);
            bool subnormal = codes.Any(c => Decoder.Classify(a, c) == CodeClass.Subnormal);
            if (subnormal) withSubnormalActivations++;
            foreach (string name in Accumulators)
            {
                Accumulator acc = AccumulatorSpec.Parse(name);
                MacResult fake = PreShiftedBias.FakeQuant(a, codes, offsets, w, weights, acc);
                MacResult formA = PreShiftedBias.ShiftInMac(a, codes, offsets, w, weights, acc);
                MacResult formB = PreShiftedBias.Folded(a, codes, rows, weights, acc);
                Assert.Equal(formA, formB); // (a) and (b) align identically, tensor cores included
                bool alignsByValue = acc is not TensorCoreAccumulator;
                if (alignsByValue || !subnormal) Assert.Equal(fake, formA);
                compared++;
            }
        }
        Assert.Equal(60 * Accumulators.Length, compared);
        if (am > 0 && ae <= 2) Assert.True(withSubnormalActivations > 0, "the data should exercise subnormal activations");
    }

    [Fact]
    public void TensorCoreAlignment_SeesTheUnnormalisedExponent_OfASubnormalActivation()
    {
        // Form (a) aligns the subnormal activation's product at e_min + e_w − b, fake-quant at its true exponent
        // (one binade lower for E2M1's one subnormal): with C aligned by the larger η the grids differ.
        FormatInfo a = PreShiftedBias.BiasFree(2, 1), w = PreShiftedBias.BiasFree(2, 1);
        uint sub = 0x1, one = 0x2; // A(0x1) = 1 (subnormal, e_min = 1), A(0x2) = 2
        MacTerm p = MacTerm.Product(a, sub, w, one);
        Assert.Equal(2, p.AlignExponent); // e_min + e_w = 1 + 1, while floor(log2(1·2)) = 1
        var acc = new TensorCoreAccumulator(new TensorCoreModel("t", "test", 2, 1, -1024, RoundingMode.Rtz, KnownFormats.Fp32));
        MacResult fake = PreShiftedBias.FakeQuant(a, [sub, sub], [0, 0], w, [one, 0x1], acc);
        MacResult formA = PreShiftedBias.ShiftInMac(a, [sub, sub], [0, 0], w, [one, 0x1], acc);
        Assert.NotEqual(fake.Value, formA.Value);
    }

    [Fact]
    public void FoldingIntoTheWeightFormat_LosesBitsBelowItsRange_AndAWiderFoldFormatDoesNot()
    {
        FormatInfo a = PreShiftedBias.BiasFree(2, 1), w = PreShiftedBias.BiasFree(2, 1);
        var rng = new Random(77);
        (uint[] codes, int[] offsets, uint[] weights) = Layer(rng, "transformer", a, w, 4096);
        Accumulator exact = ExactAccumulator.Fp32;

        uint[] inPlace = PreShiftedBias.FoldIntoFormat(w, weights, offsets, w, out int lossy);
        Assert.True(lossy > 0);
        // What that hardware computes is fake-quant of the re-rounded weights, not of the original ones.
        MacResult reference = PreShiftedBias.FakeQuant(a, codes, offsets, w, weights, exact);
        MacResult folded = PreShiftedBias.Folded(a, codes, Enumerable.Repeat(w, codes.Length).ToArray(), inPlace, exact);
        MacResult expectedLossy = PreShiftedBias.FakeQuant(a, codes, new int[codes.Length], w, inPlace, exact);
        Assert.Equal(expectedLossy, folded);
        Assert.NotEqual(reference.Bits, folded.Bits);
        // Every lossy weight left W's range: its folded value is below W's smallest normal.
        for (int j = 0; j < weights.Length; j++)
        {
            double shifted = Math.ScaleB(Decoder.Decode(w, weights[j]), -offsets[j]);
            if (Decoder.Decode(w, inPlace[j]) != shifted) Assert.True(Math.Abs(shifted) < CodeSpace.MinNormal(w));
        }

        FormatInfo wide = PreShiftedBias.ExactFoldFormat(w, (1 << a.ExponentBits) - 1);
        Assert.Equal("e3m1:specials=none:bias=4", wide.Name);
        uint[] widened = PreShiftedBias.FoldIntoFormat(w, weights, offsets, wide, out int lossless);
        Assert.Equal(0, lossless);
        foreach (string name in Accumulators.Where(n => !n.StartsWith("tc")))
        {
            Accumulator acc = AccumulatorSpec.Parse(name);
            Assert.Equal(PreShiftedBias.FakeQuant(a, codes, offsets, w, weights, acc),
                         PreShiftedBias.Folded(a, codes, Enumerable.Repeat(wide, codes.Length).ToArray(), widened, acc));
        }
    }

    /// <summary>
    /// One layer's reduction: activations quantized with LLM-FP4 channel offsets from their channel maxima, weights
    /// quantized per output channel. "transformer" data has outlier channels (as LLM activations do).
    /// </summary>
    private static (uint[] Codes, int[] Offsets, uint[] Weights) Layer(Random rng, string data, FormatInfo a, FormatInfo w, int k)
    {
        int tokens = 16;
        var x = new double[tokens, k];
        var channelMax = new double[k];
        for (int j = 0; j < k; j++)
        {
            double scale = data == "transformer" ? (rng.NextDouble() < 0.05 ? 10 + 90 * rng.NextDouble() : Math.Exp(rng.NextDouble() * 2 - 1))
                                                 : Math.ScaleB(1, rng.Next(-6, 6));
            for (int t = 0; t < tokens; t++)
            {
                double u = rng.NextDouble() - 0.5;
                x[t, j] = data == "transformer" ? -scale * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u)) * 0.3 : scale * u;
                channelMax[j] = Math.Max(channelMax[j], Math.Abs(x[t, j]));
            }
            channelMax[j] = Math.Max(channelMax[j], 1e-30);
        }
        double[] biases = channelMax.Select(m => PreShiftedBias.ChannelBias(a, m)).ToArray();
        double rho = biases.Min();
        int[] offsets = PreShiftedBias.ChannelOffsets(a, biases, rho);
        int row = rng.Next(tokens);
        var codes = new uint[k];
        for (int j = 0; j < k; j++) codes[j] = PreShiftedBias.QuantizeActivation(a, x[row, j], rho, offsets[j]);
        double wMax = 0;
        var wv = new double[k];
        for (int j = 0; j < k; j++) { wv[j] = rng.NextDouble() * 2 - 1; wMax = Math.Max(wMax, Math.Abs(wv[j])); }
        double wScale = wMax / CodeSpace.MaxFinite(w);
        var weights = new uint[k];
        for (int j = 0; j < k; j++) weights[j] = Encoder.EncodeQuotient(w, wv[j], wScale, RoundingContext.Default);
        return (codes, offsets, weights);
    }
}
