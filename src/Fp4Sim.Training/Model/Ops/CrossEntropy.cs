using System.Numerics.Tensors;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>Mean softmax cross-entropy of logits against target tokens.</summary>
internal static class CrossEntropy
{
    /// <summary>
    /// The mean over rows of logsumexp(z) − z[target] (row terms summed in double); when <paramref name="logitsGrad"/>
    /// is not empty it is overwritten with (softmax(z) − onehot(target)) / rows.
    /// </summary>
    public static double Forward(ReadOnlySpan<float> logits, ReadOnlySpan<byte> targets, Span<float> logitsGrad, int vocab)
    {
        int rows = targets.Length;
        Span<float> exps = vocab <= 4096 ? stackalloc float[vocab] : new float[vocab];
        double total = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> z = logits.Slice(row * vocab, vocab);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, exps);
            VectorMath.Exp(exps, exps);
            float sum = TensorPrimitives.Sum(exps); // every term is in (0, 1], one of them 1: no overflow, little rounding
            total += max + Math.Log(sum) - z[targets[row]];
            if (logitsGrad.IsEmpty) continue;

            Span<float> dz = logitsGrad.Slice(row * vocab, vocab);
            TensorPrimitives.Multiply(exps, 1f / (sum * rows), dz);
            dz[targets[row]] -= 1f / rows;
        }
        return total / rows;
    }
}
