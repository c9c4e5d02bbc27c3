namespace Fp4Sim.Training.Train;

/// <summary>One step of a run.</summary>
/// <param name="Step">1-based step number (after this step's update).</param>
/// <param name="TrainLoss">Mean cross-entropy (nats per byte) of this step's batch, before its update.</param>
/// <param name="ValidationLoss">
/// Mean cross-entropy on the fixed validation windows after the update, on evaluation steps only; the forward pass runs
/// the block linears in the run's own setting (the model as that setting trains and would serve it).
/// </param>
/// <param name="LearningRate">The rate of this step's update.</param>
/// <param name="Seconds">Wall time since the run started (evaluations included).</param>
public sealed record TrainingRecord(int Step, double TrainLoss, double? ValidationLoss, double LearningRate, double Seconds);

/// <summary>
/// Where a run's time went. Training steps (forward, backward, clipping, optimizer) are split into time inside
/// <see cref="Model.ILinearGemms"/> calls and the rest; evaluation is counted apart.
/// </summary>
/// <param name="Steps">Training steps timed.</param>
/// <param name="StepSeconds">Total time of the training steps.</param>
/// <param name="LinearGemmSeconds">Part of <paramref name="StepSeconds"/> spent inside the block linears' GEMMs.</param>
/// <param name="EvaluationSeconds">Time of the validation passes (not in <paramref name="StepSeconds"/>).</param>
public sealed record TrainingTime(int Steps, double StepSeconds, double LinearGemmSeconds, double EvaluationSeconds)
{
    /// <summary>Training-step time outside the block linears: embedding, norms, RoPE, attention, SwiGLU, head, loss, optimizer.</summary>
    public double OtherSeconds => StepSeconds - LinearGemmSeconds;

    /// <summary>Mean milliseconds per training step.</summary>
    public double MillisecondsPerStep => Steps == 0 ? 0 : 1000 * StepSeconds / Steps;

    /// <summary>Share of the training-step time spent in the block linears' GEMMs.</summary>
    public double LinearGemmShare => StepSeconds == 0 ? 0 : LinearGemmSeconds / StepSeconds;
}

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
/// <param name="Setting">The <see cref="Model.ILinearGemms.Name"/> the block linears ran in.</param>
/// <param name="Records">One record per step, in order.</param>
/// <param name="Time">The time breakdown.</param>
public sealed record TrainingResult(string Setting, IReadOnlyList<TrainingRecord> Records, TrainingTime Time)
{
    /// <summary>The last validation loss.</summary>
    public double FinalValidationLoss => Records.Last(r => r.ValidationLoss is not null).ValidationLoss!.Value;
}
