using System.Diagnostics;
using Fp4Sim.Quantization.Evaluation;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>
/// The LLM-FP4 experiment on USE-Lite and the SpamAssassin mails: loads and checks the model and corpus, splits the
/// corpus (seeded), captures the float32 calibration data, embeds the train texts in float32 and fits the logistic
/// spam head, then calibrates every requested method × bit setting and evaluates them together on the held-out
/// texts — one float32 pass per batch serves every model's SQNR, cosine and accuracy.
/// </summary>
public sealed class Experiment
{
    private const int BatchTexts = 32;
    private readonly ExperimentOptions _options;
    private readonly IProgressSink _progress;
    private readonly int[][] _evaluationTokens;
    private readonly bool[] _evaluationLabels;
    private float[][]? _referenceEmbeddings;
    private readonly LogisticRegression _head;

    /// <summary>The float32 model.</summary>
    public UseLiteModel Model { get; }

    /// <summary>Each linear layer's float32 input and output on the calibration texts.</summary>
    public IReadOnlyList<LayerSample> Calibration { get; }

    /// <summary>Accuracy of the head on the float32 held-out embeddings (embedded on first use unless an evaluation already did).</summary>
    public double ReferenceAccuracy => _head.Accuracy(ReferenceEmbeddings(), _evaluationLabels);

    /// <summary>Corpus sizes: calibration, train, held-out texts and their token counts.</summary>
    public string Description { get; }

    private Experiment(ExperimentOptions options, IProgressSink progress)
    {
        _options = options; _progress = progress;
        progress.Stage("loading USE-Lite and the SpamAssassin corpus");
        Model = UseLiteModel.Load(options.ModelDirectory);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(options.ModelDirectory, "vocab.json"));
        IReadOnlyList<Mail> mails = SpamCorpus.Load(options.DataDirectory);
        CorpusSplits splits = SpamCorpus.Split(mails, options.Seed, options.Calibration, options.Train, options.Evaluation);
        int[][] Tokens(IReadOnlyList<Mail> set) => set.Select(m => tokenizer.Encode(m.Text)).ToArray();
        int[][] calibration = Tokens(splits.Calibration), train = Tokens(splits.Train);
        _evaluationTokens = Tokens(splits.Evaluation);
        _evaluationLabels = splits.Evaluation.Select(m => m.IsSpam).ToArray();

        progress.Stage($"capturing float32 layer inputs on {calibration.Length} calibration texts");
        var capture = new CapturingLinear(options.SearchOptions.Threads);
        new SentenceEncoder(Model, capture).Embed(calibration);
        Calibration = capture.Samples();

