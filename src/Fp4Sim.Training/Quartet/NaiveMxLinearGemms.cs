using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
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
    private sealed record Saved(MxMatrix Input, MxMatrix Weight);

    /// <inheritdoc/>
    public string Name => "naive";

    /// <inheritdoc/>
    public LinearForward Forward(float[] x, float[] w, int tokens, int inputs, int outputs)
    {
        MxMatrix xq = Quantize(x, tokens, inputs), wq = Quantize(w, outputs, inputs);
        float[] y = MxFp4Gemm.Multiply(xq, wq, QuartetLinearGemms.Accumulator);
        return new LinearForward(y, tokens, inputs, outputs, new Saved(xq, wq));
    }

    /// <inheritdoc/>
    public LinearGradients Backward(LinearForward forward, float[] dy, ulong seed)
    {
        var saved = (Saved)forward.Saved;
        int t = forward.Tokens, k = forward.Inputs, n = forward.Outputs;
        float[] dx = MxFp4Gemm.Multiply(Quantize(dy, t, n), Quantize(Transposed(saved.Weight), k, n), QuartetLinearGemms.Accumulator);
        float[] dw = MxFp4Gemm.Multiply(Quantize(Fp32LinearGemms.Transpose(dy, t, n), n, t), Quantize(Transposed(saved.Input), k, t),
            QuartetLinearGemms.Accumulator);
        return new LinearGradients(dx, dw);
    }

    private static MxMatrix Quantize(float[] m, int rows, int columns)
    {
        HadamardRotation.CheckShape(m.Length, rows, columns);
        return MxMatrix.Quantize(KnownBlockFormats.MxFp4, m, rows, columns, new BlockQuantizeOptions());
    }

    private static float[] Transposed(MxMatrix q)
    {
        var values = new float[q.Data.Elements.Length];
        MxDequantizer.ToSingle(q, values, transpose: true);
        return values;
    }
}
