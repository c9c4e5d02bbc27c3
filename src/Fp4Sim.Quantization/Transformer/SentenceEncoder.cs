using System.Numerics.Tensors;

namespace Fp4Sim.Quantization.Transformer;

/// <summary>
/// The USE-Lite forward pass on a batch of tokenized sentences. All tokens of the batch are stacked into one
/// [tokens, width] matrix so every linear layer is one GEMM; attention, pooling and normalization work per sentence.
/// A sentence's result does not depend on the batch it is in: the graph's pad mask adds −10⁹ to padded keys, whose
/// softmax weight is then exactly 0, which is what attending over the sentence's own tokens computes.
/// </summary>
public sealed class SentenceEncoder(UseLiteModel model, ILinearRunner runner)
{
    /// <summary>The model.</summary>
    public UseLiteModel Model { get; } = model;

    /// <summary>Embeds the sentences: one L2-normalized row of <see cref="UseLiteModel.OutputWidth"/> values each.</summary>
    public float[][] Embed(IReadOnlyList<int[]> sentences)
    {
        Batch batch = Batch.Of(sentences, Model.MaxTokens);
        float[] x = EmbedTokens(batch);
        int width = Model.EmbeddingWidth;
        foreach (EncoderLayer layer in Model.Layers)
        {
            x = RunLayer(layer, batch, x, width);
            width = layer.Width;
        }
        float[] pooled = MeanPool(batch, x, width);
        var hidden = new float[batch.Count * Model.Head.Out];
        runner.Run(Model.Head, pooled, batch.Count, hidden);
        var result = new float[batch.Count][];
        for (int s = 0; s < batch.Count; s++)
        {
            Span<float> row = hidden.AsSpan(s * Model.Head.Out, Model.Head.Out);
            TensorPrimitives.Tanh(row, row);
            float norm = MathF.Sqrt(MathF.Max(TensorPrimitives.Dot(row, row), Model.L2Epsilon));
            result[s] = new float[row.Length];
            TensorPrimitives.Divide(row, norm, result[s]);
        }
        return result;
    }

    private float[] EmbedTokens(Batch batch)
    {
        int width = Model.EmbeddingWidth, half = width / 2;
        var x = new float[batch.Tokens * width];
        for (int s = 0; s < batch.Count; s++)
        {
            for (int p = 0; p < batch.Length(s); p++)
            {
                int id = batch.Ids[batch.Start(s) + p];
                if ((uint)id >= (uint)Model.VocabularyRows)
                    throw new ArgumentException($"token id {id} is outside the embedding table (0..{Model.VocabularyRows - 1})");
                Span<float> row = x.AsSpan((batch.Start(s) + p) * width, width);
                Model.Embeddings.AsSpan(id * width, width).CopyTo(row);
                for (int i = 0; i < half; i++)
                {
                    float angle = p * Model.TimingFrequencies[i];
                    row[i] += MathF.Sin(angle);
                    row[half + i] += MathF.Cos(angle);
                }
            }
        }
        return x;
    }

    private float[] RunLayer(EncoderLayer layer, Batch batch, float[] x, int inWidth)
    {
        int n = batch.Tokens, width = layer.Width;
        float[] normed = LayerNorm(x, n, layer.AttentionNorm);
        var qkv = new float[n * layer.Qkv.Out];
        runner.Run(layer.Qkv, normed, n, qkv);
        float[] context = Attention(layer, batch, qkv, inWidth);
        var y = new float[n * width];
        runner.Run(layer.AttentionOut, context, n, y);
        if (layer.ResidualProjection is { } projection)
        {
            var residual = new float[n * width];
            runner.Run(projection, x, n, residual);
            TensorPrimitives.Add(y, residual, y);
        }
        else TensorPrimitives.Add(y, x, y);

        float[] normed2 = LayerNorm(y, n, layer.FfnNorm);
        var hidden = new float[n * layer.FfnUp.Out];
        runner.Run(layer.FfnUp, normed2, n, hidden);
        TensorPrimitives.Max(hidden, 0f, hidden);
        var down = new float[n * width];
        runner.Run(layer.FfnDown, hidden, n, down);
        TensorPrimitives.Add(down, y, down);
        return down;
    }

