using Fp4Sim.Training.Model;
using Fp4Sim.Training.Tests.Model;
using Fp4Sim.Training.Train;
using Xunit.Abstractions;

namespace Fp4Sim.Training.Tests.Train;

/// <summary>Short FP32 runs on the real text.</summary>
public class TrainerTests(ITestOutputHelper output)
{
    private static readonly TrainingOptions Short = new(Steps: 30, EvalEvery: 10, Seed: 7);

    [Fact]
    public void ThirtyFp32StepsLowerTheLossWellBelowUniform()
    {
        TrainingResult result = new Trainer(new DecoderConfig(), new Fp32LinearGemms(), Short).Run(CorpusData.Load());
        foreach (TrainingRecord r in result.Records) output.WriteLine($"{r.Step} {r.TrainLoss:F4} {r.ValidationLoss:F4} {r.LearningRate:E3}");
        output.WriteLine($"{result.Time.MillisecondsPerStep:F1} ms/step, GEMM share {result.Time.LinearGemmShare:P1}");

        Assert.Equal("fp32", result.Setting);
        Assert.Equal(Enumerable.Range(1, 30), result.Records.Select(r => r.Step));
        Assert.Equal([10, 20, 30], result.Records.Where(r => r.ValidationLoss is not null).Select(r => r.Step));
        Assert.InRange(result.Records[0].TrainLoss, Math.Log(256) - 0.05, Math.Log(256) + 0.05);
        Assert.True(result.Records[^1].TrainLoss < 4.0, $"final train loss {result.Records[^1].TrainLoss}");
        Assert.True(result.FinalValidationLoss < 4.0, $"final validation loss {result.FinalValidationLoss}");
        Assert.True(result.Time.LinearGemmSeconds > 0 && result.Time.LinearGemmSeconds < result.Time.StepSeconds);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalLossesWhateverTheSettingObject()
    {
        var options = new TrainingOptions(Steps: 6, EvalEvery: 3, Seed: 11);
        var config = new DecoderConfig();
        TrainingResult first = new Trainer(config, new Fp32LinearGemms(), options).Run(CorpusData.Load());
        TrainingResult second = new Trainer(config, new Fp32LinearGemms(), options).Run(CorpusData.Load());
        var recording = new RecordingGemms();
        TrainingResult third = new Trainer(config, recording, options).Run(CorpusData.Load());
        TrainingResult otherSeed = new Trainer(config, new Fp32LinearGemms(), options with { Seed = 12 }).Run(CorpusData.Load());

        double[] Losses(TrainingResult r) => [.. r.Records.SelectMany(x => new[] { x.TrainLoss, x.ValidationLoss ?? -1 })];
        Assert.Equal(Losses(first), Losses(second));
        Assert.Equal(Losses(first), Losses(third));
        Assert.NotEqual(first.Records[0].TrainLoss, otherSeed.Records[0].TrainLoss);
        Assert.Equal(BackwardSeeds.For(11, 0, 1, BlockLinear.Down), recording.Backwards[0].Seed);
        Assert.Equal(BackwardSeeds.For(11, 5, 0, BlockLinear.Qkv), recording.Backwards[^1].Seed);
        Assert.Equal(6 * 8, recording.Backwards.Count);
    }
}
