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
/// one sweep of each kind (a format's 100 γ candidates: prepare the fixed operand, walk the levels, evaluate the
/// objective) against the layer's plain float32 GEMM on the same rows (the baseline, measured in the same run),
/// quantizing the activations, and the float32 forward pass.
/// Needs the model and corpus (bash scripts/setup.sh).
/// </summary>
public class LlmFp4Benchmarks
{
    private UseLiteModel _model = null!;
    private int[][] _sentences = [];
    private LayerSample _sample = null!;
    private float[] _xq = [], _wq = [], _output = [];
    private WalkingObjective.Weights _weights = null!;
    private WalkingObjective.Activations _activations = null!;
    private double[] _initialBiases = [], _gammas = [];
    private ActivationCandidate[] _candidates = [];
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
            Statistics.ColumnMaxAbs(_sample.Layer.Weight, _sample.Layer.In, _sample.Layer.Out)
                .Select(m => f.BiasForMax(Statistics.UsableMax(m))).ToArray());
        _activationQuantizer = TensorQuantizer.FromBiases(f, ChannelAxis.Tensor, [f.BiasForMax(_sample.Input.Max(Math.Abs))]);
        _wq = _weightQuantizer.Apply(_sample.Layer.Weight, _sample.Layer.In, _sample.Layer.Out);
        _xq = _activationQuantizer.Apply(_sample.Input, _sample.Rows, _sample.Layer.In);
        _output = new float[_sample.Rows * _sample.Layer.Out];
        float[] target = _sample.OutputWithoutBias();
        _weights = new WalkingObjective.Weights(_sample, new SortedColumns(_sample.Layer.Weight, _sample.Layer.In, _sample.Layer.Out, 0), target, 0);
        _activations = new WalkingObjective.Activations(new LayerObjective(_sample, 0),
            new SortedColumns(_sample.Input, _sample.Rows, _sample.Layer.In, 0), target, 0);
        _initialBiases = _weightQuantizer.Biases!;
        _gammas = new SearchOptions().Gammas();
        double activationBias = _activationQuantizer.Biases![0];
        _candidates = _gammas
            .Select(g => new ActivationCandidate(Fp4Sim.Numerics.Mac.PreShiftedBias.RealBiasScale(g * activationBias), null))
            .ToArray();
    }

    /// <summary>The layer's float32 GEMM on the calibration rows: the unit the candidate costs are measured in.</summary>
    [Benchmark(Baseline = true)]
    public void LayerGemm() =>
        Float32Linear.Multiply(_sample.Input, _sample.Layer.Weight, _sample.Layer.Bias, _sample.Rows, _sample.Layer.In, _sample.Layer.Out, _output);

    /// <summary>One weight sweep: fix Q(X), then E2M1's 100 per-channel γ candidates.</summary>
    [Benchmark]
    public double WeightSweep()
    {
        _weights.Prepare(_xq);
        return _weights.Errors(ElementFormat.Fp(2, 1), _initialBiases, _gammas)[0];
    }

    /// <summary>One activation sweep: fix Q(W), then E2M1's 100 per-tensor γ candidates.</summary>
    [Benchmark]
    public double ActivationSweep()
    {
        _activations.Prepare(_wq);
        return _activations.Errors(ElementFormat.Fp(2, 1), _candidates)[0];
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
        for (int i = 0; i < n; i++)
            last = (float)(Decoder.Decode(core, Encoder.EncodeQuotient(core, _sample.Input[i], scale, RoundingContext.Default)) * scale);
        return last;
    }

    /// <summary>The float32 forward pass over the 32 calibration mails (sentences/s = 32 / time).</summary>
    [Benchmark]
    public float[][] ForwardPass32Mails() => new SentenceEncoder(_model, Float32Linear.Instance).Embed(_sentences);
}
