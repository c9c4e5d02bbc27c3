using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Tests.Inference;

/// <summary>The MAC engine on the real model: bit-identity where the accumulator is exact, explained differences where not.</summary>
[Collection(RealModelCollection.Name)]
public sealed class MacLinearTests(RealModelFixture real)
{
    private float[][] Embed(QuantizedModel model, MacExecution? execution) =>
        model.WithExecution(execution).Encoder(2).Embed(real.Texts);

    private static MacExecution Run(string accumulator, PreShiftForm form = PreShiftForm.ShiftInMac) =>
        new(MacAccumulator.Parse(accumulator), form);

    [Theory]
    [InlineData("fpq")]
    [InlineData("minmax-int")]
    [InlineData("minmax-fp")]
    public void ExactAccumulator_EmbeddingsAreBitIdenticalToFakeQuantWithTheScalesFactoredOut(string method)
    {
        QuantizedModel model = real.ByName(method);
        float[][] oracle = new SentenceEncoder(model.Model, new FactoredFakeQuant(model)).Embed(real.Texts);
        float[][] exact = Embed(model, Run("exact"));
        for (int i = 0; i < oracle.Length; i++) Assert.Equal(oracle[i], exact[i]);

        // The released code's fake-quant (dequantize, then a float32 GEMM) rounds differently in float32; a last-bit
        // difference can move a later layer's input across a quantization threshold, so the embeddings drift a little.
        float[][] fake = Embed(model, null);
        double least = fake.Zip(exact).Min(p => Evaluation.Similarity.Cosine(p.First, p.Second));
        Assert.InRange(least, 0.995, 1.0 + 1e-6); // measured: 0.9982 (fpq), 0.999+ (minmax)
    }

