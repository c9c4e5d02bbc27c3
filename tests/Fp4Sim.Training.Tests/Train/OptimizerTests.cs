using Fp4Sim.Training.Model;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Training.Tests.Train;

/// <summary>AdamW, clipping and the learning-rate schedule against hand-computed values.</summary>
public class OptimizerTests
{
    private static Parameter Tensor(string name, bool decay, params float[] values)
    {
        var p = new Parameter(name, 1, values.Length, decay);
        values.CopyTo(p.Value, 0);
        return p;
    }

    [Fact]
    public void AdamWMatchesTwoHandComputedSteps()
    {
        Parameter matrix = Tensor("w", decay: true, 1f, -2f);
        Parameter gain = Tensor("g", decay: false, 3f);
        var adam = new AdamW([matrix, gain], beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1);

        // Step 1: m̂ = g, v̂ = g², so the update is lr·sign(g); decay multiplies the matrix by 1 − 0.1·0.1 first.
        (matrix.Grad[0], matrix.Grad[1], gain.Grad[0]) = (0.5f, 0.1f, 1f);
        adam.Step(0.1);
        Assert.Equal(0.99 - 0.1, matrix.Value[0], 1e-6);
        Assert.Equal(-1.98 - 0.1, matrix.Value[1], 1e-6);
        Assert.Equal(2.9, gain.Value[0], 1e-6); // no decay on gains

        // Step 2 with g = (−0.5, 0.1): m = (−0.005, 0.019), v = (0.024375, 0.000975), c1 = 0.19, c2 = 0.0975.
        (matrix.Grad[0], matrix.Grad[1]) = (-0.5f, 0.1f);
        gain.Grad[0] = 0f;
        adam.Step(0.1);
        Assert.Equal(0.89 * 0.99 + 0.1 * (0.005 / 0.19) / Math.Sqrt(0.024375 / 0.0975), matrix.Value[0], 1e-6);
        Assert.Equal(-2.08 * 0.99 - 0.1 * (0.019 / 0.19) / Math.Sqrt(0.000975 / 0.0975), matrix.Value[1], 1e-6);
        // m = 0.09, v = 0.0475: m̂ = 0.09/0.19, v̂ = 0.0475/0.0975.
        Assert.Equal(2.9 - 0.1 * (0.09 / 0.19) / Math.Sqrt(0.0475 / 0.0975), gain.Value[0], 1e-6);
        Assert.Equal(2, adam.Steps);
    }

    [Fact]
    public void ClippingScalesToTheGlobalNormOnlyAboveTheLimit()
    {
        Parameter a = Tensor("a", true, 0f, 0f), b = Tensor("b", false, 0f);
        (a.Grad[0], a.Grad[1], b.Grad[0]) = (3f, 0f, 4f);
        Assert.Equal(5.0, GradientClipping.ClipGlobalNorm([a, b], 1.0), 1e-12);
        Assert.Equal([0.6f, 0f, 0.8f], [a.Grad[0], a.Grad[1], b.Grad[0]]);

        (a.Grad[0], b.Grad[0]) = (0.3f, 0.4f);
        Assert.Equal(0.5, GradientClipping.ClipGlobalNorm([a, b], 1.0), 1e-7);
        Assert.Equal([0.3f, 0.4f], [a.Grad[0], b.Grad[0]]);
    }

    [Fact]
    public void ScheduleWarmsUpLinearlyThenFollowsTheCosineToTenPercent()
    {
        var schedule = new LearningRateSchedule(Peak: 1.0, TotalSteps: 13);
        Assert.Equal(2, schedule.WarmupSteps); // ⌈1.3⌉
        Assert.Equal(0.5, schedule.At(0), 1e-12);
        Assert.Equal(1.0, schedule.At(1), 1e-12);
        Assert.Equal(1.0, schedule.At(2), 1e-12);
        Assert.Equal(0.55, schedule.At(7), 1e-12); // halfway through the cosine
        Assert.Equal(0.1, schedule.At(12), 1e-12);
        for (int s = 2; s < 12; s++) Assert.True(schedule.At(s + 1) < schedule.At(s));

        var defaults = new LearningRateSchedule(3e-3, 400);
        Assert.Equal(40, defaults.WarmupSteps);
        Assert.Equal(3e-3 * 20 / 40, defaults.At(19), 1e-15);
    }

    [Fact]
    public void InvalidOptionsAreRefusedWithTheReason()
    {
        var gemms = new Fp32LinearGemms();
        var batch = Assert.Throws<ArgumentException>(() => new Trainer(new DecoderConfig(Context: 48), gemms, new TrainingOptions(BatchSize: 3)));
        Assert.Contains("3 × 48 = 144", batch.Message);
        var steps = Assert.Throws<ArgumentException>(() => new Trainer(new DecoderConfig(), gemms, new TrainingOptions(Steps: 0)));
        Assert.Contains("Steps must be positive", steps.Message);
    }
}
