using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Training.Model;

/// <summary>The full-precision setting: the three GEMMs in float32 (<see cref="Sgemm"/>), nothing quantized.</summary>
public sealed class Fp32LinearGemms : ILinearGemms
{
    private sealed record Operands(float[] X, float[] W);

    /// <inheritdoc/>
    public string Name => "fp32";

    /// <inheritdoc/>
    public LinearForward Forward(float[] x, float[] w, int tokens, int inputs, int outputs)
    {
        var y = new float[tokens * outputs];
        Sgemm.Multiply(x, MatrixLayout.Transpose(w, outputs, inputs), y, tokens, outputs, inputs);
        return new LinearForward(y, tokens, inputs, outputs, new Operands(x, w));
    }

    /// <inheritdoc/>
    public LinearGradients Backward(LinearForward forward, float[] dy, ulong seed)
    {
        var (x, w) = (Operands)forward.Saved;
        int t = forward.Tokens, k = forward.Inputs, n = forward.Outputs;
        var dx = new float[t * k];
        Sgemm.Multiply(dy, w, dx, t, k, n);
        var dw = new float[n * k];
        Sgemm.Multiply(MatrixLayout.Transpose(dy, t, n), x, dw, n, k, t);
        return new LinearGradients(dx, dw);
    }
}
