using Fp4Sim.Training.Quartet;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Training.Tests.Train;

public class LossCurveTests
{
    private static TrainingRecord[] Records(double offset) =>
        [.. Enumerable.Range(1, 60).Select(s => new TrainingRecord(s, 5 - s / 20.0 + offset, s % 20 == 0 ? 4.5 - s / 30.0 + offset : null, 1e-3, s))];

    [Fact]
    public void CsvRoundTripsAndBadLinesAreNamed()
    {
        TrainingRecord[] records = Records(0.1);
        IReadOnlyList<TrainingRecord> back = TrainingLog.ReadCsv(new StringReader(TrainingLog.ToCsv(records)));
        Assert.Equal(records.Select(r => (r.Step, r.TrainLoss, r.ValidationLoss, r.LearningRate)),
            back.Select(r => (r.Step, r.TrainLoss, r.ValidationLoss, r.LearningRate)));
        Assert.Contains("line 1", Assert.Throws<InvalidDataException>(() => TrainingLog.ReadCsv(new StringReader("a,b\n"))).Message);
        string bad = TrainingLog.Header + "\n1,2,,0.1,1\n2,x,,0.1,1\n";
        Assert.Contains("line 3", Assert.Throws<InvalidDataException>(() => TrainingLog.ReadCsv(new StringReader(bad))).Message);
    }

    [Fact]
    public void CurveHasTheValidationPointsAndTheRunningMeanOfTheTrainingLoss()
    {
        var curve = new LossCurve("fp32", Records(0));
        Assert.Equal([(20, 4.5 - 20 / 30.0), (40, 4.5 - 40 / 30.0), (60, 2.5)], curve.Validation());
        IReadOnlyList<(int Step, double Loss)> mean = curve.TrainingMean();
        Assert.Equal(Enumerable.Range(LossCurve.Smoothing, 60 - LossCurve.Smoothing + 1), mean.Select(p => p.Step));
        // The loss falls by 1/20 a step, so the mean of steps s-19..s is the loss at step s - 9.5.
        Assert.All(mean, p => Assert.Equal(5 - (p.Step - 9.5) / 20.0, p.Loss, 1e-12));
        Assert.Empty(new LossCurve("short", Records(0)[..(LossCurve.Smoothing - 1)]).TrainingMean());
    }

    [Fact]
    public void SettingsParseCreateAndLabel()
    {
        Assert.Equal("quartet", TrainingSettings.Create(TrainingSettings.Parse("Quartet")).Name);
        Assert.Equal("naive", TrainingSettings.Create(TrainingSetting.Naive).Name);
        Assert.Equal("fp32", TrainingSettings.Create(TrainingSetting.Fp32).Name);
        Assert.Throws<FormatException>(() => TrainingSettings.Parse("bf16"));
        Assert.Equal("quartet-sr", TrainingSettings.Label(TrainingSetting.Quartet, new QuartetOptions(StochasticBackward: true)));
        Assert.Equal("quartet", TrainingSettings.Label(TrainingSetting.Quartet, new QuartetOptions()));
        Assert.Equal("naive", TrainingSettings.Label(TrainingSetting.Naive, new QuartetOptions(StochasticBackward: true)));
    }
}
