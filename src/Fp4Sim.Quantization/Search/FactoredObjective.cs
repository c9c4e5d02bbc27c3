using System.Numerics.Tensors;
using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Quantization.Search;

/// <summary>
/// The search objective with one operand held fixed, rewritten so a candidate costs less than a full layer GEMM.
/// With ΔW = Q(W) − W and ΔX = Q(X) − X the output error is Q(X)·Q(W) − X·W = Q(X)·ΔW + ΔX·W, so
/// <list type="bullet">
/// <item>weight candidates (Q(X) fixed): column k's error is Δw_kᵀ G Δw_k + 2 Δw_kᵀ h_k + |d_k|², with
/// G = Q(X)ᵀQ(X), D = ΔX·W and H = Q(X)ᵀD computed once — a candidate costs in²·out instead of rows·in·out;</item>
/// <item>activation candidates (Q(W) fixed): the error is Σ_t Δx_t P Δx_tᵀ + 2 Δx_t·s_t + |f_t|², with
/// F = X·ΔW, P = Q(W)Q(W)ᵀ and S = F·Q(W)ᵀ computed once — rows·in² instead of rows·in·out (used when in &lt; out).</item>
/// </list>
/// Every term is of the size of the error itself (no large terms cancel), so float32 GEMMs with binary64 final sums
/// keep the comparison between candidates sound; the tests check it against the direct objective on real layers.
/// </summary>
internal static class FactoredObjective
{
    /// <summary>Weight candidates against a fixed quantized input: per-output-channel errors.</summary>
    public sealed class Weights
    {
        private readonly LayerSample _s;
        private readonly int _threads;
        private readonly float[] _gram, _cross;
        private readonly double[] _constant;
        private readonly float[] _delta, _product;

        public Weights(LayerSample s, float[] quantizedInput, int threads)
        {
            _s = s; _threads = threads;
            int rows = s.Rows, din = s.Layer.In, dout = s.Layer.Out;
            var deltaX = new float[rows * din];
            TensorPrimitives.Subtract(quantizedInput.AsSpan(0, rows * din), s.Input.AsSpan(0, rows * din), deltaX);
            var d = new float[rows * dout];
            Sgemm.Multiply(deltaX, s.Layer.Weight, d, rows, dout, din, threads);
            float[] xqT = Transpose(quantizedInput, rows, din);
            _gram = new float[din * din];
            Sgemm.Multiply(xqT, quantizedInput, _gram, din, din, rows, threads);
            _cross = new float[din * dout];
            Sgemm.Multiply(xqT, d, _cross, din, dout, rows, threads);
            _constant = ColumnSquares(d, rows, dout);
            _delta = new float[din * dout];
            _product = new float[din * dout];
        }

        public double[] ChannelErrors(float[] quantizedWeight)
        {
            int din = _s.Layer.In, dout = _s.Layer.Out;
            TensorPrimitives.Subtract(quantizedWeight.AsSpan(0, din * dout), _s.Layer.Weight.AsSpan(0, din * dout), _delta);
            Sgemm.Multiply(_gram, _delta, _product, din, dout, din, _threads);
            // E_k = Σ_j Δw[j,k]·(GΔw[j,k] + 2·H[j,k]) + |d_k|²
            TensorPrimitives.MultiplyAdd(_cross, 2f, _product, _product);
            TensorPrimitives.Multiply(_product, _delta, _product);
            var errors = (double[])_constant.Clone();
            for (int j = 0; j < din; j++)
            {
                ReadOnlySpan<float> row = _product.AsSpan(j * dout, dout);
                for (int k = 0; k < dout; k++) errors[k] += row[k];
            }
            return errors;
        }
    }

    /// <summary>Activation candidates against a fixed quantized weight: the total error.</summary>
    public sealed class Activations
    {
        private readonly LayerSample _s;
        private readonly int _threads;
        private readonly float[] _gram, _cross, _delta, _product;
        private readonly double _constant;

        public Activations(LayerSample s, float[] quantizedWeight, int threads)
        {
            _s = s; _threads = threads;
            int rows = s.Rows, din = s.Layer.In, dout = s.Layer.Out;
            var deltaW = new float[din * dout];
            TensorPrimitives.Subtract(quantizedWeight.AsSpan(0, din * dout), s.Layer.Weight.AsSpan(0, din * dout), deltaW);
            var f = new float[rows * dout];
            Sgemm.Multiply(s.Input, deltaW, f, rows, dout, din, threads);
            float[] wqT = Transpose(quantizedWeight, din, dout);
            _gram = new float[din * din];
            Sgemm.Multiply(quantizedWeight, wqT, _gram, din, din, dout, threads);
            _cross = new float[rows * din];
            Sgemm.Multiply(f, wqT, _cross, rows, din, dout, threads);
            _constant = ColumnSquares(f, rows, dout).Sum();
            _delta = new float[rows * din];
            _product = new float[rows * din];
        }

        public double TotalError(float[] quantizedInput)
        {
            int rows = _s.Rows, din = _s.Layer.In;
            TensorPrimitives.Subtract(quantizedInput.AsSpan(0, rows * din), _s.Input.AsSpan(0, rows * din), _delta);
            Sgemm.Multiply(_delta, _gram, _product, rows, din, din, _threads);
            TensorPrimitives.MultiplyAdd(_cross, 2f, _product, _product);
            double total = _constant;
            for (int r = 0; r < rows; r++) total += TensorPrimitives.Dot(_product.AsSpan(r * din, din), _delta.AsSpan(r * din, din));
            return total;
        }
    }

    private static float[] Transpose(float[] x, int rows, int cols)
    {
        var t = new float[x.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        return t;
    }

    private static double[] ColumnSquares(float[] x, int rows, int cols)
    {
        var sums = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) { double v = x[r * cols + c]; sums[c] += v * v; }
        return sums;
    }
}
