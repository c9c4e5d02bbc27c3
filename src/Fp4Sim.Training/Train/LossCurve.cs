namespace Fp4Sim.Training.Train;

/// <summary>
/// One training run to chart: its label and records, and the two curves a loss chart draws from them (the chart
/// itself is drawn by the tool, fp4sim; the library only says what to draw).
/// </summary>
public sealed record LossCurve(string Label, IReadOnlyList<TrainingRecord> Records)
{
    /// <summary>The window of <see cref="TrainingMean"/>: one step's loss is one batch, too noisy to read a trend from.</summary>
    public const int Smoothing = 20;

    /// <summary>(step, validation loss) at every evaluation step, in order.</summary>
    public IReadOnlyList<(int Step, double Loss)> Validation() =>
        Records.Where(r => r.ValidationLoss is not null).Select(r => (r.Step, r.ValidationLoss!.Value)).ToArray();

    /// <summary>(step, mean training loss of the <see cref="Smoothing"/> steps up to it), from the first full window on.</summary>
    public IReadOnlyList<(int Step, double Loss)> TrainingMean()
    {
        var points = new List<(int, double)>();
        double sum = 0;
        for (int i = 0; i < Records.Count; i++)
        {
            sum += Records[i].TrainLoss;
            if (i >= Smoothing) sum -= Records[i - Smoothing].TrainLoss;
            if (i >= Smoothing - 1) points.Add((Records[i].Step, sum / Smoothing));
        }
        return points;
    }
}
