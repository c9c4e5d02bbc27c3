using BenchmarkDotNet.Attributes;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Model;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Benchmarks;

/// <summary>
/// Where the LLM-FP4 search spends its time, on the real USE-Lite layers and the 32 default calibration mails:
/// one candidate evaluation of each kind (quantize the operand, then the objective) against the layer's plain
/// float32 GEMM on the same rows (the baseline, measured in the same run), and the float32 forward pass.
/// Needs the model and corpus (bash scripts/setup.sh).
/// </summary>
public class LlmFp4Benchmarks
{
    private UseLiteModel _model = null!;
    private int[][] _sentences = [];
    private LayerSample _sample = null!;
    private float[] _xq = [], _wq = [], _output = [];
    private FactoredObjective.Weights _weights = null!;
    private FactoredObjective.Activations? _activations;
    private LayerObjective _direct = null!;
    private TensorQuantizer _weightQuantizer = null!, _activationQuantizer = null!;

    [Params("layer0.qkv", "layer1.ffn_up", "layer1.ffn_down")]
    public string Layer { get; set; } = "layer1.ffn_up";

    [GlobalSetup]
    public void Setup()
    {
        string dir = ModelLocation.DefaultModelDirectory();
        _model = UseLiteModel.Load(dir);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(dir, "vocab.json"));
        CorpusSplits splits = SpamCorpus.Split(SpamCorpus.Load(ModelLocation.DefaultDataDirectory()), 0);
        _sentences = splits.Calibration.Select(m => tokenizer.Encode(m.Text)).ToArray();
        var capture = new CapturingLinear();
        new SentenceEncoder(_model, capture).Embed(_sentences);
        _sample = capture.Samples().First(s => s.Layer.Name == Layer);
        ElementFormat f = ElementFormat.Fp(2, 1);
        _weightQuantizer = TensorQuantizer.FromBiases(f, ChannelAxis.Columns,
            Statistics.ColumnMaxAbs(_sample.Layer.Weight, _sample.Layer.In, _sample.Layer.Out).Select(m => f.BiasForMax(Statistics.UsableMax(m))).ToArray());
        _activationQuantizer = TensorQuantizer.FromBiases(f, ChannelAxis.Tensor, [f.BiasForMax(_sample.Input.Max(Math.Abs))]);
        _wq = _weightQuantizer.Apply(_sample.Layer.Weight, _sample.Layer.In, _sample.Layer.Out);
        _xq = _activationQuantizer.Apply(_sample.Input, _sample.Rows, _sample.Layer.In);
        _output = new float[_sample.Rows * _sample.Layer.Out];
        _weights = new FactoredObjective.Weights(_sample, _xq, 0);
        _activations = _sample.Layer.In < _sample.Layer.Out ? new FactoredObjective.Activations(_sample, _wq, 0) : null;
        _direct = new LayerObjective(_sample, 0);
    }

    /// <summary>The layer's float32 GEMM on the calibration rows: the unit the candidate costs are measured in.</summary>
    [Benchmark(Baseline = true)]
    public void LayerGemm() => Float32Linear.Multiply(_sample.Input, _sample.Layer.Weight, _sample.Layer.Bias, _sample.Rows, _sample.Layer.In, _sample.Layer.Out, _output);

    /// <summary>One weight candidate: quantize W per output channel, then the factored per-channel errors.</summary>
    [Benchmark]
    public double WeightCandidate() => _weights.ChannelErrors(_weightQuantizer.Apply(_sample.Layer.Weight, _sample.Layer.In, _sample.Layer.Out))[0];

    /// <summary>One activation candidate: quantize X per tensor, then the factored (in &lt; out) or direct error.</summary>
    [Benchmark]
    public double ActivationCandidate()
    {
        float[] xq = _activationQuantizer.Apply(_sample.Input, _sample.Rows, _sample.Layer.In);
        return _activations?.TotalError(xq) ?? _direct.ChannelErrors(xq, _wq).Sum();
    }

    /// <summary>Quantizing the activations alone (AVX2 threshold bank).</summary>
    [Benchmark]
    public float[] QuantizeActivations() => _activationQuantizer.Apply(_sample.Input, _sample.Rows, _sample.Layer.In);

    /// <summary>The same quantization through the scalar reference, one EncodeQuotient per element (first 65,536 elements, scaled).</summary>
    [Benchmark]
    public float QuantizeActivationsReference()
    {
        double scale = _activationQuantizer.Scales[0];
        var core = _activationQuantizer.Format.Core;
        float last = 0;
        int n = Math.Min(65536, _sample.Input.Length);
        for (int i = 0; i < n; i++) last = (float)(Decoder.Decode(core, Encoder.EncodeQuotient(core, _sample.Input[i], scale, RoundingContext.Default)) * scale);
        return last;
    }

    /// <summary>The float32 forward pass over the 32 calibration mails (sentences/s = 32 / time).</summary>
    [Benchmark]
    public float[][] ForwardPass32Mails() => new SentenceEncoder(_model, Float32Linear.Instance).Embed(_sentences);
}
