namespace Fp4Sim.Training.Tests.Model;

/// <summary>
/// Float64 versions of the decoder's ops, written straight from the formulas, so finite differences on them are exact to
/// ~1e-9 and the float32 backward passes can be checked tightly.
/// </summary>
internal static class DoubleReference
{
    public static double[] RmsNorm(double[] x, double[] gain, int rows, int dim, double epsilon)
    {
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double meanSquare = 0;
            for (int j = 0; j < dim; j++) meanSquare += x[r * dim + j] * x[r * dim + j] / dim;
            double inverse = 1 / Math.Sqrt(meanSquare + epsilon);
            for (int j = 0; j < dim; j++) y[r * dim + j] = x[r * dim + j] * inverse * gain[j];
        }
        return y;
    }

    /// <summary>Interleaved-pair RoPE on the first <paramref name="width"/> columns of each row (stride <paramref name="stride"/>).</summary>
    public static double[] Rope(double[] x, int rows, int stride, int width, int headDim, int context, double ropeBase)
    {
        var y = (double[])x.Clone();
        for (int r = 0; r < rows; r++)
        {
            int position = r % context;
            for (int head = 0; head < width; head += headDim)
            {
                for (int i = 0; i < headDim / 2; i++)
                {
                    double angle = position * Math.Pow(ropeBase, -2.0 * i / headDim);
                    int at = r * stride + head + 2 * i;
                    y[at] = x[at] * Math.Cos(angle) - x[at + 1] * Math.Sin(angle);
                    y[at + 1] = x[at] * Math.Sin(angle) + x[at + 1] * Math.Cos(angle);
                }
            }
        }
        return y;
    }

    public static double[] SwiGlu(double[] gateUp, int rows, int hidden)
    {
        var y = new double[rows * hidden];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double g = gateUp[r * 2 * hidden + j], u = gateUp[r * 2 * hidden + hidden + j];
                y[r * hidden + j] = g / (1 + Math.Exp(-g)) * u;
            }
        }
        return y;
    }

    public static double CrossEntropy(double[] logits, byte[] targets, int vocab)
    {
        double total = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < vocab; j++) max = Math.Max(max, logits[r * vocab + j]);
            double sum = 0;
            for (int j = 0; j < vocab; j++) sum += Math.Exp(logits[r * vocab + j] - max);
            total += max + Math.Log(sum) - logits[r * vocab + targets[r]];
        }
        return total / targets.Length;
    }

    /// <summary>Causal attention on the fused [Q | K | V] layout (no RoPE).</summary>
    public static double[] Attention(double[] qkv, int batch, int seq, int heads, int headDim)
    {
        int d = heads * headDim;
        var output = new double[batch * seq * d];
        var scores = new double[seq];
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int i = 0; i < seq; i++)
                {
                    int qAt = (b * seq + i) * 3 * d + h * headDim;
                    double max = double.NegativeInfinity;
                    for (int j = 0; j <= i; j++)
                    {
                        int kAt = (b * seq + j) * 3 * d + d + h * headDim;
                        double dot = 0;
                        for (int c = 0; c < headDim; c++) dot += qkv[qAt + c] * qkv[kAt + c];
                        scores[j] = dot / Math.Sqrt(headDim);
                        max = Math.Max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) sum += scores[j] = Math.Exp(scores[j] - max);
                    for (int j = 0; j <= i; j++)
                    {
                        int vAt = (b * seq + j) * 3 * d + 2 * d + h * headDim;
                        for (int c = 0; c < headDim; c++) output[(b * seq + i) * d + h * headDim + c] += scores[j] / sum * qkv[vAt + c];
                    }
                }
            }
        }
        return output;
    }

    /// <summary>y = X·Wᵀ.</summary>
    public static double[] Linear(double[] x, double[] w, int tokens, int inputs, int outputs)
    {
        var y = new double[tokens * outputs];
        for (int t = 0; t < tokens; t++)
            for (int o = 0; o < outputs; o++)
                for (int i = 0; i < inputs; i++) y[t * outputs + o] += x[t * inputs + i] * w[o * inputs + i];
        return y;
    }
}
