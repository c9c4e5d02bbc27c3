using System.Globalization;
using Fp4Sim.Cli.Charts;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Model;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim llmfp4 tokenize|embed|run</c>: the LLM-FP4 pipeline on USE-Lite. Parses options, calls
/// <see cref="Experiment"/> and prints; no arithmetic here.
/// </summary>
public static class LlmFp4Command
{
    private static readonly string[] RunOptions =
        ["method", "bits", "calib", "train", "eval", "seed", "threads", "rounds", "out", "model-dir", "data-dir", "acc", "preshift"];

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string action, string[] argv, TextReader stdin, TextWriter stdout, TextWriter stderr) => action switch
    {
        "tokenize" => Tokenize(new ArgumentReader("llmfp4 tokenize", argv, "model-dir"), stdin, stdout),
        "embed" => Embed(new ArgumentReader("llmfp4 embed", argv, RunOptions.Where(o => o != "out").ToArray()), stdin, stdout),
        "export" => Export(new ArgumentReader("llmfp4 export", argv, "model-dir", "out"), stdout),
        "export-layer" => ExportLayer(new ArgumentReader("llmfp4 export-layer", argv, "layer", "method", "bits", "rows", "tokens", "calib", "seed",
            "rounds", "threads", "out", "model-dir", "data-dir"), stdout),
        _ => RunExperiment(new ArgumentReader("llmfp4 run", argv, RunOptions), stdout, stderr),
    };

    private static int Tokenize(ArgumentReader args, TextReader stdin, TextWriter stdout)
    {
        string dir = ModelDirectory(args);
        var tokenizer = Load(() => SentencePieceTokenizer.Load(Path.Combine(dir, "vocab.json")));
        int maxTokens = Load(() => UseLiteModel.Load(dir)).MaxTokens;
        while (stdin.ReadLine() is { } line)
            stdout.Write(string.Join(' ', tokenizer.Encode(line).Take(maxTokens).Select(id => id.ToString(CultureInfo.InvariantCulture))) + "\n");
        stdout.Flush();
        return 0;
    }

    private const int EmbedBatch = 64;

    private static int Embed(ArgumentReader args, TextReader stdin, TextWriter stdout)
    {
        string dir = ModelDirectory(args);
        var tokenizer = Load(() => SentencePieceTokenizer.Load(Path.Combine(dir, "vocab.json")));
        SentenceEncoder encoder;
        string? methodName = args.Optional("method");
        if (methodName is null || methodName == "fp32")
        {
            if (methodName is null && args.Optional("bits") is not null) throw new CliException("llmfp4 embed: --bits needs --method");
            if (args.Optional("acc") is not null) throw new CliException("llmfp4 embed: --acc needs a quantized --method");
            if (args.Optional("preshift") is not null) throw new CliException("llmfp4 embed: --preshift needs a quantized --method and --acc");
            encoder = new SentenceEncoder(Load(() => UseLiteModel.Load(dir)), Float32Linear.Instance);
        }
        else
        {
            QuantizationMethod method = ParseMethod("llmfp4 embed", methodName, allowAll: false)[0];
            BitSetting bits = ParseBits("llmfp4 embed", args.Optional("bits") ?? "4/4/4", allowAll: false)[0];
            ExperimentOptions options = Options(args, dir, train: (int)args.Integer("train", 1000, 10, 5000, "an integer 10..5000"),
                evaluation: (int)args.Integer("eval", 500, 10, 5000, "an integer 10..5000"), [bits]);
            var (model, calibration) = Load(() => Experiment.LoadCalibration(options));
            QuantizedModel quantized = Calibrator.Calibrate(model, calibration, method, bits, options.SearchOptions);
            encoder = Setup(() => quantized.WithExecution(options.Execution)).Encoder(options.SearchOptions.Threads);
        }
        // Batches of 64 sentences as they arrive: memory does not grow with the input.
        var batch = new List<int[]>(EmbedBatch);
        for (bool more = true; more;)
        {
            batch.Clear();
            while (batch.Count < EmbedBatch && stdin.ReadLine() is { } line) batch.Add(tokenizer.Encode(line));
            more = batch.Count == EmbedBatch;
            if (batch.Count == 0) break;
            foreach (float[] embedding in encoder.Embed(batch.ToArray()))
                stdout.Write(string.Join(' ', embedding.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n");
        }
        stdout.Flush();
        return 0;
    }

    /// <summary>Writes the model's tensors, under their TensorFlow.js names, to one safetensors file (atomically).</summary>
    private static int Export(ArgumentReader args, TextWriter stdout)
    {
        string dir = ModelDirectory(args), path = args.Required("out");
        OutputPaths.RequireWritable("llmfp4 export", path);
        TensorSet tensors = Load(() => TfjsWeights.Load(dir));
        Load(() => UseLiteModel.FromTensors(tensors)); // the export is a model this code can run
        try
        {
            Safetensors.Write(path, tensors.Tensors,
                new Dictionary<string, string> { ["source"] = "USE-Lite (TensorFlow.js), exported by fp4sim" });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"llmfp4 export: cannot write '{path}': {e.Message}");
        }
        stdout.Write($"wrote {path} ({tensors.Count} tensors)\n");
        stdout.Flush();
        return 0;
    }

    /// <summary>
    /// One layer's real quantized rows and real calibration activations as psb_mac golden vectors (form (a), the
    /// layer's exact register): the unit's Verilog, testbench, vectors.hex and manifest.json.
    /// </summary>
    private static int ExportLayer(ArgumentReader args, TextWriter stdout)
    {
        string name = args.Required("layer"), dir = args.Required("out");
        QuantizationMethod method = ParseMethod("llmfp4 export-layer", args.Optional("method") ?? "fpq", allowAll: false)[0];
        if (method is not (QuantizationMethod.Fpq or QuantizationMethod.FpqBaseline or QuantizationMethod.MinMaxFp or QuantizationMethod.MxFp4))
            throw new CliException(
                $"llmfp4 export-layer: --method {method.Name()} has no psb_mac or mx_dot (expected fpq, fpq-baseline, minmax-fp or mxfp4)");
        BitSetting bits = ParseBits("llmfp4 export-layer", args.Optional("bits") ?? "4/4/4", allowAll: false)[0];
        int rows = (int)args.Integer("rows", 4, 1, 4096, "an integer 1..4096");
        int tokens = (int)args.Integer("tokens", 2, 1, 4096, "an integer 1..4096");
        OutputPaths.RequireWritableFolder("llmfp4 export-layer", dir);
        ExperimentOptions options = Options(args, ModelDirectory(args), train: 10, evaluation: 10, [bits]);
        var (model, calibration) = Load(() => Experiment.LoadCalibration(options));
        LayerSample sample = calibration.FirstOrDefault(s => s.Layer.Name == name) ?? throw new CliException(
            $"llmfp4 export-layer: unknown --layer '{name}' (expected {string.Join(", ", model.Linears.Select(l => l.Name))})");
        if (tokens > sample.Rows || rows > sample.Layer.Out)
            throw new CliException($"llmfp4 export-layer: {name} has {sample.Rows} calibration tokens and {sample.Layer.Out} rows " +
                $"(asked {tokens} and {rows})");
        Hardware.IRtlUnit unit;
        Hardware.VectorSet vectors;
        if (method == QuantizationMethod.MxFp4)
        {
            MxLayerExport mx = Setup(() => LayerExporter.MxDot(sample.Layer, sample.Input, tokens, rows));
            (unit, vectors) = (mx.Unit, mx.Vectors);
        }
        else
        {
            LayerQuantization q = Calibrator.CalibrateLayer(sample, method, bits, options.SearchOptions);
            LayerExport psb = Setup(() => LayerExporter.PreShiftedMac(IntegerLayer.Create(sample.Layer, q, PreShiftForm.ShiftInMac),
                sample.Input, tokens, rows));
            (unit, vectors) = (psb.Unit, psb.Vectors);
        }
        try
        {
            var written = Hardware.RtlFiles.WriteUnit(unit, vectors, dir);
            foreach (string path in written) stdout.Write($"wrote {path}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"llmfp4 export-layer: cannot write to '{dir}': {e.Message}");
        }
        string each = method == QuantizationMethod.MxFp4 ? $"{sample.Layer.In / 32} blocks" : $"{sample.Layer.In} steps";
        stdout.Write($"{unit.ModuleName}: {vectors.Count} vectors ({tokens} tokens x {rows} rows x {each})\n");
        stdout.Flush();
        return 0;
    }

    private static int RunExperiment(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        IReadOnlyList<QuantizationMethod> methods = ParseMethod("llmfp4 run", args.Required("method"), allowAll: true);
        IReadOnlyList<BitSetting> settings = ParseBits("llmfp4 run", args.Optional("bits") ?? "4/4/4", allowAll: true);
        string? outDir = args.Optional("out");
        if (outDir is not null) OutputPaths.RequireWritableFolder("llmfp4 run", outDir);
        ExperimentOptions options = Options(args, ModelDirectory(args), train: (int)args.Integer("train", 1000, 10, 5000, "an integer 10..5000"),
            evaluation: (int)args.Integer("eval", 500, 10, 5000, "an integer 10..5000"), settings);
        var results = new List<MethodResult>();
        string setup = "";
        ProgressBars.Run(progress =>
        {
            Experiment experiment = Load(() => Experiment.Load(options, progress));
            var runs = new List<(QuantizationMethod, BitSetting)>();
            foreach (BitSetting bits in settings)
                foreach (QuantizationMethod method in methods)
                {
                    if (method == QuantizationMethod.Fp32 && runs.Any(r => r.Item1 == method)) continue;
                    if (method == QuantizationMethod.MxFp4 && methods.Count > 1 && (bits.Weight != 4 || bits.Activation != 4)) continue;
                    runs.Add((method, method == QuantizationMethod.Fp32 ? new BitSetting(32, 32, 32) : bits));
                }
            results.AddRange(Setup(() => experiment.RunAll(runs)));
            setup = $"USE-Lite, SpamAssassin split seed {options.Seed}: {experiment.Description}; " +
                $"float32 head accuracy {experiment.ReferenceAccuracy:F4}.";
        }, stderr);
        stdout.Write(setup + "\n\n");
        stdout.Write(ResultsReport.Table(results));
        stdout.Write(ResultsReport.MacTable(results));
        foreach (MethodResult r in results) stdout.Write(r.SummaryLine() + "\n");
        stdout.Flush();
        if (outDir is not null) WriteReport(outDir, results, setup, stdout);
        return 0;
    }

    private static void WriteReport(string outDir, IReadOnlyList<MethodResult> results, string setup, TextWriter stdout)
    {
        var files = new List<OutputFile>
        {
            OutputFile.Text(Path.Combine(outDir, "results.csv"), ResultsReport.Csv(results)),
            OutputFile.Text(Path.Combine(outDir, "results.md"), ResultsReport.Markdown(results, setup)),
            new(Path.Combine(outDir, "results.svg"), ResultsChart.Render(PlotPoint.From(results), ChartFormat.Svg)),
        };
        foreach (MethodResult r in results.Where(r => r.Method != QuantizationMethod.Fp32))
            files.Add(OutputFile.Text(Path.Combine(outDir, $"quantizers-{r.Method.Name()}-{r.Bits.ToString().Replace('/', '-')}.json"),
                ResultsReport.QuantizersJson(r)));
        OutputFiles.WriteAll("llmfp4 run", files, stdout);
    }

    /// <summary>Runs work that prepares layers for the MAC engine; a layer it cannot run is bad input (exit 2).</summary>
    internal static T Setup<T>(Func<T> work)
    {
        try { return work(); }
        catch (MacSetupException e) { throw new CliException($"--acc: {e.Message}"); }
    }

    /// <summary><c>--acc</c> and <c>--preshift a|b</c>, parsed once; null when the layers run fake-quant.</summary>
    private static MacExecution? Execution(ArgumentReader args, IReadOnlyList<BitSetting> settings)
    {
        string? acc = args.Optional("acc"), form = args.Optional("preshift");
        if (acc is null)
            return form is null ? null : throw new CliException("--preshift needs --acc (the pre-shift form is how the MAC engine runs FPQ)");
        MacAccumulator accumulator;
        try { accumulator = MacAccumulator.Parse(acc); }
        catch (FormatException e) { throw new CliException($"--acc: {e.Message}"); }
        PreShiftForm preShift = form switch
        {
            null or "a" => PreShiftForm.ShiftInMac,
            "b" => PreShiftForm.FoldedWeights,
            _ => throw new CliException($"--preshift '{form}': expected a (shift in the MAC) or b (folded into the weights)"),
        };
        if (settings.FirstOrDefault(b => !BitSetting.Quantizes(b.Weight) || !BitSetting.Quantizes(b.Activation)) is { } bad)
            throw new CliException($"--acc: bits {bad} leave weights or activations in float32; the MAC engine runs quantized codes only");
        return new MacExecution(accumulator, preShift);
    }

    /// <summary>
    /// The experiment options every verb on the model shares (<c>--calib --seed --rounds --threads --data-dir</c>, and
    /// <c>--acc/--preshift</c> where the verb takes them), with the verb's own train and evaluation counts.
    /// </summary>
    internal static ExperimentOptions Options(ArgumentReader args, string modelDir, int train, int evaluation,
        IReadOnlyList<BitSetting>? settings = null) => new(
        modelDir,
        args.Optional("data-dir") ?? ModelLocation.DefaultDataDirectory(),
        Calibration: (int)args.Integer("calib", 32, 1, 1000, "an integer 1..1000"),
        Train: train,
        Evaluation: evaluation,
        Seed: (int)args.Integer("seed", 0, 0, int.MaxValue, "an integer 0..2147483647"),
        Search: new SearchOptions(Rounds: (int)args.Integer("rounds", 3, 1, 10, "an integer 1..10"),
            Threads: (int)args.Integer("threads", 0, 0, 1024, "an integer 0..1024; 0 means all cores")),
        Execution: Execution(args, settings ?? []));

    private static IReadOnlyList<QuantizationMethod> ParseMethod(string verb, string text, bool allowAll)
    {
        if (allowAll && text == "all") return MethodNames.All;
        return MethodNames.Parse(text) is { } m ? [m]
            : throw new CliException(
                $"{verb}: unknown --method '{text}' (expected fp32, minmax-int, minmax-fp, fpq-baseline, fpq, mxfp4{(allowAll ? " or all" : "")})");
    }

    private static IReadOnlyList<BitSetting> ParseBits(string verb, string text, bool allowAll)
    {
        if (allowAll && text == "all") return BitSetting.Standard;
        return BitSetting.Parse(text, out string? error) is { } bits ? [bits] : throw new CliException($"{verb}: {error}");
    }

    /// <summary>
    /// A missing model or corpus is the environment's problem (exit 3, naming the set-up command); a corrupt,
    /// truncated or mismatched file is bad input (exit 2, one line naming the file and what is wrong).
    /// </summary>
    internal static T Load<T>(Func<T> load)
    {
        const string Setup = "run 'bash scripts/setup.sh' to fetch and verify the model and the corpus";
        try { return load(); }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            throw new EnvironmentException(e.Message.Contains("setup.sh", StringComparison.Ordinal) ? e.Message : $"{e.Message} ({Setup})");
        }
        catch (Exception e) when (e is ModelFileException or VocabularyException or InvalidDataException) { throw new CliException(e.Message); }
    }

    internal static string ModelDirectory(ArgumentReader args)
    {
        string dir = args.Optional("model-dir") ?? ModelLocation.DefaultModelDirectory();
        if (!Directory.Exists(dir))
            throw new EnvironmentException(
                $"model folder '{dir}' not found (run 'bash scripts/setup.sh' to fetch and verify the model, or pass --model-dir)");
        return dir;
    }
}
