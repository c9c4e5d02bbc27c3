namespace Fp4Sim.Quantization.Transformer;

/// <summary>
/// One fully connected layer in TensorFlow's convention, y = x·W + b: <see cref="Weight"/> is [in, out] row-major, so
/// row j holds input channel j (the reduction dimension) and column k output channel k.
/// </summary>
/// <param name="Name">Short stable name used in reports and JSON (e.g. <c>layer0.qkv</c>).</param>
/// <param name="In">Input features (the reduction length).</param>
/// <param name="Out">Output features.</param>
/// <param name="Weight">The [in, out] weight, row-major.</param>
/// <param name="Bias">The [out] bias.</param>
public sealed record LinearLayer(string Name, int In, int Out, float[] Weight, float[] Bias)
{
    /// <summary>A copy of this layer with another weight of the same shape (e.g. its fake-quantized version).</summary>
    public LinearLayer WithWeight(float[] weight)
    {
        if (weight.Length != In * Out) throw new ArgumentException($"{Name}: weight has {weight.Length} values, {In}×{Out} expected");
        return this with { Weight = weight };
    }
}

/// <summary>LayerNorm parameters: y = γ ⊙ (x − mean) / sqrt(var + ε) + β over the last dimension.</summary>
public sealed record LayerNormParameters(float[] Scale, float[] Offset, float Epsilon)
{
    /// <summary>Feature count.</summary>
    public int Width => Scale.Length;
}

/// <summary>One pre-LayerNorm transformer layer of the encoder.</summary>
/// <param name="Index">0 or 1.</param>
/// <param name="Width">Model width after the layer (its residual stream).</param>
/// <param name="AttentionNorm">LayerNorm before the attention.</param>
/// <param name="Qkv">The fused query/key/value projection [in, 3·width].</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="QueryScale">Factor applied to the queries (1/sqrt(head width), read from the graph).</param>
/// <param name="AttentionOut">Output projection of the attention.</param>
/// <param name="ResidualProjection">Projection of the un-normalized input onto the new width, where the width grows; otherwise null.</param>
/// <param name="FfnNorm">LayerNorm before the feed-forward block.</param>
/// <param name="FfnUp">First feed-forward projection (ReLU follows).</param>
/// <param name="FfnDown">Second feed-forward projection.</param>
public sealed record EncoderLayer(
    int Index, int Width, LayerNormParameters AttentionNorm, LinearLayer Qkv, int Heads, float QueryScale,
    LinearLayer AttentionOut, LinearLayer? ResidualProjection, LayerNormParameters FfnNorm, LinearLayer FfnUp, LinearLayer FfnDown);
