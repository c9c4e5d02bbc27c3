namespace Fp4Sim.Training.Train;

/// <summary>How a run trains: steps, batch, optimizer, schedule, evaluation and the seed.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Windows per batch (batch · context must be a multiple of 32).</param>
/// <param name="PeakLearningRate">Peak of the cosine schedule.</param>
/// <param name="WarmupFraction">Share of the steps in linear warmup.</param>
/// <param name="FinalLearningRateFraction">Final learning rate as a share of the peak.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay, on the matrices only (linears and head).</param>
/// <param name="Beta1">AdamW β1.</param>
/// <param name="Beta2">AdamW β2.</param>
/// <param name="Epsilon">AdamW ε.</param>
/// <param name="ClipNorm">Global gradient-norm limit.</param>
/// <param name="EvalEvery">Validation loss every this many steps (and at the last step).</param>
/// <param name="ValidationWindows">Fixed validation windows (times the context a multiple of 32).</param>
/// <param name="Seed">
/// Run seed: the initial weights, the batch order and every backward seed derive from it, so two runs with the same seed
/// see the same data in the same order whatever the setting.
/// </param>
public sealed record TrainingOptions(
    int Steps = 1200,
    int BatchSize = 8,
    double PeakLearningRate = 3e-3,
    double WarmupFraction = 0.1,
    double FinalLearningRateFraction = 0.1,
    double WeightDecay = 0.1,
    double Beta1 = 0.9,
    double Beta2 = 0.95,
    double Epsilon = 1e-8,
    double ClipNorm = 1.0,
    int EvalEvery = 100,
    int ValidationWindows = 256,
    ulong Seed = 1)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when an option is out of range.</summary>
    public void Validate()
    {
        Require(Steps > 0, $"Steps must be positive, got {Steps}");
        Require(BatchSize > 0, $"BatchSize must be positive, got {BatchSize}");
        Require(PeakLearningRate > 0 && double.IsFinite(PeakLearningRate), $"PeakLearningRate must be positive, got {PeakLearningRate}");
        Require(WarmupFraction is >= 0 and <= 1, $"WarmupFraction must be in [0, 1], got {WarmupFraction}");
        Require(FinalLearningRateFraction is >= 0 and <= 1, $"FinalLearningRateFraction must be in [0, 1], got {FinalLearningRateFraction}");
        Require(WeightDecay >= 0, $"WeightDecay must not be negative, got {WeightDecay}");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, $"betas must be in [0, 1), got {Beta1} and {Beta2}");
        Require(Epsilon > 0, $"Epsilon must be positive, got {Epsilon}");
        Require(ClipNorm > 0, $"ClipNorm must be positive, got {ClipNorm}");
        Require(EvalEvery > 0, $"EvalEvery must be positive, got {EvalEvery}");
        Require(ValidationWindows > 0, $"ValidationWindows must be positive, got {ValidationWindows}");
    }

    private static void Require(bool condition, string reason)
    {
        if (!condition) throw new ArgumentException($"Invalid training options: {reason}.");
    }
}
