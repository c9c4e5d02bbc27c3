using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Train;

/// <summary>
/// AdamW with bias correction and decoupled weight decay (p ← p·(1 − lr·wd) on <see cref="Parameter.Decay"/> tensors
/// only, before the Adam update, as in PyTorch), on FP32 master weights.
/// </summary>
internal sealed class AdamW
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;

    /// <summary>An optimizer with zero moments over <paramref name="parameters"/>.</summary>
    public AdamW(IReadOnlyList<Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        _parameters = parameters;
        _firstMoments = [.. parameters.Select(p => new float[p.Value.Length])];
        _secondMoments = [.. parameters.Select(p => new float[p.Value.Length])];
        (_beta1, _beta2, _epsilon, _weightDecay) = (beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>Updates taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>One update of every parameter from its <see cref="Parameter.Grad"/> with learning rate <paramref name="lr"/>.</summary>
    public void Step(double lr)
    {
        Steps++;
        double correction1 = 1 - Math.Pow(_beta1, Steps), correction2 = 1 - Math.Pow(_beta2, Steps);
        float b1 = (float)_beta1, b2 = (float)_beta2;
        float stepSize = (float)(lr / correction1), rootCorrection2 = (float)Math.Sqrt(correction2), eps = (float)_epsilon;
        for (int k = 0; k < _parameters.Count; k++)
        {
            Parameter p = _parameters[k];
            float decay = p.Decay ? (float)(1 - lr * _weightDecay) : 1f;
            float[] value = p.Value, grad = p.Grad, m = _firstMoments[k], v = _secondMoments[k];
            for (int i = 0; i < value.Length; i++)
            {
                float g = grad[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                // lr·m̂/(√v̂ + eps) with m̂ = m/c1, v̂ = v/c2.
                value[i] = value[i] * decay - stepSize * m[i] / (MathF.Sqrt(v[i]) / rootCorrection2 + eps);
            }
        }
    }
}

/// <summary>Global-norm gradient clipping.</summary>
internal static class GradientClipping
{
    /// <summary>
    /// The L2 norm of all gradients together (summed in double); when above <paramref name="maxNorm"/> every gradient
    /// is scaled by maxNorm / norm. Returns the norm before clipping.
    /// </summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        double sumSquares = 0;
        foreach (Parameter p in parameters)
            foreach (float g in p.Grad) sumSquares += (double)g * g;
        double norm = Math.Sqrt(sumSquares);
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / norm);
            foreach (Parameter p in parameters) System.Numerics.Tensors.TensorPrimitives.Multiply(p.Grad, scale, p.Grad);
        }
        return norm;
    }
}
