using System.Numerics.Tensors;
using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>
/// Causal scaled dot-product attention over a fused <c>[Q | K | V]</c> row layout (each <c>d</c> wide, head h at
/// columns h·hd..): for each window and head, P = softmax(Q·Kᵀ/√hd with j ≤ i), O = P·V. Each (window, head) pair is
/// gathered into small contiguous matrices and multiplied with single-core <see cref="Sgemm"/>; pairs run in parallel,
/// each writing only its own columns of its own rows, so the result does not depend on the scheduling.
/// </summary>
internal static class CausalAttention
{
    private sealed class Scratch(int seq, int headDim)
    {
        public readonly float[] Q = new float[seq * headDim], K = new float[seq * headDim], V = new float[seq * headDim];
        public readonly float[] KT = new float[headDim * seq], VT = new float[headDim * seq], Out = new float[seq * headDim];
        public readonly float[] DOut = new float[seq * headDim], DQ = new float[seq * headDim], DK = new float[seq * headDim];
        public readonly float[] DV = new float[seq * headDim];
        public readonly float[] Scores = new float[seq * seq], ScoresT = new float[seq * seq], DScores = new float[seq * seq];
    }

    /// <summary>
    /// Writes <paramref name="output"/> (<c>batch·seq × heads·headDim</c>) and the probabilities
    /// <paramref name="probabilities"/> (<c>batch·heads × seq × seq</c>, zero above the diagonal) for backward.
    /// </summary>
    public static void Forward(float[] qkv, float[] output, float[] probabilities, int batch, int seq, int heads, int headDim)
    {
        int d = heads * headDim;
        float scale = 1f / MathF.Sqrt(headDim);
        ForEachPair(batch, heads, seq, headDim, (pair, s) =>
        {
            int firstRow = pair / heads * seq, column = pair % heads * headDim;
            GatherQkv(qkv, d, firstRow, column, seq, headDim, s);
            MatrixLayout.Transpose(s.K, s.KT, seq, headDim);
            Span<float> p = probabilities.AsSpan(pair * seq * seq, seq * seq);
            Sgemm.Multiply(s.Q, s.KT, p, seq, seq, headDim, threads: 1);
            for (int i = 0; i < seq; i++)
            {
                Span<float> row = p.Slice(i * seq, i + 1);
                TensorPrimitives.Multiply(row, scale, row);
                SoftMaxInPlace(row);
                p.Slice(i * seq + i + 1, seq - i - 1).Clear(); // the mask: later tokens get probability 0
            }
            Sgemm.Multiply(p, s.V, s.Out, seq, headDim, seq, threads: 1);
            Scatter(s.Out, output, d, firstRow, column, seq, headDim);
        });
    }

    /// <summary>
    /// Overwrites <paramref name="qkvGrad"/> with the gradients of Q, K and V: dP = dO·Vᵀ, dV = Pᵀ·dO,
    /// dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS·K/√hd, dK = dSᵀ·Q/√hd.
    /// </summary>
    public static void Backward(float[] qkv, float[] probabilities, float[] outputGrad, float[] qkvGrad,
        int batch, int seq, int heads, int headDim)
    {
        int d = heads * headDim;
        float scale = 1f / MathF.Sqrt(headDim);
        ForEachPair(batch, heads, seq, headDim, (pair, s) =>
        {
            int firstRow = pair / heads * seq, column = pair % heads * headDim;
            GatherQkv(qkv, d, firstRow, column, seq, headDim, s);
            Gather(outputGrad, d, firstRow, column, seq, headDim, s.DOut);
            MatrixLayout.Transpose(s.V, s.VT, seq, headDim);
            ReadOnlySpan<float> p = probabilities.AsSpan(pair * seq * seq, seq * seq);
            MatrixLayout.Transpose(p, s.ScoresT, seq, seq);

            Sgemm.Multiply(s.DOut, s.VT, s.DScores, seq, seq, headDim, threads: 1);
            Sgemm.Multiply(s.ScoresT, s.DOut, s.DV, seq, headDim, seq, threads: 1);
            for (int i = 0; i < seq; i++)
            {
                ReadOnlySpan<float> pRow = p.Slice(i * seq, seq);
                Span<float> dRow = s.DScores.AsSpan(i * seq, seq);
                float weighted = TensorPrimitives.Dot(pRow, dRow);
                // dS·scale, the common factor of dQ and dK; zero above the diagonal because P is.
                TensorPrimitives.Subtract(dRow, weighted, dRow);
                TensorPrimitives.Multiply(dRow, pRow, dRow);
                TensorPrimitives.Multiply(dRow, scale, dRow);
            }
            Sgemm.Multiply(s.DScores, s.K, s.DQ, seq, headDim, seq, threads: 1);
            MatrixLayout.Transpose(s.DScores, s.ScoresT, seq, seq);
            Sgemm.Multiply(s.ScoresT, s.Q, s.DK, seq, headDim, seq, threads: 1);

            Scatter(s.DQ, qkvGrad, 3 * d, firstRow, column, seq, headDim);
            Scatter(s.DK, qkvGrad, 3 * d, firstRow, d + column, seq, headDim);
            Scatter(s.DV, qkvGrad, 3 * d, firstRow, 2 * d + column, seq, headDim);
        });
    }

    private static void ForEachPair(int batch, int heads, int seq, int headDim, Action<int, Scratch> body) =>
        Parallel.For(0, batch * heads, () => new Scratch(seq, headDim), (pair, _, scratch) =>
        {
            body(pair, scratch);
            return scratch;
        }, _ => { });

    /// <summary>Softmax with the maximum subtracted first (TensorPrimitives.SoftMax does not, and overflows on large scores).</summary>
    private static void SoftMaxInPlace(Span<float> scores)
    {
        TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
        VectorMath.Exp(scores, scores);
        TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
    }

    private static void Gather(float[] source, int stride, int firstRow, int column, int rows, int width, float[] target)
    {
        for (int r = 0; r < rows; r++) source.AsSpan((firstRow + r) * stride + column, width).CopyTo(target.AsSpan(r * width, width));
    }

    /// <summary>One (window, head) pair's Q, K and V (the fused QKV row holds Q, then K, then V) into the scratch.</summary>
    private static void GatherQkv(float[] qkv, int d, int firstRow, int column, int seq, int headDim, Scratch s)
    {
        Gather(qkv, 3 * d, firstRow, column, seq, headDim, s.Q);
        Gather(qkv, 3 * d, firstRow, d + column, seq, headDim, s.K);
        Gather(qkv, 3 * d, firstRow, 2 * d + column, seq, headDim, s.V);
    }

    private static void Scatter(float[] source, float[] target, int stride, int firstRow, int column, int rows, int width)
    {
        for (int r = 0; r < rows; r++) source.AsSpan(r * width, width).CopyTo(target.AsSpan((firstRow + r) * stride + column, width));
    }
}
