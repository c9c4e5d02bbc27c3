using Fp4Sim.Quantization.Evaluation;
using Fp4Sim.Quantization.Tests.Model;
using Fp4Sim.Quantization.Text;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Tests.Transformer;

/// <summary>The float32 forward pass against the reference numbers of an independent re-implementation of the graph.</summary>
public sealed class SentenceEncoderTests
{
    private static readonly Lazy<(UseLiteModel Model, SentencePieceTokenizer Tokenizer)> Loaded = new(() =>
    {
        string dir = ModelTestFiles.RequireUseLiteDirectory();
        return (UseLiteModel.Load(dir), SentencePieceTokenizer.Load(Path.Combine(dir, "vocab.json")));
    });

    private static float[][] Embed(params string[] sentences)
    {
        var (model, tokenizer) = Loaded.Value;
        return new SentenceEncoder(model, Float32Linear.Instance).Embed(sentences.Select(tokenizer.Encode).ToArray());
    }

    [Fact]
    public void First_embedding_values_match_the_reference()
    {
        float[] e = Embed("How old are you?")[0];
        Assert.Equal(512, e.Length);
        double[] expected = [0.03709, 0.04967, -0.02657, 0.03193];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], e[i], 4);
        Assert.Equal(1.0, Similarity.Cosine(e, e), 6);
    }

    [Fact]
    public void Similarity_table_matches_the_reference()
    {
        string[] s =
        [
            "How old are you?",
            "What is your age?",
            "The weather is lovely today.",
            "It's so sunny outside!",
            "He drove his truck to the stadium."
        ];
        float[][] e = Embed(s);
        double Cos(int a, int b) => Similarity.Cosine(e[a], e[b]);
        Assert.Equal(0.766, Cos(0, 1), 3);
        Assert.Equal(0.278, Cos(0, 2), 3);
        Assert.Equal(0.453, Cos(0, 3), 3);
        Assert.Equal(0.093, Cos(0, 4), 3);
        Assert.Equal(0.263, Cos(2, 1), 3);
        Assert.Equal(0.683, Cos(2, 3), 3);
        Assert.Equal(0.356, Cos(2, 4), 3);
    }

    [Fact]
    public void A_sentence_embeds_the_same_alone_and_in_a_batch()
    {
        float[] alone = Embed("The weather is lovely today.")[0];
        float[] batched = Embed("How old are you?", "The weather is lovely today.", "It's so sunny outside! It really is, all day long.")[1];
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], batched[i], 6);
    }

    [Fact]
    public void Sentences_longer_than_the_graph_limit_are_clipped_to_its_first_tokens()
    {
        var (model, tokenizer) = Loaded.Value;
        Assert.Equal(128, model.MaxTokens);
        int[] tokens = tokenizer.Encode(string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 40)));
        Assert.True(tokens.Length > 128);
        var encoder = new SentenceEncoder(model, Float32Linear.Instance);
        float[][] e = encoder.Embed([tokens, tokens[..128]]);
        Assert.Equal(e[0], e[1]);
    }
}
