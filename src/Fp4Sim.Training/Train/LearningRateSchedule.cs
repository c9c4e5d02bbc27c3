namespace Fp4Sim.Training.Train;

/// <summary>
/// Linear warmup over the first ⌈<paramref name="WarmupFraction"/> · steps⌉ steps to <paramref name="Peak"/>, then a
/// cosine down to <paramref name="FinalFraction"/> · peak, reached at the last step.
/// </summary>
/// <param name="Peak">Peak learning rate.</param>
/// <param name="TotalSteps">Steps of the run.</param>
/// <param name="WarmupFraction">Share of the steps spent warming up.</param>
/// <param name="FinalFraction">Final learning rate as a share of the peak.</param>
public sealed record LearningRateSchedule(double Peak, int TotalSteps, double WarmupFraction = 0.1, double FinalFraction = 0.1)
{
    /// <summary>Warmup steps (at least one).</summary>
    public int WarmupSteps => Math.Clamp((int)Math.Ceiling(WarmupFraction * TotalSteps), 1, TotalSteps);

    /// <summary>
    /// The rate of 0-based step <paramref name="step"/>: peak·(step + 1)/warmup during warmup, else
    /// final + (peak − final)·(1 + cos(π·progress))/2 with progress = (step − warmup)/(steps − 1 − warmup) clamped to [0, 1].
    /// </summary>
    public double At(int step)
    {
        int warmup = WarmupSteps;
        if (step < warmup) return Peak * (step + 1) / warmup;
        double progress = Math.Clamp((double)(step - warmup) / Math.Max(1, TotalSteps - 1 - warmup), 0, 1);
        double final = FinalFraction * Peak;
        return final + (Peak - final) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