    [Theory]
    [InlineData("fpq")]
    [InlineData("minmax-int")]
    public void WideGridAlignedRegister_AndFormB_AreTheExactAccumulator(string method)
    {
        QuantizedModel model = real.ByName(method);
        float[][] exact = Embed(model, Run("exact"));
        QuantizedModel wide = model.WithExecution(Run("fixed:40.grid"));
        var mac = (MacLinear)wide.Runner(2);
        float[][] aligned = new SentenceEncoder(wide.Model, mac).Embed(real.Texts);
        float[][] folded = Embed(model, Run("fixed:40.grid", PreShiftForm.FoldedWeights));
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.Equal(exact[i], aligned[i]);
            Assert.Equal(exact[i], folded[i]);
        }
        Assert.All(mac.Stats.Values, s => Assert.Equal(new FixedPointCounts(0, 0, 0, 0), s.Counts));
        Assert.All(mac.Stats.Values, s => Assert.Equal("fixed-point table", s.Path));
    }

    [Theory]
    [InlineData("fixed:12.grid", true, false)]        // narrow: the big FFN sums saturate
    [InlineData("fixed:13.grid:wrap", true, false)]   // and wrap
    [InlineData("fixed:32.0", false, true)]           // coarse grid: E2M1 · 2^-b products lose their fractions
    [InlineData("fixed:14.top", false, true)]         // anchored under the largest sum: never overflows, truncates
    public void NarrowRegisters_DifferOnlyWhereTheirCountsSay(string accumulator, bool overflow, bool rounding)
    {
        QuantizedModel model = real.Fpq.WithExecution(Run(accumulator));
        var mac = (MacLinear)model.Runner(2);
        float[][] narrow = new SentenceEncoder(model.Model, mac).Embed(real.Texts);
        float[][] exact = Embed(real.Fpq, Run("exact"));
        Assert.Contains(narrow.Zip(exact), p => !p.First.AsSpan().SequenceEqual(p.Second));
        IEnumerable<MacLayerStats> stats = mac.Stats.Values;
        Assert.Equal(overflow, stats.Any(s => s.Counts.SaturatedAdds + s.Counts.WrappedAdds > 0));
        Assert.Equal(rounding, stats.Any(s => s.Counts.RoundedTerms > 0));

        // Layer by layer on the same real inputs: an output whose register saw no event is the exact sum, word for word.
        foreach (LayerSample sample in real.Calibration.Where(s => s.Layer.Name is "layer0.ffn_down" or "layer1.qkv"))
        {
            IntegerLayer layer = real.Fpq.IntegerLayers(PreShiftForm.ShiftInMac)[sample.Layer.Name];
            var register = (FixedPointAccumulator)model.Execution!.Accumulator.For(layer.AlignedRegister);
            var reference = new FixedPointAccumulator(layer.AlignedRegister.Width, layer.AlignedRegister.FractionBits);
            int rows = Math.Min(sample.Rows, 64), n = layer.Out;
            int[] operands = layer.RowOperands(sample.Input, rows, 2);
            var words = new long[rows * n];
            var exactWords = new long[rows * n];
            var events = new RegisterEvents[rows * n];
            FixedPointGemm.Multiply(ProductGrid.For(layer.ActivationFormat, layer.WeightFormat, register, layer.MaxShift),
                operands, layer.WeightCodes, rows, n, layer.In, words, events, 2);
            FixedPointGemm.Multiply(ProductGrid.For(layer.ActivationFormat, layer.WeightFormat, reference, layer.MaxShift),
                operands, layer.WeightCodes, rows, n, layer.In, exactWords, default, 2);
            int shift = reference.FractionBits - register.FractionBits;
            for (int i = 0; i < words.Length; i++)
                if (events[i] == RegisterEvents.None) Assert.Equal(exactWords[i], words[i] << shift);
        }
    }

    [Fact]
    public void Binary32Adds_AndTheReferencePath_AreTheirAccumulatorsOnRealInputs()
    {
        LayerSample sample = real.Calibration.First(s => s.Layer.Name == "layer1.ffn_down");
        IntegerLayer layer = real.Fpq.IntegerLayers(PreShiftForm.ShiftInMac)[sample.Layer.Name];
        const int rows = 3;
        foreach (string name in new[] { "fp32", "bf16", "tc:h100" })
        {
            var mac = new MacLinear(new Dictionary<string, IntegerLayer> { [layer.Name] = layer }, Run(name), 2);
            var output = new float[rows * layer.Out];
            mac.Run(sample.Layer, sample.Input, rows, output);
            Assert.Equal(name == "fp32" ? "float32 adds" : "reference", mac.Stats[layer.Name].Path);
            Accumulator accumulator = AccumulatorSpec.Parse(name);
            for (int r = 0; r < rows; r++)
            {
                int[] operands = layer.RowOperands(sample.Input[(r * layer.In)..((r + 1) * layer.In)], 1, 1);
                uint[] codes = operands.Select(o => (uint)((o >> layer.WeightFormat.TotalBits) % (int)layer.ActivationFormat.CodeCount)).ToArray();
                for (int k = 0; k < layer.Out; k += 37)
                {
                    uint[] weights = layer.WeightCodes.AsSpan(k * layer.In, layer.In).ToArray().Select(c => (uint)c).ToArray();
                    MacResult result = PreShiftedBias.ShiftInMac(layer.ActivationFormat, codes, layer.Shifts, layer.WeightFormat, weights,
                        accumulator);
                    float sum = (float)result.Value.ToDouble();
                    float scaled = sum * layer.OutputScales[k];
                    Assert.Equal(scaled + layer.Bias[k], output[r * layer.Out + k]);
                }
            }
        }
    }

    [Fact]
    public void ARegisterTooNarrowForOneProduct_OrAFloat32Operand_IsRefusedBeforeTheRun()
    {
        var narrow = Assert.Throws<MacSetupException>(() => real.MinMaxInt.WithExecution(Run("fixed:8.0")));
        Assert.Contains("cannot hold one", narrow.Message);
        QuantizedModel weightsOnly = Calibrator.Calibrate(real.Model, real.Calibration, QuantizationMethod.MinMaxInt, new BitSetting(32, 4, 32),
            new SearchOptions(Threads: 2));
        var float32 = Assert.Throws<MacSetupException>(() => weightsOnly.WithExecution(Run("exact")));
        Assert.Contains("needs quantized weights and activations", float32.Message);
        Assert.Throws<FormatException>(() => MacAccumulator.Parse("fixed:1.grid"));
        Assert.Equal(new FixedPointAccumulator(12, 12 - (30 - 5)), MacAccumulator.Parse("fixed:12.top").For((30, 5)));
        Assert.Equal(new FixedPointAccumulator(12, 5), MacAccumulator.Parse("fixed:12.grid").For((30, 5)));
        Assert.Throws<FormatException>(() => MacAccumulator.Parse("fixed:16.grid:floor"));
        Assert.Equal(new FixedPointAccumulator(12, -13, FixedRounding.Nearest, FixedOverflow.Wrap),
            MacAccumulator.Parse("fixed:12.top:round:wrap").For((30, 5)));
        Assert.Equal("fixed:12.top:round:wrap", MacAccumulator.Parse("fixed:12.top:wrap:round").Name);
        Assert.Equal("fixed:16.grid:wrap", MacAccumulator.Parse("FIXED:16.grid:wrap").Name);
    }

    [Fact]
    public void Mxfp4_OnTheExactGemm_IsBitIdenticalToDequantizedOperandsSummedExactly()
    {
        QuantizedModel mx = QuantizedModel.CreateMx(real.Model, new BitSetting(4, 4, 4));
        float[][] exact = Embed(mx, Run("exact"));
        float[][] oracle = new SentenceEncoder(mx.Model, new MxOracle(mx)).Embed(real.Texts);
        for (int i = 0; i < exact.Length; i++) Assert.Equal(oracle[i], exact[i]);
        Assert.Throws<MacSetupException>(() => mx.WithExecution(Run("fixed:20.grid")));
        Assert.Throws<MacSetupException>(() => QuantizedModel.CreateMx(real.Model, new BitSetting(4, 4, 8)));
    }

    /// <summary>MXFP4 operands dequantized (exact in binary64), dotted in binary64 (exact here), rounded once, biased.</summary>
    private sealed class MxOracle(QuantizedModel mx) : ILinearRunner
    {
        public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
        {
            MxMatrix w = mx.MxWeights![layer.Name];
            var weights = new float[w.Rows * w.Columns];
            MxDequantizer.ToSingle(w, weights, transpose: false); // [out, in]
            var x = new float[rows * layer.In];
            MxDequantizer.ToSingle(MxMatrix.Quantize(MxLinear.Format, input[..(rows * layer.In)], rows, layer.In, new()), x, transpose: false);
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < layer.Out; k++)
                {
                    double sum = 0;
                    for (int j = 0; j < layer.In; j++) sum += (double)x[r * layer.In + j] * weights[k * layer.In + j];
                    output[r * layer.Out + k] = (float)sum + layer.Bias[k];
                }
        }
    }
}
