using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

internal static partial class WalkingObjective
{
    /// <summary>Weight candidates against a fixed quantized input (one per layer search, prepared for each step).</summary>
    public sealed class Weights(LayerSample s, SortedColumns sortedWeight, float[] target, int threads)
    {
        private readonly SortedColumns _weight = sortedWeight;
        private readonly int _in = s.Layer.In, _out = s.Layer.Out;
        private readonly double[] _constant = ColumnSquares(target, s.Rows, s.Layer.Out);
        private readonly double[] _cross = new double[s.Layer.Out * s.Layer.In]; // [k][j] = (Q(X)ᵀT)[j, k]
        private readonly float[] _values = new float[s.Layer.Out * s.Layer.In];  // [k][sorted position]
        private readonly float[] _gram = new float[s.Layer.In * s.Layer.In], _product = new float[s.Layer.In * s.Layer.In];
        private readonly float[] _products = new float[s.Layer.Out * s.Layer.In], _first = new float[s.Layer.Out * s.Layer.In];
        private readonly double[] _startA = new double[s.Layer.Out], _startB = new double[s.Layer.Out]; // a, b of the last FromScratch
        private float[] _transposed = [];

        /// <summary>Fixes the quantized input: M = Q(X)ᵀQ(X) and c_k = Q(X)ᵀt_k.</summary>
        public void Prepare(float[] quantizedInput)
        {
            float[] gram = _product, cross = _products; // scratch until the next sweep
            if (SparseRows.ZeroFraction(quantizedInput) >= SparseRows.MinZeroFraction) SparseProducts(quantizedInput, gram, cross);
            else
            {
                float[] xqT = MatrixLayout.Transpose(quantizedInput, s.Rows, _in, Buffers.AtLeast(ref _transposed, s.Rows * _in));
                Sgemm.Multiply(xqT, quantizedInput, gram, _in, _in, s.Rows, threads);
                Sgemm.Multiply(xqT, target, cross, _in, _out, s.Rows, threads);
            }
            QuadraticError.Symmetric(gram, _in, _gram);
            for (int j = 0; j < _in; j++)
                for (int k = 0; k < _out; k++) _cross[k * _in + j] = cross[j * _out + k];
        }

        /// <summary>
        /// Q(X)ᵀQ(X) and Q(X)ᵀT for a mostly-zero Q(X) (the FFN-down inputs are ReLU outputs): row i of each sums only
        /// the rows where input i is nonzero, each touching only that row's nonzeros — Σ nnz(row)² instead of rows·in².
        /// </summary>
        private void SparseProducts(float[] x, float[] gram, float[] cross)
        {
            int rows = s.Rows;
            var rowNonzeros = new List<int>[rows];
            var columnRows = new List<int>[_in];
            for (int j = 0; j < _in; j++) columnRows[j] = [];
            for (int r = 0; r < rows; r++)
            {
                rowNonzeros[r] = [];
                for (int j = 0; j < _in; j++)
                    if (x[r * _in + j] != 0) { rowNonzeros[r].Add(j); columnRows[j].Add(r); }
            }
            Parallel.For(0, _in, Options(threads), () => (new double[_in], new double[_out]), (i, _, buffers) =>
            {
                (double[] g, double[] c) = buffers;
                Array.Clear(g); Array.Clear(c);
                foreach (int r in columnRows[i])
                {
                    double xi = x[r * _in + i];
                    foreach (int j in rowNonzeros[r]) g[j] += xi * x[r * _in + j];
                    ReadOnlySpan<float> t = target.AsSpan(r * _out, _out);
                    for (int k = 0; k < _out; k++) c[k] += xi * t[k];
                }
                for (int j = 0; j < _in; j++) gram[i * _in + j] = (float)g[j];
                for (int k = 0; k < _out; k++) cross[i * _out + k] = (float)c[k];
                return buffers;
            }, _ => { });
        }

