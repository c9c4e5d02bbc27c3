using System.Diagnostics;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Train;

/// <summary>
/// Trains the decoder on byte text with its block linears in one <see cref="ILinearGemms"/> setting: AdamW on FP32
/// master weights, global-norm clipping, warmup + cosine schedule, a fixed validation set.
/// </summary>
/// <remarks>
/// Seeds: a <see cref="SplitMix64"/> seeded by the run seed gives, in order, the weight-initialization seed and the
/// batch-sampler seed; the backward GEMMs of step s (0-based), layer l, linear k get
/// SplitMix64(seed ⊕ ((s + 1)·2³² + l·2⁸ + k)·0x9E3779B97F4A7C15).Next() with k = 0 QKV, 1 attention output, 2 gate/up,
/// 3 down. None depends on the setting, so settings with the same seed start from the same weights and see the
/// same batches.
/// </remarks>
public sealed class Trainer
{
    private readonly DecoderConfig _config;
    private readonly ILinearGemms _gemms;
    private readonly TrainingOptions _options;

    /// <summary>A trainer for <paramref name="config"/> with its block linears in <paramref name="gemms"/>.</summary>
    /// <exception cref="ArgumentException">The configuration or the options are invalid (one-line reason).</exception>
    public Trainer(DecoderConfig config, ILinearGemms gemms, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(gemms);
        ArgumentNullException.ThrowIfNull(options);
        config.Validate();
        options.Validate();
        config.ValidateBatch(options.BatchSize);
        config.ValidateBatch(options.ValidationWindows);
        (_config, _gemms, _options) = (config, gemms, options);
    }

    /// <summary>
    /// Runs <see cref="TrainingOptions.Steps"/> steps on <paramref name="data"/>, calling <paramref name="progress"/>
    /// after each step with its record.
    /// </summary>
    public TrainingResult Run(TextData data, Action<TrainingRecord>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var seeds = new SplitMix64(_options.Seed);
        var parameters = new DecoderParameters(_config, seeds.Next());
        var sampler = new BatchSampler(data.Train, _config.Context, _options.BatchSize, seeds.Next());
        (byte[] validationInputs, byte[] validationTargets) =
            BatchSampler.EvenlySpaced(data.Validation, _config.Context, _options.ValidationWindows);
        var model = new DecoderModel(parameters, _gemms);
        var optimizer = new AdamW(parameters.All, _options.Beta1, _options.Beta2, _options.Epsilon, _options.WeightDecay);
        var schedule = new LearningRateSchedule(_options.PeakLearningRate, _options.Steps, _options.WarmupFraction,
            _options.FinalLearningRateFraction);

        var records = new List<TrainingRecord>(_options.Steps);
        var clock = Stopwatch.StartNew();
        long stepTicks = 0, stepGemmTicks = 0, evaluationTicks = 0;
        for (int step = 0; step < _options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp(), gemmStart = model.LinearGemmTicks;
            (byte[] inputs, byte[] targets) = sampler.Next();
            double loss = model.Forward(inputs, targets, _options.BatchSize);
            model.Backward(_options.Seed, step);
            GradientClipping.ClipGlobalNorm(parameters.All, _options.ClipNorm);
            double lr = schedule.At(step);
            optimizer.Step(lr);
            stepTicks += Stopwatch.GetTimestamp() - start;
            stepGemmTicks += model.LinearGemmTicks - gemmStart;

            double? validationLoss = null;
            if ((step + 1) % _options.EvalEvery == 0 || step + 1 == _options.Steps)
            {
                long evaluationStart = Stopwatch.GetTimestamp();
                validationLoss = model.Forward(validationInputs, validationTargets, _options.ValidationWindows, keepForBackward: false);
                evaluationTicks += Stopwatch.GetTimestamp() - evaluationStart;
            }

            var record = new TrainingRecord(step + 1, loss, validationLoss, lr, clock.Elapsed.TotalSeconds);
            records.Add(record);
            progress?.Invoke(record);
        }

        var time = new TrainingTime(_options.Steps, Seconds(stepTicks), Seconds(stepGemmTicks), Seconds(evaluationTicks));
        return new TrainingResult(_gemms.Name, records, time);
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
