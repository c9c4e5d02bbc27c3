using System.Globalization;
using Fp4Sim.Training.Model;
using Fp4Sim.Training.Quartet;

namespace Fp4Sim.Training.Train;

/// <summary>The lines <c>fp4sim quartet train</c> prints (stable, machine-readable).</summary>
public static class TrainingReport
{
    /// <summary>One line describing the model, the data and the run.</summary>
    public static string Header(DecoderConfig c, TextData data, TrainingOptions o) => F(
        $"decoder {c.Layers} layers, d {c.ModelDim}, {c.Heads} heads, SwiGLU {c.FfnHidden}, context {c.Context}, byte vocabulary {c.VocabSize}; ") +
        F($"{c.BlockLinearParameters:N0} block-linear / {c.TotalParameters:N0} parameters; ") +
        F($"{data.TrainDocuments:N0} train / {data.ValidationDocuments:N0} validation ham mails ") +
        F($"({data.Train.Length:N0} / {data.Validation.Length:N0} bytes); ") +
        F($"batch {o.BatchSize} x {c.Context} bytes, {o.Steps} steps, peak lr {o.PeakLearningRate}, seed {o.Seed}");

    /// <summary>An evaluation step: <c>&lt;label&gt; step &lt;s&gt; train &lt;loss&gt; val &lt;loss&gt; lr &lt;lr&gt; &lt;seconds&gt;s</c>.</summary>
    public static string Progress(string label, TrainingRecord r) =>
        F($"{label} step {r.Step} train {r.TrainLoss:0.0000} val {r.ValidationLoss:0.0000} lr {r.LearningRate:0.000000} {r.Seconds:0.0}s");

    /// <summary>
    /// The run's result: final validation loss, the mean training loss of the last 20 steps, milliseconds per step and
    /// how it splits between the block-linear GEMMs and the rest.
    /// </summary>
    public static string Result(string label, TrainingResult r)
    {
        double trainTail = r.Records.TakeLast(20).Average(x => x.TrainLoss);
        return F($"result {label} steps {r.Time.Steps} val {r.FinalValidationLoss:0.0000} train {trainTail:0.0000} ") +
            F($"ms/step {r.Time.MillisecondsPerStep:0.0} gemm {1000 * r.Time.LinearGemmSeconds / Math.Max(1, r.Time.Steps):0.0} ") +
            F($"other {1000 * r.Time.OtherSeconds / Math.Max(1, r.Time.Steps):0.0} eval-s {r.Time.EvaluationSeconds:0.0}");
    }

    /// <summary>
    /// Where a Quartet run's linear-layer time went, in milliseconds per training step (the validation forwards
    /// included): rotations, quantization, the MXFP4 GEMMs, and the rest (transposes, rescale, masks).
    /// </summary>
    public static string QuartetTime(string label, QuartetTimes t, int steps) =>
        F($"time {label} rotate {Per(t.Rotation, steps):0.0} quantize {Per(t.Quantization, steps):0.0} ") +
        F($"gemm {Per(t.Gemm, steps):0.0} rest {Per(t.Rest, steps):0.0} ms/step");

    private static double Per(TimeSpan time, int steps) => time.TotalMilliseconds / Math.Max(1, steps);

    /// <summary>The gap of a run's final validation loss to the full-precision run's, absolute and relative.</summary>
    public static string Gap(string label, double validation, double fp32Validation) =>
        F($"gap {label} {validation - fp32Validation:+0.0000;-0.0000} ({(validation - fp32Validation) / fp32Validation:+0.0%;-0.0%}) vs fp32");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