        /// <summary>errors[g · out + k]: output channel k's error with bias γ_g · initialBiases[k] in <paramref name="format"/>.</summary>
        public double[] Errors(ElementFormat format, double[] initialBiases, double[] gammas)
        {
            var errors = new double[gammas.Length * _out];
            float[] levelValues = LevelValues(format, 0);
            int thresholdCount = levelValues.Length - 1;
            double Scale(int g, int k) => PreShiftedBias.RealBiasScale(gammas[g] * initialBiases[k]);
            var positions = new int[_out * thresholdCount];
            FromScratch(format, levelValues, 0, Scale, positions, errors);
            if (!Walks(format))
            {
                for (int g = 1; g < gammas.Length; g++) FromScratch(format, levelValues, g, Scale, positions, errors);
                return errors;
            }
            Parallel.For(0, _out, Options(threads), () => new ColumnScratch(_in, thresholdCount), (k, _, w) =>
            {
                ReadOnlySpan<double> c = _cross.AsSpan(k * _in, _in);
                Span<float> values = _values.AsSpan(k * _in, _in);
                for (int j = 0; j < _in; j++) w.V[j] = _products[k * _in + j];
                double a = _startA[k], b = _startB[k];
                positions.AsSpan(k * thresholdCount, thresholdCount).CopyTo(w.Current);
                for (int g = 1; g < gammas.Length; g++)
                {
                    double scale = Scale(g, k);
                    GridQuantizer.PositiveThresholdsAt(format.Core, scale, w.Thresholds);
                    _weight.Positions(k, w.Thresholds, w.Next);
                    w.Changes.Clear();
                    LevelWalk.Move(_weight, k, w.Current, w.Next, levelValues, false, values, w.Changes);
                    QuadraticError.Apply(w.Changes.Rows, w.Changes.Deltas, _gram, _in, w.V, c, ref a, ref b);
                    errors[g * _out + k] = QuadraticError.At(scale, a, b, _constant[k]);
                    (w.Current, w.Next) = (w.Next, w.Current);
                }
                return w;
            }, _ => { });
            return errors;
        }

        /// <summary>
        /// Candidate g of every channel at once: the levels from scratch, then v = M·q for all channels by one GEMM
        /// (left in _first, _products, _startA, _startB and positions for a walk to start from).
        /// </summary>
        private void FromScratch(ElementFormat format, float[] levelValues, int g, Func<int, int, double> scale, int[] positions, double[] errors)
        {
            int thresholdCount = levelValues.Length - 1;
            Parallel.For(0, _out, Options(threads), k =>
            {
                var thresholds = new float[thresholdCount];
                GridQuantizer.PositiveThresholdsAt(format.Core, scale(g, k), thresholds);
                Span<int> at = positions.AsSpan(k * thresholdCount, thresholdCount);
                _weight.Positions(k, thresholds, at);
                LevelWalk.Fill(_weight, k, at, levelValues, _values.AsSpan(k * _in, _in));
                LevelWalk.Unsort(_weight, k, _values.AsSpan(k * _in, _in), _first.AsSpan(k * _in, _in));
            });
            Sgemm.Multiply(_first, _gram, _products, _out, _in, _in, threads);
            Parallel.For(0, _out, Options(threads), k =>
            {
                (_startA[k], _startB[k]) = QuadraticError.Dots(_first.AsSpan(k * _in, _in), _products.AsSpan(k * _in, _in),
                    _cross.AsSpan(k * _in, _in));
                errors[g * _out + k] = QuadraticError.At(scale(g, k), _startA[k], _startB[k], _constant[k]);
            });
        }

        private sealed class ColumnScratch(int n, int thresholds)
        {
            public readonly float[] Thresholds = new float[thresholds];
            public readonly double[] V = new double[n];
            public int[] Current = new int[thresholds], Next = new int[thresholds];
            public readonly ChangeList Changes = new();
        }
    }
}
