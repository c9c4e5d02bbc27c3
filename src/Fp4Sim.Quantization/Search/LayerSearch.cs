using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

/// <summary>
/// LLM-FP4's per-layer search (§4.1–4.2, Alg. 1, following the released code). Each round runs four steps, each of
/// which changes one operand's quantizer while the other stays at its current one, by the layer-output MSE:
/// <list type="bullet">
/// <item>weight bias: for the current weight format, each output channel k keeps the γ that minimizes its own
/// error among γ_i · b̃_init,k (channels are independent: column k of the output depends only on weight column k);</item>
/// <item>weight format: that bias search for every candidate format, then the format with the least total error;</item>
/// <item>activation bias: FPQ baseline — one per-tensor real bias among γ_i · b̃_init; FPQ — the tensor-wise ρ̃ among
/// γ_i · ρ̃_init with fixed per-channel b̃_j (Eq. 14) and offsets b_j = clip(round b̃_j − round ρ̃, 0, 2^E − 1);</item>
/// <item>activation format: the activation bias search for every candidate format, then the best.</item>
/// </list>
/// The baseline's order is weight bias → weight format → activation bias → activation format; FPQ's is weight bias →
/// activation bias → weight format → activation format. Candidate grids are built once from the initial maxima. A
/// round that leaves both quantizers as they were ends the search early (the next round would repeat it exactly).
/// A step evaluates a format's 100 candidates as one sweep (<see cref="WalkingObjective"/>).
/// </summary>
public sealed class LayerSearch
{
    private readonly LayerObjective _objective;
    private readonly SearchOptions _options;
    private readonly double[] _gammas;
    private readonly bool _preShift;
    private readonly IReadOnlyList<ElementFormat> _weightFormats, _activationFormats;
    private readonly double[] _weightColumnMax;
    private readonly double[] _activationColumnMax;
    private readonly double _activationMax;
    private readonly WalkingObjective.Weights _weightSweep;
    private readonly WalkingObjective.Activations _activationSweep;
    private int _candidates;

    /// <summary>Prepares a search for one layer on its calibration sample.</summary>
    public LayerSearch(LayerSample sample, int weightBits, int activationBits, bool preShift, SearchOptions options)
    {
        _objective = new LayerObjective(sample, options.Threads);
        _options = options;
        _gammas = options.Gammas();
        _preShift = preShift;
        _weightFormats = options.WeightFormat is { } w ? [w] : ElementFormat.SearchSet(weightBits);
        _activationFormats = options.ActivationFormat is { } a ? [a] : ElementFormat.SearchSet(activationBits);
        _weightColumnMax = Statistics.ColumnMaxAbs(sample.Layer.Weight, sample.Layer.In, sample.Layer.Out);
        _activationColumnMax = Statistics.ColumnMaxAbs(sample.Input, sample.Rows, sample.Layer.In);
        _activationMax = _activationColumnMax.Max();
        float[] target = sample.OutputWithoutBias();
        _weightSweep = new(sample,
            new SortedColumns(sample.Layer.Weight, sample.Layer.In, sample.Layer.Out, options.Threads), target, options.Threads);
        _activationSweep = new(_objective, new SortedColumns(sample.Input, sample.Rows, sample.Layer.In, options.Threads), target, options.Threads);
        WeightBits = weightBits; ActivationBits = activationBits;
    }

    private int WeightBits { get; }

    private int ActivationBits { get; }

    /// <summary>Runs the rounds from the MinMax starting point (default formats, biases from the maxima).</summary>
    public LayerQuantization Run()
    {
        LayerSample s = _objective.Sample;
        TensorQuantizer weight = WeightQuantizer(_options.WeightFormat ?? ElementFormat.Default(WeightBits), 1.0);
        TensorQuantizer activation = ActivationQuantizer(_options.ActivationFormat ?? ElementFormat.Default(ActivationBits), 1.0);
        float[] wq = weight.Apply(s.Layer.Weight, s.Layer.In, s.Layer.Out);
        float[] xq = activation.Apply(s.Input, s.Rows, s.Layer.In);
        int rounds = 0;
        for (int round = 0; round < _options.Rounds; round++)
        {
            rounds++;
            (TensorQuantizer startWeight, TensorQuantizer startActivation) = (weight, activation);
            if (_preShift)
            {
                (weight, _) = SearchWeight(weight.Format, WeightSweep(xq)); wq = weight.Apply(s.Layer.Weight, s.Layer.In, s.Layer.Out, wq);
                (activation, _) = SearchActivation(activation.Format, ActivationSweep(wq)); xq = activation.Apply(s.Input, s.Rows, s.Layer.In, xq);
                weight = BestWeightFormat(WeightSweep(xq), reuse: null); wq = weight.Apply(s.Layer.Weight, s.Layer.In, s.Layer.Out, wq);
                activation = BestActivationFormat(ActivationSweep(wq)); xq = activation.Apply(s.Input, s.Rows, s.Layer.In, xq);
            }
            else
            {
                WalkingObjective.Weights sweep = WeightSweep(xq);
                var current = SearchWeight(weight.Format, sweep);
                weight = BestWeightFormat(sweep, reuse: current); wq = weight.Apply(s.Layer.Weight, s.Layer.In, s.Layer.Out, wq);
                activation = BestActivationFormat(ActivationSweep(wq)); xq = activation.Apply(s.Input, s.Rows, s.Layer.In, xq);
            }
            if (Same(weight, startWeight) && Same(activation, startActivation)) break;
        }
        double mse = _objective.MeanSquaredError(xq, wq);
        return new LayerQuantization(s.Layer.Name, weight, activation, rounds, _candidates, mse);
    }

