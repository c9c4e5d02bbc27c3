namespace Fp4Sim.Training.Model;

/// <summary>One trainable tensor, its gradient and whether weight decay applies to it.</summary>
/// <param name="Name">Stable name, for example <c>layer0.qkv</c>.</param>
/// <param name="Rows">Rows (outputs for a linear weight; 1 for a norm gain).</param>
/// <param name="Columns">Columns (inputs for a linear weight).</param>
/// <param name="Decay">True for matrices (linears and the head): weight decay applies.</param>
internal sealed record Parameter(string Name, int Rows, int Columns, bool Decay)
{
    /// <summary>Row-major values (the FP32 master weights).</summary>
    public float[] Value { get; } = new float[Rows * Columns];

    /// <summary>Gradient of the last backward pass, same layout as <see cref="Value"/>.</summary>
    public float[] Grad { get; } = new float[Rows * Columns];
}

/// <summary>The weights of one decoder block.</summary>
internal sealed class BlockParameters
{
    /// <summary>Creates the block's tensors, named <c>layer{index}.*</c>.</summary>
    public BlockParameters(DecoderConfig config, int index)
    {
        int d = config.ModelDim;
        string prefix = $"layer{index}.";
        AttentionNorm = new Parameter(prefix + "attn_norm", 1, d, Decay: false);
        Qkv = new Parameter(prefix + "qkv", 3 * d, d, Decay: true);
        Output = new Parameter(prefix + "attn_out", d, d, Decay: true);
        FfnNorm = new Parameter(prefix + "ffn_norm", 1, d, Decay: false);
        GateUp = new Parameter(prefix + "gate_up", 2 * config.FfnHidden, d, Decay: true);
        Down = new Parameter(prefix + "down", d, config.FfnHidden, Decay: true);
    }

    /// <summary>Gain of the RMSNorm before attention.</summary>
    public Parameter AttentionNorm { get; }

    /// <summary>Fused Q, K, V projection (3d × d): rows [0, d) Q, [d, 2d) K, [2d, 3d) V; head h at rows h·hd.. of each.</summary>
    public Parameter Qkv { get; }

    /// <summary>Attention output projection (d × d).</summary>
    public Parameter Output { get; }

    /// <summary>Gain of the RMSNorm before the FFN.</summary>
    public Parameter FfnNorm { get; }

    /// <summary>Fused gate/up projection (2h × d): rows [0, h) gate, [h, 2h) up.</summary>
    public Parameter GateUp { get; }

    /// <summary>Down projection (d × h).</summary>
    public Parameter Down { get; }

    /// <summary>The block's tensors in a fixed order.</summary>
    public IEnumerable<Parameter> All => [AttentionNorm, Qkv, Output, FfnNorm, GateUp, Down];
}

/// <summary>All weights of the decoder, initialized from a seed.</summary>
internal sealed class DecoderParameters
{
    /// <summary>
    /// Matrices and the embedding from N(0, InitStd²) drawn in <see cref="All"/> order from one
    /// <see cref="NormalSampler"/> seeded by <paramref name="seed"/>; norm gains 1.
    /// </summary>
    public DecoderParameters(DecoderConfig config, ulong seed)
    {
        config.Validate();
        Config = config;
        Embedding = new Parameter("embedding", config.VocabSize, config.ModelDim, Decay: false);
        Blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new BlockParameters(config, i))];
        FinalNorm = new Parameter("final_norm", 1, config.ModelDim, Decay: false);
        Head = new Parameter("head", config.VocabSize, config.ModelDim, Decay: true);
        All = [Embedding, .. Blocks.SelectMany(b => b.All), FinalNorm, Head];

        var normal = new NormalSampler(seed);
        foreach (Parameter p in All)
        {
            if (p.Rows == 1) p.Value.AsSpan().Fill(1f);
            else normal.Fill(p.Value, config.InitStd);
        }
    }

    /// <summary>The shape these weights were made for.</summary>
    public DecoderConfig Config { get; }

    /// <summary>Token embedding (vocab × d).</summary>
    public Parameter Embedding { get; }

    /// <summary>The decoder blocks.</summary>
    public IReadOnlyList<BlockParameters> Blocks { get; }

    /// <summary>Gain of the final RMSNorm.</summary>
    public Parameter FinalNorm { get; }

    /// <summary>Untied LM head (vocab × d).</summary>
    public Parameter Head { get; }

    /// <summary>Every tensor in a fixed order (embedding, blocks, final norm, head).</summary>
    public IReadOnlyList<Parameter> All { get; }

    /// <summary>Total number of scalars.</summary>
    public long Count => All.Sum(p => (long)p.Value.Length);
}
