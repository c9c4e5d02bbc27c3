using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Quartet;

/// <summary>Options of the Quartet setting.</summary>
/// <param name="StochasticBackward">SR instead of RTN in the backward quantizer (Quartet v1–v3; v4 and the kernels use RTN).</param>
/// <param name="Placement">Where the backward Hadamard's random signs sit (default diag(ξ)·H, the fixed branch).</param>
public sealed record QuartetOptions(bool StochasticBackward = false, SignPlacement Placement = SignPlacement.Before)
{
    /// <summary>The backward quantizer these options select.</summary>
    public QuartetMethod BackwardMethod => StochasticBackward ? QuartetMethod.AbsMaxSr : QuartetMethod.AbsMax;
}

/// <summary>
/// The seeds one backward call derives from its seed: a <see cref="SplitMix64"/> stream started at the call's seed gives,
/// in order, the dgrad signs, the wgrad signs, and the stochastic-rounding streams of dY, Wᵀ (dgrad), dYᵀ and Xᵀ (wgrad).
/// </summary>
public readonly record struct BackwardStreams(ulong DgradSigns, ulong WgradSigns, ulong GradOutput, ulong Weight,
    ulong GradOutputTransposed, ulong InputTransposed)
{
    /// <summary>The seeds of the call with seed <paramref name="seed"/>.</summary>
    public static BackwardStreams From(ulong seed)
    {
        var s = new SplitMix64(seed);
        return new BackwardStreams(s.Next(), s.Next(), s.Next(), s.Next(), s.Next(), s.Next());
    }
}

/// <summary>One MXFP4 GEMM of a Quartet linear layer: Product = A·Bᵀ (row-major A.Rows × B.Rows), binary32 accumulation.</summary>
/// <param name="Name">forward, dgrad or wgrad.</param>
/// <param name="A">The left operand, quantized along the reduction dimension.</param>
/// <param name="B">The right operand, quantized along the reduction dimension.</param>
/// <param name="Product">The exact MXFP4 GEMM's output.</param>
public sealed record QuartetGemm(string Name, QuartetTensor A, QuartetTensor B, float[] Product);

/// <summary>
/// Quartet's linear layer (Algorithm 1): forward y = Q(X·H)·Q(W·H)ᵀ with the QuEST quantizer; dgrad and wgrad rotate
/// both operands along their reduction dimension with a fresh randomized Hadamard Ĥ, requantize them with the absmax 3/4
/// quantizer, multiply, scale by 16/9, apply the forward trust mask and rotate back with Hᵀ. All three GEMMs are the
/// exact MXFP4 GEMM with a binary32 fused-add accumulator across blocks (<see cref="MxFp4Gemm"/>).
/// </summary>
public sealed class QuartetLinearGemms(QuartetOptions options) : ILinearGemms
{
    /// <summary>The accumulator of every GEMM: binary32, one fused add per block term, block 0 first.</summary>
    public static readonly Accumulator Accumulator = new IeeeAccumulator(KnownFormats.Fp32);

    private static readonly float RescaleLimit = MathF.ScaleB(1f, 123);

    /// <summary>The saved forward operands (rotated, quantized) with their trust masks.</summary>
    public sealed record Saved(QuartetTensor Input, QuartetTensor Weight);

    /// <summary>The setting with the default options (RTN backward, diag(ξ)·H).</summary>
    public QuartetLinearGemms() : this(new QuartetOptions()) { }

    /// <summary>The options.</summary>
    public QuartetOptions Options { get; } = options;

    /// <summary>Where this setting's time went, over every call so far.</summary>
    public QuartetTimes Times { get; } = new();

    /// <inheritdoc/>
    public string Name => "quartet";

    /// <inheritdoc/>
    public LinearForward Forward(float[] x, float[] w, int tokens, int inputs, int outputs)
    {
        HadamardRotation h = HadamardRotation.Fixed;
        float[] xr = Times.Rotate(() => h.RotateRows(x, tokens, inputs)), wr = Times.Rotate(() => h.RotateRows(w, outputs, inputs));
        QuartetTensor xq = Times.Quantize(() => QuartetTensor.Quantize(QuartetMethod.Quest, xr, tokens, inputs));
        QuartetTensor wq = Times.Quantize(() => QuartetTensor.Quantize(QuartetMethod.Quest, wr, outputs, inputs));
        float[] y = Times.Multiply(() => MxFp4Gemm.Multiply(xq.Matrix, wq.Matrix, Accumulator));
        return new LinearForward(y, tokens, inputs, outputs, new Saved(xq, wq));
    }

