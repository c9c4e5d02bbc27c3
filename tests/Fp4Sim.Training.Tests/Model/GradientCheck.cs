using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>Finite differences and comparisons for the backward-pass tests.</summary>
internal static class GradientCheck
{
    public static float[] Normal(int length, ulong seed, double std = 1)
    {
        var values = new float[length];
        new NormalSampler(seed).Fill(values, std);
        return values;
    }

    public static double[] ToDouble(float[] values) => [.. values.Select(v => (double)v)];

    /// <summary>Σ weights ⊙ values, the scalar whose gradient with respect to <c>values</c> is <c>weights</c>.</summary>
    public static double Project(double[] values, float[] weights)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++) sum += values[i] * weights[i];
        return sum;
    }

    /// <summary>Central differences of <paramref name="loss"/> with respect to every entry of <paramref name="at"/> (float64).</summary>
    public static double[] Numeric(Func<double[], double> loss, float[] at, double step = 1e-5)
    {
        double[] x = ToDouble(at);
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + step;
            double plus = loss(x);
            x[i] = saved - step;
            double minus = loss(x);
            x[i] = saved;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>
    /// Asserts every entry of the float32 <paramref name="analytic"/> gradient is within
    /// <paramref name="relative"/> of the largest reference entry (plus the same share of its own size).
    /// </summary>
    public static void AssertClose(double[] numeric, ReadOnlySpan<float> analytic, string what, double relative = 1e-4)
    {
        Assert.Equal(numeric.Length, analytic.Length);
        double scale = numeric.Max(Math.Abs);
        Assert.True(scale > 1e-6, $"{what}: the reference gradient is all but zero ({scale}); the check would be empty");
        for (int i = 0; i < numeric.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]);
            Assert.True(error <= relative * (scale + Math.Abs(numeric[i])),
                $"{what}[{i}]: analytic {analytic[i]} vs numeric {numeric[i]} (scale {scale})");
        }
    }
}
