using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Tests.Model;
using Fp4Sim.Quantization.Tests.Text;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Tests.Inference;

/// <summary>
/// USE-Lite calibrated on 8 real mails (one short search round) for three methods, plus 10 other real mails to run:
/// loaded once for every MAC-engine test. Fails loudly, naming the set-up command, when the model or corpus is absent.
/// </summary>
public sealed class RealModelFixture
{
    public UseLiteModel Model { get; }

    public IReadOnlyList<LayerSample> Calibration { get; }

    public int[][] Texts { get; }

    public QuantizedModel Fpq { get; }

    public QuantizedModel MinMaxInt { get; }

    public QuantizedModel MinMaxFp { get; }

    public RealModelFixture()
    {
        string modelDir = ModelTestFiles.RequireUseLiteDirectory();
        string dataDir = TestPaths.RequireDirectory(TestPaths.DataDirectory());
        var search = new SearchOptions(Rounds: 1, GammaSteps: 20, Threads: 2);
        var options = new ExperimentOptions(modelDir, dataDir, Calibration: 8, Train: 10, Evaluation: 10, Seed: 3, Search: search);
        (Model, Calibration) = Experiment.LoadCalibration(options);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(modelDir, "vocab.json"));
        CorpusSplits splits = SpamCorpus.Split(SpamCorpus.Load(dataDir), options.Seed, options.Calibration, options.Train, options.Evaluation);
        Texts = splits.Evaluation.Select(m => tokenizer.Encode(m.Text)).ToArray();
        Fpq = Calibrator.Calibrate(Model, Calibration, QuantizationMethod.Fpq, new BitSetting(4, 4, 4), search);
        MinMaxInt = Calibrator.Calibrate(Model, Calibration, QuantizationMethod.MinMaxInt, new BitSetting(4, 4, 8), search);
        MinMaxFp = Calibrator.Calibrate(Model, Calibration, QuantizationMethod.MinMaxFp, new BitSetting(4, 4, 4), search);
    }

    public QuantizedModel ByName(string method) => method switch
    {
        "fpq" => Fpq,
        "minmax-int" => MinMaxInt,
        _ => MinMaxFp,
    };
}

[CollectionDefinition(Name)]
public sealed class RealModelCollection : ICollectionFixture<RealModelFixture>
{
    public const string Name = "USE-Lite calibrated for the MAC engine";
}