        progress.Stage($"embedding {train.Length} training texts in float32 and fitting the spam head");
        var reference = new SentenceEncoder(Model, new Transformer.Float32Linear(options.SearchOptions.Threads));
        float[][] trainEmbeddings = EmbedBatched(reference, train, "train");
        _head = LogisticRegression.Fit(trainEmbeddings, splits.Train.Select(m => m.IsSpam).ToArray());
        int Count(int[][] set) => set.Sum(t => Math.Min(t.Length, Model.MaxTokens));
        Description = $"calibration {calibration.Length} texts ({Count(calibration)} tokens), train {train.Length} ({Count(train)}), " +
                   $"held-out {_evaluationTokens.Length} ({Count(_evaluationTokens)}; {_evaluationLabels.Count(l => l)} spam)";
    }

    /// <summary>Loads everything a run needs (seconds on two cores).</summary>
    public static Experiment Load(ExperimentOptions options, IProgressSink? progress = null) => new(options, progress ?? SilentProgress.Instance);

    /// <summary>
    /// Only the model and its calibration capture — the same calibration texts a run with these options uses (the
    /// split draws train, held-out and calibration texts in that order), without embedding the other splits.
    /// </summary>
    public static (UseLiteModel Model, IReadOnlyList<LayerSample> Calibration) LoadCalibration(ExperimentOptions options)
    {
        UseLiteModel model = UseLiteModel.Load(options.ModelDirectory);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(options.ModelDirectory, "vocab.json"));
        CorpusSplits splits = SpamCorpus.Split(SpamCorpus.Load(options.DataDirectory),
            options.Seed, options.Calibration, options.Train, options.Evaluation);
        var capture = new CapturingLinear(options.SearchOptions.Threads);
        new SentenceEncoder(model, capture).Embed(splits.Calibration.Select(m => tokenizer.Encode(m.Text)).ToArray());
        return (model, capture.Samples());
    }

    /// <summary>
    /// Calibrates each method × bit setting, then evaluates them all in one pass over the held-out texts. A result's
    /// seconds are its calibration plus its own share of the evaluation (its quantized passes, not the shared float32
    /// one). The float32 method is the reference itself: cosine 1, no layer SQNR, nothing to run.
    /// </summary>
    public IReadOnlyList<MethodResult> RunAll(IReadOnlyList<(QuantizationMethod Method, BitSetting Bits)> runs)
    {
        var calibrated = new List<(QuantizedModel Model, double Seconds)>();
        foreach ((QuantizationMethod method, BitSetting bits) in runs)
        {
            var clock = Stopwatch.StartNew();
            _progress.Stage($"{method.Name()} {bits}: calibrating");
            QuantizedModel quantized = Calibrator.Calibrate(Model, Calibration, method, bits, _options.SearchOptions,
                (layer, done, total) => _progress.Step($"{method.Name()} {bits}: {layer}", done, total));
            if (method != QuantizationMethod.Fp32) quantized = quantized.WithExecution(_options.Execution);
            calibrated.Add((quantized, clock.Elapsed.TotalSeconds));
        }
        QuantizedModel[] evaluated = calibrated.Select(c => c.Model).Where(m => m.Method != QuantizationMethod.Fp32).ToArray();
        Evaluation[] evaluations = Evaluate(evaluated);
        var results = new List<MethodResult>();
        foreach ((QuantizedModel model, double seconds) in calibrated)
        {
            int index = Array.IndexOf(evaluated, model);
            MethodResult result = index < 0
                ? new MethodResult(model.Method, model.Bits, ReferenceAccuracy, 1, 1, double.PositiveInfinity, [], seconds, seconds, model)
                : Summarize(model, evaluations[index], seconds);
            _progress.Stage($"{result.SummaryLine()} ({result.Seconds:F0} s)");
            results.Add(result);
        }
        return results;
    }

    /// <summary>
    /// Evaluates already calibrated models together on the held-out texts (as <see cref="RunAll"/> does after
    /// calibrating); <paramref name="localSqnr"/> false skips running each layer alone on float32 inputs (its column is
    /// then NaN), which halves a MAC-engine model's work.
    /// </summary>
    public IReadOnlyList<MethodResult> Evaluate(IReadOnlyList<(QuantizedModel Model, double CalibrationSeconds)> models, bool localSqnr = true)
    {
        Evaluation[] evaluations = Evaluate(models.Select(m => m.Model).ToArray(), localSqnr);
        return models.Select((m, i) => Summarize(m.Model, evaluations[i], m.CalibrationSeconds)).ToArray();
    }

    private MethodResult Summarize(QuantizedModel model, Evaluation e, double calibrationSeconds)
    {
        float[][] reference = ReferenceEmbeddings();
        double[] cosines = e.Embeddings.Select((v, i) => Similarity.Cosine(v, reference[i])).ToArray();
        var layers = Model.Linears.Select(l => new LayerResult(l.Name, e.LocalSqnr ? e.Sqnr[l.Name].LocalDecibels : double.NaN,
            e.Sqnr[l.Name].EndToEndDecibels,
            model.Layers.FirstOrDefault(q => q.Layer == l.Name)?.CalibrationMse ?? 0)).ToArray();
        return new MethodResult(model.Method, model.Bits, _head.Accuracy(e.Embeddings.ToArray(), _evaluationLabels), cosines.Average(), cosines.Min(),
            layers.Average(l => l.EndToEndSqnr), layers, calibrationSeconds, calibrationSeconds + e.Seconds, model)
        {
            MacStats = e.Mac is null ? null : Model.Linears.Where(l => e.Mac.Stats.ContainsKey(l.Name)).Select(l => e.Mac.Stats[l.Name]).ToArray(),
        };
    }

    /// <summary>One model's held-out embeddings, per-layer SQNR sums and the seconds its own passes took.</summary>
    private sealed class Evaluation(IEnumerable<string> layers)
    {
        public List<float[]> Embeddings { get; } = [];
        public Dictionary<string, SqnrAccumulator> Sqnr { get; } = layers.ToDictionary(l => l, _ => new SqnrAccumulator());
        public double Seconds { get; set; }
        public Inference.IMacRunner? Mac { get; set; }
        public bool LocalSqnr { get; set; } = true;
    }

    /// <summary>
    /// Per batch of held-out texts: one float32 pass that records every layer's input and output (and the reference
    /// embeddings), then for each model its quantized pass (embeddings, end-to-end layer outputs) and each of its
    /// layers alone on the float32 inputs (local SQNR).
    /// </summary>
    private Evaluation[] Evaluate(IReadOnlyList<QuantizedModel> models, bool localSqnr = true)
    {
        int threads = _options.SearchOptions.Threads;
        Evaluation[] evaluations = models.Select(_ => new Evaluation(Model.Linears.Select(l => l.Name))).ToArray();
        if (models.Count == 0) return evaluations;
        _progress.Stage($"evaluating {models.Count} model(s) on {_evaluationTokens.Length} held-out texts");
        var reference = new List<float[]>();
        var capture = new LayerRecorder(new Transformer.Float32Linear(threads));
        var inside = models.Select(m => new LayerRecorder(m.Runner(threads))).ToArray();
        var alone = models.Select(m => m.Runner(threads)).ToArray(); // its own runner: MAC counts are of the end-to-end pass only
        for (int m = 0; m < models.Count; m++) evaluations[m].Mac = models[m].Execution is null ? null : inside[m].Inner as Inference.IMacRunner;
        var local = Array.Empty<float>();
        for (int start = 0; start < _evaluationTokens.Length; start += BatchTexts)
        {
            int[][] batch = _evaluationTokens[start..Math.Min(_evaluationTokens.Length, start + BatchTexts)];
            reference.AddRange(new SentenceEncoder(Model, capture).Embed(batch));
            for (int m = 0; m < models.Count; m++)
            {
                var clock = Stopwatch.StartNew();
                evaluations[m].Embeddings.AddRange(new SentenceEncoder(models[m].Model, inside[m]).Embed(batch));
                foreach (LinearLayer layer in models[m].Model.Linears)
                {
                    (float[] input, float[] output, int rows) = capture.Recorded[layer.Name];
                    int size = rows * layer.Out;
                    float[] endToEnd = inside[m].Recorded[layer.Name].Output;
                    if (local.Length < size) local = new float[size];
                    if (localSqnr) alone[m].Run(layer, input.AsSpan(0, rows * layer.In), rows, local);
                    evaluations[m].Sqnr[layer.Name].Add(output.AsSpan(0, size), (localSqnr ? local : endToEnd).AsSpan(0, size),
                        endToEnd.AsSpan(0, size));
                }
                evaluations[m].LocalSqnr = localSqnr;
                evaluations[m].Seconds += clock.Elapsed.TotalSeconds;
            }
            _progress.Step("held-out", Math.Min(_evaluationTokens.Length, start + BatchTexts), _evaluationTokens.Length);
        }
        _referenceEmbeddings ??= reference.ToArray();
        return evaluations;
    }

    /// <summary>The float32 held-out embeddings (embedded now unless an evaluation pass already recorded them).</summary>
    private float[][] ReferenceEmbeddings() => _referenceEmbeddings ??=
        EmbedBatched(new SentenceEncoder(Model, new Transformer.Float32Linear(_options.SearchOptions.Threads)), _evaluationTokens, "held-out");

    private float[][] EmbedBatched(SentenceEncoder encoder, int[][] texts, string what)
    {
        var result = new List<float[]>();
        for (int start = 0; start < texts.Length; start += BatchTexts)
        {
            result.AddRange(encoder.Embed(texts[start..Math.Min(texts.Length, start + BatchTexts)]));
            _progress.Step($"float32 {what}", Math.Min(texts.Length, start + BatchTexts), texts.Length);
        }
        return result.ToArray();
    }

    /// <summary>Runs another runner and keeps each layer's input and output of its last call, in buffers reused across batches.</summary>
    private sealed class LayerRecorder(Transformer.ILinearRunner inner) : Transformer.ILinearRunner
    {
        public Transformer.ILinearRunner Inner { get; } = inner;

        public Dictionary<string, (float[] Input, float[] Output, int Rows)> Recorded { get; } = [];

        public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
        {
            Inner.Run(layer, input, rows, output);
            Recorded.TryGetValue(layer.Name, out var kept);
            float[] x = kept.Input is { } a && a.Length >= rows * layer.In ? a : new float[rows * layer.In];
            float[] y = kept.Output is { } b && b.Length >= rows * layer.Out ? b : new float[rows * layer.Out];
            input[..(rows * layer.In)].CopyTo(x);
            output[..(rows * layer.Out)].CopyTo(y);
            Recorded[layer.Name] = (x, y, rows);
        }
    }
}
