using Fp4Sim.Quantization.Model;

namespace Fp4Sim.Quantization.Transformer;

/// <summary>
/// Universal Sentence Encoder Lite: an 8002×256 token embedding plus a sinusoidal timing signal, two pre-LayerNorm
/// transformer layers (256 → 512 wide, 4 heads, ReLU FFN of 1536), a masked mean over tokens, a 512×512 tanh layer
/// and L2 normalization. Weights and the graph's scalar constants are read from the TensorFlow.js weight files and
/// checked against the shapes this code expects before anything runs.
/// </summary>
public sealed class UseLiteModel
{
    private const string Encode = "module_apply_default/Encoder_en/KonaTransformer/Encode/";
    private const string Stack = Encode + "TransformerStack/";

    /// <summary>Rows of the embedding table (token ids 0..8001).</summary>
    public int VocabularyRows { get; }

    /// <summary>Width of a token embedding (256).</summary>
    public int EmbeddingWidth { get; }

    /// <summary>The token embedding table, [rows, width] row-major.</summary>
    public float[] Embeddings { get; }

    /// <summary>The timing signal's inverse wavelengths; position p gets concat(sin(p·f), cos(p·f)).</summary>
    public float[] TimingFrequencies { get; }

    /// <summary>The two transformer layers.</summary>
    public IReadOnlyList<EncoderLayer> Layers { get; }

    /// <summary>The tanh layer applied to the pooled sentence vector.</summary>
    public LinearLayer Head { get; }

    /// <summary>Tokens kept per sentence (the graph clips positions ≥ this).</summary>
    public int MaxTokens { get; }

    /// <summary>Floor of the squared norm before the final L2 normalization.</summary>
    public float L2Epsilon { get; }

    /// <summary>Width of the sentence embedding (512).</summary>
    public int OutputWidth => Head.Out;

    /// <summary>The ten fully connected layers in execution order (the layers LLM-FP4 quantizes).</summary>
    public IReadOnlyList<LinearLayer> Linears { get; }

    private UseLiteModel(float[] embeddings, int rows, int width, float[] timing, EncoderLayer[] layers, LinearLayer head,
        int maxTokens, float l2Epsilon)
    {
        Embeddings = embeddings; VocabularyRows = rows; EmbeddingWidth = width; TimingFrequencies = timing;
        Layers = layers; Head = head; MaxTokens = maxTokens; L2Epsilon = l2Epsilon;
        var linears = new List<LinearLayer>();
        foreach (EncoderLayer l in layers)
        {
            linears.Add(l.Qkv); linears.Add(l.AttentionOut);
            if (l.ResidualProjection is not null) linears.Add(l.ResidualProjection);
            linears.Add(l.FfnUp); linears.Add(l.FfnDown);
        }
        linears.Add(head);
        Linears = linears;
    }

    /// <summary>A copy with other weights for some linear layers and, optionally, another embedding table (the quantized model).</summary>
    public UseLiteModel With(IReadOnlyDictionary<string, float[]> weights, float[]? embeddings = null)
    {
        LinearLayer Swap(LinearLayer l) => weights.TryGetValue(l.Name, out float[]? w) ? l.WithWeight(w) : l;
        EncoderLayer[] layers = Layers.Select(l => l with
        {
            Qkv = Swap(l.Qkv),
            AttentionOut = Swap(l.AttentionOut),
            ResidualProjection = l.ResidualProjection is null ? null : Swap(l.ResidualProjection),
            FfnUp = Swap(l.FfnUp),
            FfnDown = Swap(l.FfnDown),
        }).ToArray();
        if (embeddings is not null && embeddings.Length != Embeddings.Length)
            throw new ArgumentException($"embedding table has {embeddings.Length} values, {Embeddings.Length} expected");
        return new UseLiteModel(embeddings ?? Embeddings, VocabularyRows, EmbeddingWidth, TimingFrequencies,
            layers, Swap(Head), MaxTokens, L2Epsilon);
    }

