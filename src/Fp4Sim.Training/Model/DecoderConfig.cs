namespace Fp4Sim.Training.Model;

/// <summary>
/// Shape of the small Llama-style decoder: byte tokens, RoPE, pre-norm RMSNorm, fused QKV, SwiGLU FFN (fused gate/up),
/// final RMSNorm and an untied head; no biases. Every block-linear dimension is a multiple of 32 so that each of its
/// GEMMs can be run in MXFP4 blocks of 32.
/// </summary>
/// <param name="VocabSize">Token count (256: the UTF-8 bytes).</param>
/// <param name="Context">Tokens per window (sequence length).</param>
/// <param name="ModelDim">Width of the residual stream, d.</param>
/// <param name="Layers">Decoder blocks.</param>
/// <param name="Heads">Attention heads; d / heads is the head dimension.</param>
/// <param name="FfnHidden">SwiGLU hidden width (the gate/up linear has 2 · this outputs).</param>
/// <param name="NormEpsilon">RMSNorm epsilon.</param>
/// <param name="InitStd">Standard deviation of the normal initialization of the matrices and the embedding.</param>
/// <param name="RopeBase">RoPE frequency base.</param>
public sealed record DecoderConfig(
    int VocabSize = 256,
    int Context = 64,
    int ModelDim = 128,
    int Layers = 2,
    int Heads = 4,
    int FfnHidden = 256,
    float NormEpsilon = 1e-5f,
    float InitStd = 0.02f,
    double RopeBase = 10000)
{
    /// <summary>The MXFP4 block size every block-linear dimension must be a multiple of.</summary>
    public const int BlockSize = 32;

    /// <summary>Width of one head, d / heads.</summary>
    public int HeadDim => ModelDim / Heads;

    /// <summary>Weights of the block linears (QKV, attention output, gate/up, down), the ones a setting quantizes.</summary>
    public long BlockLinearParameters => (long)Layers * (4L * ModelDim * ModelDim + 3L * FfnHidden * ModelDim);

    /// <summary>Every trained value: block linears, norm gains, the embedding and the untied head.</summary>
    public long TotalParameters => BlockLinearParameters + (2L * Layers + 1) * ModelDim + 2L * VocabSize * ModelDim;

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when the shape is unusable.</summary>
    public void Validate()
    {
        Require(VocabSize > 0, $"VocabSize must be positive, got {VocabSize}");
        Require(Context > 0, $"Context must be positive, got {Context}");
        Require(Layers > 0, $"Layers must be positive, got {Layers}");
        Require(Heads > 0, $"Heads must be positive, got {Heads}");
        Require(ModelDim > 0 && ModelDim % BlockSize == 0, $"ModelDim must be a positive multiple of {BlockSize}, got {ModelDim}");
        Require(FfnHidden > 0 && FfnHidden % BlockSize == 0, $"FfnHidden must be a positive multiple of {BlockSize}, got {FfnHidden}");
        Require(ModelDim % Heads == 0, $"Heads ({Heads}) must divide ModelDim ({ModelDim})");
        Require(HeadDim % 2 == 0, $"the head dimension (ModelDim / Heads = {HeadDim}) must be even for RoPE");
        Require(NormEpsilon > 0 && float.IsFinite(NormEpsilon), $"NormEpsilon must be positive, got {NormEpsilon}");
        Require(InitStd > 0 && float.IsFinite(InitStd), $"InitStd must be positive, got {InitStd}");
        Require(RopeBase > 1 && double.IsFinite(RopeBase), $"RopeBase must be above 1, got {RopeBase}");
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="batchSize"/> windows make a token count that is a
    /// positive multiple of 32 (the rows of every block-linear GEMM).
    /// </summary>
    public void ValidateBatch(int batchSize)
    {
        Require(batchSize > 0, $"batch size must be positive, got {batchSize}");
        long tokens = (long)batchSize * Context;
        Require(tokens % BlockSize == 0, $"batch size × Context ({batchSize} × {Context} = {tokens}) must be a multiple of {BlockSize}");
        Require(tokens <= int.MaxValue / Math.Max(VocabSize, 3 * ModelDim),
            $"batch size × Context ({tokens} tokens) is too large for one step's arrays");
    }

    private static void Require(bool condition, string reason)
    {
        if (!condition) throw new ArgumentException($"Invalid decoder configuration: {reason}.");
    }
}