    /// <summary>Multi-head attention of each sentence over its own tokens; qkv rows hold [q | k | v], each <paramref name="dim"/> wide.</summary>
    private static float[] Attention(EncoderLayer layer, Batch batch, float[] qkv, int dim)
    {
        int heads = layer.Heads, headWidth = dim / heads, stride = 3 * dim;
        var context = new float[batch.Tokens * dim];
        Parallel.For(0, batch.Count * heads, job =>
        {
            int s = job / heads, h = job % heads, start = batch.Start(s), length = batch.Length(s);
            var scores = new float[length];
            var q = new float[headWidth];
            for (int i = 0; i < length; i++)
            {
                ReadOnlySpan<float> query = qkv.AsSpan((start + i) * stride + h * headWidth, headWidth);
                TensorPrimitives.Multiply(query, layer.QueryScale, q);
                for (int j = 0; j < length; j++)
                    scores[j] = TensorPrimitives.Dot(q, qkv.AsSpan((start + j) * stride + dim + h * headWidth, headWidth));
                TensorPrimitives.SoftMax(scores, scores);
                Span<float> output = context.AsSpan((start + i) * dim + h * headWidth, headWidth);
                for (int j = 0; j < length; j++)
                {
                    ReadOnlySpan<float> value = qkv.AsSpan((start + j) * stride + 2 * dim + h * headWidth, headWidth);
                    TensorPrimitives.MultiplyAdd(value, scores[j], output, output);
                }
            }
        });
        return context;
    }

    private static float[] LayerNorm(float[] x, int rows, LayerNormParameters p)
    {
        int width = p.Width;
        var y = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.AsSpan(r * width, width);
            Span<float> output = y.AsSpan(r * width, width);
            float mean = TensorPrimitives.Sum(row) / width;
            TensorPrimitives.Subtract(row, mean, output);
            float variance = TensorPrimitives.Dot(output, output) / width;
            float inverse = 1f / MathF.Sqrt(variance + p.Epsilon);
            TensorPrimitives.Multiply(output, inverse, output);
            TensorPrimitives.FusedMultiplyAdd(output, p.Scale, p.Offset, output);
        }
        return y;
    }

    private static float[] MeanPool(Batch batch, float[] x, int width)
    {
        var pooled = new float[batch.Count * width];
        for (int s = 0; s < batch.Count; s++)
        {
            Span<float> sum = pooled.AsSpan(s * width, width);
            for (int p = 0; p < batch.Length(s); p++) TensorPrimitives.Add(sum, x.AsSpan((batch.Start(s) + p) * width, width), sum);
            TensorPrimitives.Divide(sum, Math.Max(batch.Length(s), 1), sum);
        }
        return pooled;
    }
}

/// <summary>Sentences' token ids stacked into one sequence, each clipped to the model's maximum length.</summary>
internal sealed class Batch
{
    private readonly int[] _starts;

    /// <summary>All kept token ids, sentence after sentence.</summary>
    public int[] Ids { get; }

    /// <summary>Sentences.</summary>
    public int Count => _starts.Length - 1;

    /// <summary>Total tokens.</summary>
    public int Tokens => _starts[^1];

    private Batch(int[] ids, int[] starts) { Ids = ids; _starts = starts; }

    public int Start(int sentence) => _starts[sentence];

    public int Length(int sentence) => _starts[sentence + 1] - _starts[sentence];

    public static Batch Of(IReadOnlyList<int[]> sentences, int maxTokens)
    {
        var starts = new int[sentences.Count + 1];
        for (int s = 0; s < sentences.Count; s++) starts[s + 1] = starts[s] + Math.Min(sentences[s].Length, maxTokens);
        var ids = new int[starts[^1]];
        for (int s = 0; s < sentences.Count; s++) sentences[s].AsSpan(0, starts[s + 1] - starts[s]).CopyTo(ids.AsSpan(starts[s]));
        return new Batch(ids, starts);
    }
}
