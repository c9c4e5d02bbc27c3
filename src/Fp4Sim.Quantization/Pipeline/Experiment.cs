using System.Diagnostics;
using Fp4Sim.Quantization.Evaluation;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>
/// The LLM-FP4 experiment on USE-Lite and the SpamAssassin mails: loads and checks the model and corpus, splits the
/// corpus (seeded), captures the float32 calibration data, embeds the train and held-out texts in float32, fits the
/// logistic spam head, then calibrates and evaluates one method × bit setting at a time.
/// </summary>
public sealed class Experiment
{
    private const int BatchTexts = 32;
    private readonly ExperimentOptions _options;
    private readonly IProgressSink _progress;
    private readonly int[][] _evaluationTokens;
    private readonly bool[] _evaluationLabels;
    private readonly float[][] _referenceEmbeddings;
    private readonly LogisticRegression _head;

    /// <summary>The float32 model.</summary>
    public UseLiteModel Model { get; }

    /// <summary>Each linear layer's float32 input and output on the calibration texts.</summary>
    public IReadOnlyList<LayerSample> Calibration { get; }

    /// <summary>Accuracy of the head on the float32 held-out embeddings.</summary>
    public double ReferenceAccuracy { get; }

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
        _referenceEmbeddings = EmbedBatched(reference, _evaluationTokens, "held-out");
        ReferenceAccuracy = _head.Accuracy(_referenceEmbeddings, _evaluationLabels);
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
        CorpusSplits splits = SpamCorpus.Split(SpamCorpus.Load(options.DataDirectory), options.Seed, options.Calibration, options.Train, options.Evaluation);
        var capture = new CapturingLinear(options.SearchOptions.Threads);
        new SentenceEncoder(model, capture).Embed(splits.Calibration.Select(m => tokenizer.Encode(m.Text)).ToArray());
        return (model, capture.Samples());
    }

    /// <summary>Calibrates <paramref name="method"/> at <paramref name="bits"/> and evaluates it on the held-out texts.</summary>
    public MethodResult Run(QuantizationMethod method, BitSetting bits)
    {
        var clock = Stopwatch.StartNew();
        _progress.Stage($"{method.Name()} {bits}: calibrating");
        QuantizedModel quantized = Calibrator.Calibrate(Model, Calibration, method, bits, _options.SearchOptions,
            (layer, done, total) => _progress.Step($"{method.Name()} {bits}: {layer}", done, total));
        double calibrationSeconds = clock.Elapsed.TotalSeconds;
        _progress.Stage($"{method.Name()} {bits}: evaluating on {_evaluationTokens.Length} held-out texts");
        (float[][] embeddings, IReadOnlyList<LayerResult> layers) = Evaluate(quantized);
        double[] cosines = embeddings.Select((e, i) => Similarity.Cosine(e, _referenceEmbeddings[i])).ToArray();
        double accuracy = _head.Accuracy(embeddings, _evaluationLabels);
        double meanSqnr = layers.Count == 0 ? double.PositiveInfinity : layers.Average(l => l.EndToEndSqnr);
        var result = new MethodResult(method, bits, accuracy, cosines.Average(), cosines.Min(), meanSqnr, layers, calibrationSeconds, clock.Elapsed.TotalSeconds, quantized);
        _progress.Stage($"{result.SummaryLine()} ({result.Seconds:F0} s)");
        return result;
    }

    /// <summary>The quantized model's held-out embeddings and, per layer, local and end-to-end SQNR against float32.</summary>
    private (float[][] Embeddings, IReadOnlyList<LayerResult> Layers) Evaluate(QuantizedModel quantized)
    {
        int threads = _options.SearchOptions.Threads;
        var embeddings = new List<float[]>();
        var sums = Model.Linears.ToDictionary(l => l.Name, _ => new SqnrAccumulator());
        Transformer.ILinearRunner runner = quantized.Runner(threads);
        for (int start = 0; start < _evaluationTokens.Length; start += BatchTexts)
        {
            int[][] batch = _evaluationTokens[start..Math.Min(_evaluationTokens.Length, start + BatchTexts)];
            var reference = new CapturingLinear(threads);
            new SentenceEncoder(Model, reference).Embed(batch);
            var inside = new OutputRecorder(runner);
            embeddings.AddRange(new SentenceEncoder(quantized.Model, inside).Embed(batch));
            foreach (LayerSample sample in reference.Samples())
            {
                LinearLayer quantizedLayer = quantized.Model.Linears.First(l => l.Name == sample.Layer.Name);
                var local = new float[sample.Output.Length];
                runner.Run(quantizedLayer, sample.Input, sample.Rows, local);
                sums[sample.Layer.Name].Add(sample.Output, local, inside.Outputs[sample.Layer.Name]);
            }
            _progress.Step($"{quantized.Method.Name()} {quantized.Bits}: held-out", Math.Min(_evaluationTokens.Length, start + BatchTexts), _evaluationTokens.Length);
        }
        var layers = Model.Linears.Select(l => new LayerResult(l.Name, sums[l.Name].LocalDecibels, sums[l.Name].EndToEndDecibels,
            quantized.Layers.FirstOrDefault(q => q.Layer == l.Name)?.CalibrationMse ?? 0)).ToArray();
        return (embeddings.ToArray(), quantized.Method == QuantizationMethod.Fp32 ? [] : layers);
    }

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

    /// <summary>Runs another runner and keeps each layer's output of the last call.</summary>
    private sealed class OutputRecorder(Transformer.ILinearRunner inner) : Transformer.ILinearRunner
    {
        public Dictionary<string, float[]> Outputs { get; } = [];

        public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
        {
            inner.Run(layer, input, rows, output);
            Outputs[layer.Name] = output[..(rows * layer.Out)].ToArray();
        }
    }
}
