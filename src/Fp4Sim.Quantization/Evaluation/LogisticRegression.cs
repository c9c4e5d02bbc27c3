namespace Fp4Sim.Quantization.Evaluation;

/// <summary>
/// A binary logistic-regression head, p(spam | x) = σ(w·x + c), fitted by Newton's method on the L2-penalized
/// log-likelihood (penalty λ/2·|w|², the intercept unpenalized) in binary64. Deterministic: no randomness, fixed
/// iteration order, a fixed number of Newton steps at most.
/// </summary>
public sealed class LogisticRegression
{
    private readonly double[] _weights;
    private readonly double _intercept;

    private LogisticRegression(double[] weights, double intercept) { _weights = weights; _intercept = intercept; }

    /// <summary>Fits the head on feature rows and labels.</summary>
    /// <param name="features">One row per example, all the same width.</param>
    /// <param name="labels">True for the positive class.</param>
    /// <param name="lambda">L2 penalty on the weights (default 1).</param>
    /// <param name="iterations">Newton steps at most (stops earlier when the step is below 1e-10).</param>
    public static LogisticRegression Fit(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, double lambda = 1.0, int iterations = 25)
    {
        if (features.Count == 0 || features.Count != labels.Count)
            throw new ArgumentException($"{features.Count} feature rows for {labels.Count} labels");
        int n = features.Count, d = features[0].Length + 1; // last coordinate: the intercept
        var theta = new double[d];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[d];
            var hessian = new double[d * d];
            var x = new double[d];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d - 1; j++) x[j] = features[i][j];
                x[d - 1] = 1;
                double p = Sigmoid(Dot(theta, x)), residual = p - (labels[i] ? 1 : 0), weight = p * (1 - p);
                for (int j = 0; j < d; j++)
                {
                    gradient[j] += residual * x[j];
                    double wx = weight * x[j];
                    for (int k = 0; k <= j; k++) hessian[j * d + k] += wx * x[k];
                }
            }
            for (int j = 0; j < d; j++)
            {
                for (int k = 0; k < j; k++) hessian[k * d + j] = hessian[j * d + k];
                if (j < d - 1) { gradient[j] += lambda * theta[j]; hessian[j * d + j] += lambda; }
                else hessian[j * d + j] += 1e-9;
            }
            double[] step = Cholesky.Solve(hessian, gradient, d);
            double size = 0;
            for (int j = 0; j < d; j++) { theta[j] -= step[j]; size = Math.Max(size, Math.Abs(step[j])); }
            if (size < 1e-10) break;
        }
        return new LogisticRegression(theta[..^1], theta[^1]);
    }

    /// <summary>p(positive | x).</summary>
    public double Probability(float[] x)
    {
        double z = _intercept;
        for (int j = 0; j < _weights.Length; j++) z += _weights[j] * x[j];
        return Sigmoid(z);
    }

    /// <summary>Fraction of rows whose predicted class (p ≥ ½) equals the label.</summary>
    public double Accuracy(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels)
    {
        int correct = 0;
        for (int i = 0; i < features.Count; i++) if (Probability(features[i]) >= 0.5 == labels[i]) correct++;
        return (double)correct / features.Count;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}

/// <summary>Solves A·x = b for a symmetric positive definite A (row-major n×n) by Cholesky factorization.</summary>
internal static class Cholesky
{
    public static double[] Solve(double[] a, double[] b, int n)
    {
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (sum <= 0) throw new InvalidOperationException("the Newton system is not positive definite");
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
            y[i] = sum / l[i * n + i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
            x[i] = sum / l[i * n + i];
        }
        return x;
    }
}
