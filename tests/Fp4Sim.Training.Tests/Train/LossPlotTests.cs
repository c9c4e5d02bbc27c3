using Fp4Sim.Training.Quartet;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Training.Tests.Train;

public class LossPlotTests
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
    public void PlotHasOneCurvePerRunWithItsLabel()
    {
        LossCurve[] runs = [new("fp32", Records(0)), new("quartet", Records(0.2)), new("naive", Records(0.5))];
        string svg = LossPlot.Render(runs, "title & more");
        Assert.Equal(6, svg.Split("<polyline").Length - 1); // a validation line and a train-loss mean per run
        Assert.Equal(9, svg.Split("<circle").Length - 1);
        Assert.Contains(">quartet<", svg);
        Assert.Contains("title &amp; more", svg);
        Assert.Throws<ArgumentException>(() => LossPlot.Render([new LossCurve("x", [new TrainingRecord(1, 1, null, 1, 1)])], "t"));
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
