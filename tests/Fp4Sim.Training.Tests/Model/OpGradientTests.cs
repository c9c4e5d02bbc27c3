using Fp4Sim.Training.Model;
using Fp4Sim.Training.Model.Ops;
using static Fp4Sim.Training.Tests.Model.GradientCheck;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>Each op's float32 backward against central differences of its float64 reference.</summary>
public class OpGradientTests
{
    [Fact]
    public void EmbeddingBackwardAddsRowsPerToken()
    {
        const int vocab = 7, dim = 5;
        byte[] tokens = [3, 1, 3, 6, 0, 3];
        float[] table = Normal(vocab * dim, 1);
        float[] r = Normal(tokens.Length * dim, 2);
        var output = new float[tokens.Length * dim];
        Embedding.Forward(table, tokens, output, dim);
        Assert.Equal(table.AsSpan(6 * dim, dim).ToArray(), output.AsSpan(3 * dim, dim).ToArray());

        var tableGrad = new float[table.Length];
        Embedding.Backward(tokens, r, tableGrad, dim);
        double[] numeric = Numeric(t => Project(Gather(t, tokens, dim), r), table);
        AssertClose(numeric, tableGrad, "d table");
    }

    private static double[] Gather(double[] table, byte[] tokens, int dim) =>
        [.. tokens.SelectMany(token => table.Skip(token * dim).Take(dim))];

    [Fact]
    public void RmsNormBackwardMatchesFiniteDifferencesForInputAndGain()
    {
        const int rows = 6, dim = 32;
        const float eps = 1e-5f;
        float[] x = Normal(rows * dim, 3, 0.7);
        float[] gain = [.. Normal(dim, 4, 0.3).Select(g => 1 + g)];
        float[] r = Normal(rows * dim, 5);
        var y = new float[x.Length];
        var inverseRms = new float[rows];
        RmsNorm.Forward(x, gain, y, inverseRms, rows, dim, eps);
        double[] reference = DoubleReference.RmsNorm(ToDouble(x), ToDouble(gain), rows, dim, eps);
        for (int i = 0; i < y.Length; i++) Assert.Equal(reference[i], y[i], 1e-5);

        var dx = new float[x.Length];
        var dGain = new float[dim];
        RmsNorm.Backward(x, gain, inverseRms, r, dx, dGain, rows, dim);
        AssertClose(Numeric(v => Project(DoubleReference.RmsNorm(v, ToDouble(gain), rows, dim, eps), r), x), dx, "dx");
        AssertClose(Numeric(g => Project(DoubleReference.RmsNorm(ToDouble(x), g, rows, dim, eps), r), gain), dGain, "d gain");
    }

    [Fact]
    public void RopeForwardMatchesReferenceAndBackwardIsItsTranspose()
    {
        const int context = 8, headDim = 8, heads = 2, rows = 2 * context, stride = 3 * heads * headDim, width = 2 * heads * headDim;
        var rope = new Rope(context, headDim, 10000);
        float[] x = Normal(rows * stride, 6);
        float[] r = Normal(rows * stride, 7);
        float[] y = (float[])x.Clone();
        rope.Apply(y, rows, stride, 0, width, inverse: false);
        double[] reference = DoubleReference.Rope(ToDouble(x), rows, stride, width, headDim, context, 10000);
        for (int i = 0; i < y.Length; i++) Assert.Equal(reference[i], y[i], 1e-5);
        // Position 0 is not turned; the V columns are never touched.
        Assert.Equal(x.AsSpan(0, width).ToArray(), y.AsSpan(0, width).ToArray());
        Assert.Equal(x.AsSpan(stride * 5 + width, stride - width).ToArray(), y.AsSpan(stride * 5 + width, stride - width).ToArray());

        float[] dx = (float[])r.Clone();
        rope.Apply(dx, rows, stride, 0, width, inverse: true);
        AssertClose(Numeric(v => Project(DoubleReference.Rope(v, rows, stride, width, headDim, context, 10000), r), x), dx, "dx");
    }

    [Fact]
    public void SwiGluBackwardMatchesFiniteDifferences()
    {
        const int rows = 4, hidden = 16;
        float[] gateUp = Normal(rows * 2 * hidden, 8, 1.5);
        float[] r = Normal(rows * hidden, 9);
        var s = new float[rows * hidden];
        SwiGlu.Forward(gateUp, s, rows, hidden);
        double[] reference = DoubleReference.SwiGlu(ToDouble(gateUp), rows, hidden);
        for (int i = 0; i < s.Length; i++) Assert.Equal(reference[i], s[i], 1e-5);

        var grad = new float[gateUp.Length];
        SwiGlu.Backward(gateUp, r, grad, rows, hidden);
        AssertClose(Numeric(v => Project(DoubleReference.SwiGlu(v, rows, hidden), r), gateUp), grad, "d gate/up");
    }

