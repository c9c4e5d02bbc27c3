using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Quartet;

/// <summary>
/// Naive MXFP4 training: every operand of the three GEMMs is quantized with the plain OCP MX conversion (the core's
/// <see cref="BlockQuantizer"/>: scale 2^(floor(log2 amax) − 2), RNE, saturating at ±6) along that GEMM's reduction
/// dimension — no Hadamard, no clip mask (a plain straight-through estimator), no range factor. The forward-quantized
/// X and W are requantized, transposed, for the backward GEMMs, as in Quartet.
/// </summary>
public sealed class NaiveMxLinearGemms : ILinearGemms
{
    private sealed record Saved(QuartetTensor Input, QuartetTensor Weight);

    /// <inheritdoc/>
    public string Name => "naive";

    /// <inheritdoc/>
    public LinearForward Forward(float[] x, float[] w, int tokens, int inputs, int outputs)
    {
        QuartetTensor xq = QuartetTensor.QuantizeOcp(x, tokens, inputs), wq = QuartetTensor.QuantizeOcp(w, outputs, inputs);
        float[] y = MxFp4Gemm.Multiply(xq.Matrix, wq.Matrix, QuartetLinearGemms.Accumulator);
        return new LinearForward(y, tokens, inputs, outputs, new Saved(xq, wq));
    }

    /// <inheritdoc/>
    public LinearGradients Backward(LinearForward forward, float[] dy, ulong seed)
    {
        var saved = (Saved)forward.Saved;
        int t = forward.Tokens, k = forward.Inputs, n = forward.Outputs;
        float[] dx = Product(dy, t, saved.Weight.Values(transpose: true), k, n);
        float[] dw = Product(MatrixLayout.Transpose(dy, t, n), n, saved.Input.Values(transpose: true), k, t);
        return new LinearGradients(dx, dw);
    }

    private static float[] Product(float[] a, int m, float[] b, int n, int r) =>
        MxFp4Gemm.Multiply(QuartetTensor.QuantizeOcp(a, m, r).Matrix, QuartetTensor.QuantizeOcp(b, n, r).Matrix, QuartetLinearGemms.Accumulator);
}