    /// <summary>One weight-bias search for a format against a fixed quantized input (tests compare it with brute force).</summary>
    internal TensorQuantizer SearchWeightBiases(ElementFormat format, float[] xq) => SearchWeight(format, WeightSweep(xq)).Quantizer;

    /// <summary>The weight step's objective against the fixed quantized input.</summary>
    private WalkingObjective.Weights WeightSweep(float[] xq) { _weightSweep.Prepare(xq); return _weightSweep; }

    /// <summary>The activation step's objective against the fixed quantized weight.</summary>
    private WalkingObjective.Activations ActivationSweep(float[] wq) { _activationSweep.Prepare(wq); return _activationSweep; }

    private TensorQuantizer BestWeightFormat(WalkingObjective.Weights sweep, (TensorQuantizer Quantizer, double Error)? reuse)
    {
        (TensorQuantizer Quantizer, double Error)? best = null;
        foreach (ElementFormat f in _weightFormats)
        {
            var candidate = reuse is { } r && r.Quantizer.Format == f ? r : SearchWeight(f, sweep);
            if (best is null || candidate.Error < best.Value.Error) best = candidate;
        }
        return best!.Value.Quantizer;
    }

    private TensorQuantizer BestActivationFormat(WalkingObjective.Activations sweep)
    {
        (TensorQuantizer Quantizer, double Error)? best = null;
        foreach (ElementFormat f in _activationFormats)
        {
            var candidate = SearchActivation(f, sweep);
            if (best is null || candidate.Error < best.Value.Error) best = candidate;
        }
        return best!.Value.Quantizer;
    }

    /// <summary>Per output channel, the γ with the least channel error; the total is the sum of the channels' minima.</summary>
    private (TensorQuantizer Quantizer, double Error) SearchWeight(ElementFormat format, WalkingObjective.Weights sweep)
    {
        int channels = _objective.Sample.Layer.Out;
        double[] initial = InitialWeightBiases(format);
        double[] errors = sweep.Errors(format, initial, _gammas);
        _candidates += _gammas.Length;
        var bestBias = new double[channels];
        double total = 0;
        for (int k = 0; k < channels; k++)
        {
            int best = 0;
            for (int g = 1; g < _gammas.Length; g++)
                if (errors[g * channels + k] < errors[best * channels + k]) best = g;
            bestBias[k] = _gammas[best] * initial[k];
            total += errors[best * channels + k];
        }
        return (TensorQuantizer.FromBiases(format, ChannelAxis.Columns, bestBias), total);
    }

    private (TensorQuantizer Quantizer, double Error) SearchActivation(ElementFormat format, WalkingObjective.Activations sweep)
    {
        TensorQuantizer[] candidates = _gammas.Select(g => ActivationQuantizer(format, g)).ToArray();
        double[] errors = sweep.Errors(format, candidates.Select(ActivationCandidate.Of).ToArray());
        _candidates += _gammas.Length;
        int best = 0;
        for (int g = 1; g < errors.Length; g++)
            if (errors[g] < errors[best]) best = g;
        return (candidates[best], errors[best]);
    }

    /// <summary>Eq. 7 per output channel: the bias whose largest value is the channel's max.</summary>
    private double[] InitialWeightBiases(ElementFormat format) => _weightColumnMax.Select(m => format.BiasForMax(Statistics.UsableMax(m))).ToArray();

    private TensorQuantizer WeightQuantizer(ElementFormat format, double gamma) =>
        TensorQuantizer.FromBiases(format, ChannelAxis.Columns, InitialWeightBiases(format).Select(b => gamma * b).ToArray());

    /// <summary>
    /// The activation quantizer at γ: per tensor γ·b̃_init (baseline), or ρ̃ = γ·ρ̃_init with pre-shifted channel offsets (FPQ).
    /// </summary>
    internal TensorQuantizer ActivationQuantizer(ElementFormat format, double gamma)
    {
        if (!_preShift)
            return TensorQuantizer.FromBiases(format, ChannelAxis.Tensor, [gamma * format.BiasForMax(Statistics.UsableMax(_activationMax))]);
        double[] channelBiases = _activationColumnMax.Select(m => m > 0 ? format.BiasForMax(m) : double.PositiveInfinity).ToArray();
        double rhoInitial = format.BiasForMax(Statistics.UsableMax(_activationMax)); // = min_j b̃_j
        double rho = gamma * rhoInitial;
        int[] offsets = PreShiftedBias.ChannelOffsets(format.Core, channelBiases, rho);
        double[] scales = offsets.Select(b => PreShiftedBias.ActivationScale(rho, b)).ToArray();
        return new TensorQuantizer(format, ChannelAxis.Columns, scales, Rho: rho, Offsets: offsets);
    }

    private static bool Same(TensorQuantizer a, TensorQuantizer b) => a.Format == b.Format && a.Scales.AsSpan().SequenceEqual(b.Scales);
}
