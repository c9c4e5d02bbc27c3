namespace Fp4Sim.Training.Model;

/// <summary>
/// The arithmetic of one linear layer's three GEMMs, y = X·Wᵀ, dX = dY·W and dW = dYᵀ·X, for X of
/// <c>tokens × inputs</c>, W of <c>outputs × inputs</c> (the (out, in) layout of a linear layer) and dY of
/// <c>tokens × outputs</c>, all row-major float32. A training setting (FP32, Quartet, naive MXFP4) is one implementation;
/// the model around it does not change. Implementations must not modify the arrays they are given (x, w, dy): the
/// model reuses them.
/// </summary>
public interface ILinearGemms
{
    /// <summary>Name of the setting (fp32, quartet, naive).</summary>
    string Name { get; }

    /// <summary>y = X·Wᵀ; the result keeps what <see cref="Backward"/> needs (the quantized operands and masks, or X and W).</summary>
    LinearForward Forward(float[] x, float[] w, int tokens, int inputs, int outputs);

    /// <summary>
    /// dX and dW from dY; <paramref name="seed"/> draws this call's random numbers (Hadamard signs, stochastic rounding),
    /// so a run with the same seeds is the same run.
    /// </summary>
    LinearGradients Backward(LinearForward forward, float[] dy, ulong seed);
}

/// <summary>The output of a linear layer's forward GEMM and what its backward pass needs.</summary>
/// <param name="Output">y, <c>tokens × outputs</c>.</param>
/// <param name="Tokens">Rows of X.</param>
/// <param name="Inputs">Columns of X (the reduction dimension of the forward GEMM).</param>
/// <param name="Outputs">Rows of W.</param>
/// <param name="Saved">The setting's own saved state (opaque to the model).</param>
public sealed record LinearForward(float[] Output, int Tokens, int Inputs, int Outputs, object Saved);

/// <summary>The gradients of a linear layer's two operands.</summary>
/// <param name="Input">dX, <c>tokens × inputs</c>.</param>
/// <param name="Weight">dW, <c>outputs × inputs</c>.</param>
public sealed record LinearGradients(float[] Input, float[] Weight);