    /// <summary>Loads and validates the model from a folder holding <c>model.json</c> and its shards.</summary>
    /// <exception cref="ModelFileException">A file is missing, malformed, or a tensor has an unexpected shape.</exception>
    public static UseLiteModel Load(string modelDirectory) => FromTensors(TfjsWeights.Load(modelDirectory));

    /// <summary>
    /// Builds the model from a tensor set under the TensorFlow.js names (read from the tfjs files, or from a safetensors
    /// export of them), checking every shape.
    /// </summary>
    public static UseLiteModel FromTensors(TensorSet t)
    {
        float[] embeddings = t.GetFloat("module/Embeddings_en", 8002, 256);
        float[] timing = t.GetFloat(Stack + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", 1, 128);
        float epsilon = Scalar(t, Stack + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x");
        var layers = new EncoderLayer[2];
        for (int i = 0; i < 2; i++)
        {
            int inWidth = i == 0 ? 256 : 512, width = 512;
            string layer = Encode + $"Layer_{i}/TransformerLayer/", stack = Stack + $"Layer_{i}/TransformerLayer/";
            string attention = $"module/Encoder_en/KonaTransformer/Encode/Layer_{i}/TransformerLayer/MultiheadAttention/";
            LayerNormParameters Norm(string prefix, int w) => new(
                t.GetFloat(prefix + "layer_norm/layer_norm_scale/ConcatPartitions/concat", w),
                t.GetFloat(prefix + "layer_norm/layer_norm_bias/ConcatPartitions/concat", w), epsilon);
            LinearLayer Linear(string name, string weight, int[] weightShape, string bias, int din, int dout) =>
                new(name, din, dout, t.GetFloat(weight, weightShape), t.GetFloat(bias, dout));

            LinearLayer qkv = Linear($"layer{i}.qkv", attention + "qkv_transform_single/kernel/part_0", [1, 1, inWidth, 3 * inWidth],
                layer + "MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat", inWidth, 3 * inWidth);
            LinearLayer output = Linear($"layer{i}.attn_out", attention + "output_transform_single/kernel/part_0", [1, 1, inWidth, width],
                layer + "MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat", inWidth, width);
            LinearLayer? residual = inWidth == width
                ? null
                : Linear($"layer{i}.residual", layer + "dense/kernel/ConcatPartitions/concat", [inWidth, width],
                    layer + "dense/bias/ConcatPartitions/concat", inWidth, width);
            LinearLayer up = Linear($"layer{i}.ffn_up", stack + "FFN/conv1/Tensordot/Reshape_1", [width, 1536],
                layer + "FFN/conv1/bias/ConcatPartitions/concat", width, 1536);
            LinearLayer down = Linear($"layer{i}.ffn_down", stack + "FFN/conv2/Tensordot/Reshape_1", [1536, width],
                layer + "FFN/conv2/bias/ConcatPartitions/concat", 1536, width);
            float queryScale = Scalar(t, stack + "MultiheadAttention/mul/y");
            layers[i] = new EncoderLayer(i, width, Norm(layer + "layer_prepostprocess/", inWidth), qkv, 4, queryScale, output, residual,
                Norm(layer + "FFN/layer_prepostprocess/", width), up, down);
        }
        var head = new LinearLayer("head", 512, 512, t.GetFloat("module/Encoder_en/hidden_layers/tanh_layer_0/weights", 512, 512),
            t.GetFloat("module/Encoder_en/hidden_layers/tanh_layer_0/bias", 512));
        int maxTokens = t.Get("module_apply_default/Encoder_en/KonaTransformer/ClipToMaxLength/Less/y").Ints is [int clip] ? clip
            : throw new ModelFileException("model.json", "ClipToMaxLength/Less/y is not one int32");
        float l2 = Scalar(t, "module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y");
        return new UseLiteModel(embeddings, 8002, 256, timing, layers, head, maxTokens, l2);
    }

    private static float Scalar(TensorSet t, string name) =>
        t.Get(name).Floats is [float value] ? value : throw new ModelFileException("model.json", $"{name} is not one float32");
}
