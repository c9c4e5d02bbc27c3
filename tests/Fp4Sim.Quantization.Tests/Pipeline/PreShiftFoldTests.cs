using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Tests.Model;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Tests.Pipeline;

/// <summary>
/// LLM-FP4 Eqs. 16–19 on a real layer: the pipeline's fake-quantized FPQ layer (per-channel activation scales
/// 2^−ρ̃·2^−b_j) equals, exactly, the same codes multiplied with the offsets moved into the MAC (form a) or folded into
/// the weight's exponent bias (form b), times the factored-out scales 2^−ρ̃ · 2^−b̃_k.
/// </summary>
public sealed class PreShiftFoldTests
{
    [Fact]
    public void Fpq_layer_equals_the_folded_and_shift_in_mac_forms_on_a_real_layer()
    {
        string dir = ModelTestFiles.RequireUseLiteDirectory();
        UseLiteModel model = UseLiteModel.Load(dir);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(dir, "vocab.json"));
        var capture = new CapturingLinear(2);
        new SentenceEncoder(model, capture).Embed(
            new[] { "How old are you?", "The weather is lovely today.", "Click here to claim your free prize now!!!" }
                .Select(tokenizer.Encode).ToArray());
        LayerSample sample = capture.Samples().First(s => s.Layer.Name == "layer1.ffn_up");
        LayerQuantization q = Calibrator.CalibrateLayer(sample, QuantizationMethod.Fpq, new BitSetting(4, 4, 4),
            new SearchOptions(Rounds: 1, GammaSteps: 10, Threads: 2));
        TensorQuantizer a = q.Activation!, w = q.Weight!;
        Assert.NotNull(a.Offsets);
        Assert.Contains(a.Offsets!, b => b > 0);

        GridQuantizer[] aq = a.Build(), wq = w.Build();
        int din = sample.Layer.In, dout = sample.Layer.Out;
        var pipeline = QuantizedModel.Create(model, QuantizationMethod.Fpq, new BitSetting(32, 4, 4), [q], null);
        LinearLayer quantizedLayer = pipeline.Model.Linears.First(l => l.Name == sample.Layer.Name);
        var output = new float[sample.Rows * dout];
        pipeline.Runner(2).Run(quantizedLayer, sample.Input, sample.Rows, output);

        int checkedOutputs = 0;
        for (int t = 0; t < sample.Rows; t += 5)
        {
            uint[] codes = Enumerable.Range(0, din).Select(j => aq[j].Encode(sample.Input[t * din + j])).ToArray();
            for (int k = 0; k < dout; k += 97)
            {
                uint[] weights = Enumerable.Range(0, din).Select(j => wq[k].Encode(sample.Layer.Weight[j * dout + k])).ToArray();
                MacResult fake = PreShiftedBias.FakeQuant(a.Format.Core, codes, a.Offsets, w.Format.Core, weights, ExactAccumulator.Fp32);
                MacResult shifted = PreShiftedBias.ShiftInMac(a.Format.Core, codes, a.Offsets, w.Format.Core, weights, ExactAccumulator.Fp32);
                MacResult folded = PreShiftedBias.Folded(a.Format.Core, codes, PreShiftedBias.FoldIntoBias(w.Format.Core, a.Offsets),
                    weights, ExactAccumulator.Fp32);
                Assert.Equal(fake.Value, shifted.Value);
                Assert.Equal(fake.Value, folded.Value);
                double expected = fake.Value.ToDouble() * PreShiftedBias.RealBiasScale(a.Rho!.Value) * w.Scales[k] + sample.Layer.Bias[k];
                Assert.Equal(expected, output[t * dout + k], Math.Abs(expected) * 1e-5 + 1e-6);
                checkedOutputs++;
            }
        }
        Assert.True(checkedOutputs >= 20);
    }
}