    [Fact]
    public void CrossEntropyLossAndGradientMatchReference()
    {
        const int vocab = 11;
        byte[] targets = [0, 10, 4, 4, 7];
        float[] logits = Normal(targets.Length * vocab, 10, 3);
        var grad = new float[logits.Length];
        double loss = CrossEntropy.Forward(logits, targets, grad, vocab);
        Assert.Equal(DoubleReference.CrossEntropy(ToDouble(logits), targets, vocab), loss, 1e-6);
        Assert.Equal(loss, CrossEntropy.Forward(logits, targets, [], vocab));
        AssertClose(Numeric(z => DoubleReference.CrossEntropy(z, targets, vocab), logits), grad, "d logits");

        // Uniform logits cost ln(vocab).
        Assert.Equal(Math.Log(vocab), CrossEntropy.Forward(new float[logits.Length], targets, [], vocab), 1e-6);
    }

    [Fact]
    public void AttentionBackwardMatchesFiniteDifferences()
    {
        const int batch = 2, seq = 6, heads = 2, headDim = 8, d = heads * headDim;
        float[] qkv = Normal(batch * seq * 3 * d, 11);
        float[] r = Normal(batch * seq * d, 12);
        var output = new float[batch * seq * d];
        var probabilities = new float[batch * heads * seq * seq];
        CausalAttention.Forward(qkv, output, probabilities, batch, seq, heads, headDim);
        double[] reference = DoubleReference.Attention(ToDouble(qkv), batch, seq, heads, headDim);
        for (int i = 0; i < output.Length; i++) Assert.Equal(reference[i], output[i], 1e-5);

        var grad = new float[qkv.Length];
        grad.AsSpan().Fill(float.NaN); // backward must overwrite every entry
        CausalAttention.Backward(qkv, probabilities, r, grad, batch, seq, heads, headDim);
        AssertClose(Numeric(v => Project(DoubleReference.Attention(v, batch, seq, heads, headDim), r), qkv), grad, "d qkv");
    }

    [Fact]
    public void AttentionIsCausalWithinAWindowAndWindowsAreIndependent()
    {
        const int batch = 2, seq = 8, heads = 2, headDim = 8, d = heads * headDim, changed = 5;
        float[] qkv = Normal(batch * seq * 3 * d, 13);
        float[] before = Attend(qkv, batch, seq, heads, headDim);
        float[] perturbed = (float[])qkv.Clone();
        for (int c = 0; c < 3 * d; c++) perturbed[changed * 3 * d + c] += 1f; // Q, K and V of token 5 of window 0
        float[] after = Attend(perturbed, batch, seq, heads, headDim);

        for (int row = 0; row < batch * seq; row++)
        {
            bool same = after.AsSpan(row * d, d).SequenceEqual(before.AsSpan(row * d, d));
            bool mayChange = row >= changed && row < seq;
            Assert.True(same != mayChange, $"row {row}: {(same ? "unchanged" : "changed")} by token {changed}");
        }
    }

    private static float[] Attend(float[] qkv, int batch, int seq, int heads, int headDim)
    {
        var output = new float[batch * seq * heads * headDim];
        CausalAttention.Forward(qkv, output, new float[batch * heads * seq * seq], batch, seq, heads, headDim);
        return output;
    }

    [Fact]
    public void Fp32LinearGemmsMatchTheExactLinearGradients()
    {
        const int tokens = 32, inputs = 32, outputs = 64;
        float[] x = Normal(tokens * inputs, 14);
        float[] w = Normal(outputs * inputs, 15, 0.1);
        float[] r = Normal(tokens * outputs, 16);
        var gemms = new Fp32LinearGemms();
        LinearForward forward = gemms.Forward(x, w, tokens, inputs, outputs);
        double[] reference = DoubleReference.Linear(ToDouble(x), ToDouble(w), tokens, inputs, outputs);
        for (int i = 0; i < reference.Length; i++) Assert.Equal(reference[i], forward.Output[i], 1e-4);

        LinearGradients grads = gemms.Backward(forward, r, seed: 0);
        AssertClose(Numeric(v => Project(DoubleReference.Linear(v, ToDouble(w), tokens, inputs, outputs), r), x, 1e-3), grads.Input, "dx");
        AssertClose(Numeric(v => Project(DoubleReference.Linear(ToDouble(x), v, tokens, inputs, outputs), r), w, 1e-3), grads.Weight, "dw");
    }
}
