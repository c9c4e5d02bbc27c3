using Fp4Sim.Training.Model.Ops;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>The vectorized exponential against Math.Exp.</summary>
public class VectorMathTests
{
    [Fact]
    public void ExpIsWithinAFewUlpsOverTheWholeRangeAndNeverInfinite()
    {
        // 100 003 points: not a multiple of the vector width, so the scalar tail runs too.
        float[] x = [.. Enumerable.Range(0, 100_003).Select(i => -87f + 175f * i / 100_003)];
        var y = new float[x.Length];
        VectorMath.Exp(x, y);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(y[i] / Math.Exp(x[i]) - 1) < 3e-7, $"exp({x[i]}) = {y[i]}, want {Math.Exp(x[i])}");

        float[] extremes = [-1000f, -88f, 0f, 89f, 1000f, float.NegativeInfinity, 1f, 2f, -3f];
        var e = new float[extremes.Length];
        VectorMath.Exp(extremes, e);
        Assert.All(e, v => Assert.True(float.IsFinite(v) && v > 0));
        Assert.Equal(1f, e[2]);
        Assert.True(e[0] < 1e-37f);
    }

    [Fact]
    public void SigmoidMatchesTheFormulaAndSaturates()
    {
        float[] x = [.. Enumerable.Range(-400, 801).Select(i => i / 10f)];
        var y = new float[x.Length];
        VectorMath.Sigmoid(x, y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(1 / (1 + Math.Exp(-x[i])), y[i], 1e-7);
        Assert.Equal(0.5f, y[400]);
    }
}