    /// <inheritdoc/>
    public LinearGradients Backward(LinearForward forward, float[] dy, ulong seed)
    {
        var saved = (Saved)forward.Saved;
        (QuartetGemm dgrad, QuartetGemm wgrad) = BackwardProducts(forward, dy, seed);
        float[] dxRotated = Times.Other(() => Masked(Rescaled(dgrad.Product), saved.Input));
        float[] dwRotated = Times.Other(() => Masked(Rescaled(wgrad.Product), saved.Weight));
        HadamardRotation back = HadamardRotation.Fixed.Inverse;
        return new LinearGradients(Times.Rotate(() => back.RotateRows(dxRotated, forward.Tokens, forward.Inputs)),
            Times.Rotate(() => back.RotateRows(dwRotated, forward.Outputs, forward.Inputs)));
    }

    /// <summary>The forward GEMM's operands and product (y).</summary>
    public static QuartetGemm ForwardProduct(LinearForward forward)
    {
        var saved = (Saved)forward.Saved;
        return new QuartetGemm("forward", saved.Input, saved.Weight, forward.Output);
    }

    /// <summary>
    /// The two backward GEMMs' operands and raw products (before ×16/9, mask and Hᵀ): dgrad reduces over the outputs,
    /// A = Q(dY·Ĥ) (tokens × outputs), B = Q(Wqᵀ·Ĥ) (inputs × outputs); wgrad reduces over the tokens, A = Q(dYᵀ·Ĥ'),
    /// B = Q(Xqᵀ·Ĥ').
    /// </summary>
    public (QuartetGemm Dgrad, QuartetGemm Wgrad) BackwardProducts(LinearForward forward, float[] dy, ulong seed)
    {
        var saved = (Saved)forward.Saved;
        int t = forward.Tokens, k = forward.Inputs, n = forward.Outputs;
        BackwardStreams seeds = BackwardStreams.From(seed);
        float[] weightT = Times.Other(() => saved.Weight.Values(transpose: true)), inputT = Times.Other(() => saved.Input.Values(transpose: true));
        float[] dyT = Times.Other(() => MatrixLayout.Transpose(dy, t, n));
        QuartetGemm dgrad = BackwardProduct("dgrad", dy, t, weightT, k, n, seeds.DgradSigns, seeds.GradOutput, seeds.Weight);
        QuartetGemm wgrad = BackwardProduct("wgrad", dyT, n, inputT, k, t, seeds.WgradSigns, seeds.GradOutputTransposed, seeds.InputTransposed);
        return (dgrad, wgrad);
    }

    /// <summary>
    /// One backward GEMM: A (m × r) and B (n × r) rotated along r with the same random Hadamard, quantized with the
    /// absmax 3/4 quantizer, and multiplied.
    /// </summary>
    private QuartetGemm BackwardProduct(string name, float[] a, int m, float[] b, int n, int r, ulong signSeed, ulong seedA, ulong seedB)
    {
        HadamardRotation h = HadamardRotation.Random(signSeed, Options.Placement);
        float[] ar = Times.Rotate(() => h.RotateRows(a, m, r)), br = Times.Rotate(() => h.RotateRows(b, n, r));
        QuartetTensor aq = Times.Quantize(() => QuartetTensor.Quantize(Options.BackwardMethod, ar, m, r, seedA));
        QuartetTensor bq = Times.Quantize(() => QuartetTensor.Quantize(Options.BackwardMethod, br, n, r, seedB));
        return new QuartetGemm(name, aq, bq, Times.Multiply(() => MxFp4Gemm.Multiply(aq.Matrix, bq.Matrix, Accumulator)));
    }

    private static float[] Rescaled(float[] product)
    {
        float[] c = [.. product];
        RescaleBackward(c);
        return c;
    }

    /// <summary>
    /// c ← RNE32(16 · c / 9), one rounding: the two blocks of a backward product each hold 3/4 of their values. In
    /// float32 16·c is exact and IEEE division rounds once; beyond 2^123 the core's exact quotient does it.
    /// </summary>
    public static void RescaleBackward(Span<float> c)
    {
        var exact = new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee);
        for (int i = 0; i < c.Length; i++)
        {
            float v = c[i];
            c[i] = Math.Abs(v) < RescaleLimit || !float.IsFinite(v)
                ? v * 16f / 9f
                : BitConverter.UInt32BitsToSingle(Encoder.EncodeQuotient(KnownFormats.Fp32, 16.0 * v, 9, exact));
        }
    }

    /// <summary>Zeroes the gradient of every element the forward quantizer clipped (QuEST's trust estimator).</summary>
    internal static float[] Masked(float[] gradient, QuartetTensor forward)
    {
        for (int i = 0; i < gradient.Length; i++)
            if (!forward.Kept(i)) gradient[i] = 0;
        return gradient;
    }
}
