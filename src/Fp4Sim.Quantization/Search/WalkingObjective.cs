using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

/// <summary>One activation candidate of a sweep: channel j is divided by Scale · 2^Shifts[j] (no shifts: Scale for every channel).</summary>
internal readonly record struct ActivationCandidate(double Scale, int[]? Shifts)
{
    /// <summary>The candidate behind a quantizer: FPQ's 2^−ρ̃ with shifts −b_j, or a per-tensor divisor.</summary>
    public static ActivationCandidate Of(TensorQuantizer q)
    {
        if (q.Rho is double rho && q.Offsets is int[] offsets) return new(PreShiftedBias.RealBiasScale(rho), offsets.Select(b => -b).ToArray());
        if (q.Axis != ChannelAxis.Tensor) throw new ArgumentException("activation candidates are per tensor or pre-shifted");
        return new(q.Scales[0], null);
    }
}

/// <summary>
/// The search objective (Eq. 12, the layer-output squared error against the float32 output) for a whole sweep of
/// candidates of one operand while the other stays fixed, paid by the entries that change rather than a GEMM per
/// candidate. With the fixed operand folded into M and c (<see cref="QuadraticError"/>):
/// <list type="bullet">
/// <item>weights (Q(X) fixed): output channel k is a unit, M = Q(X)ᵀQ(X), c_k = Q(X)ᵀt_k, its values the column's levels
/// times its own scale;</item>
/// <item>activations (Q(W) fixed): each calibration row is a unit, M = Q(W)Q(W)ᵀ, c_r = Q(W)·t_r, its values the row's
/// levels, all times the candidate's tensor scale (FPQ's channel shifts are powers of two, folded into the values).</item>
/// </list>
/// Between neighbouring γ only the entries that cross a threshold change (<see cref="LevelWalk"/>), each costing
/// O(in). Results do not depend on the thread count: every unit's updates run in a fixed order.
/// </summary>
internal static class WalkingObjective
{
    /// <summary>Weight candidates against a fixed quantized input (one per layer search, prepared for each step).</summary>
    public sealed class Weights(LayerSample s, SortedColumns sortedWeight, float[] target, int threads)
    {
        private readonly int _in = s.Layer.In, _out = s.Layer.Out;
        private readonly double[] _constant = ColumnSquares(target, s.Rows, s.Layer.Out);
        private readonly double[] _cross = new double[s.Layer.Out * s.Layer.In]; // [k][j] = (Q(X)ᵀT)[j, k]
        private readonly float[] _values = new float[s.Layer.Out * s.Layer.In];  // [k][sorted position]
        private float[] _gram = [];

        /// <summary>Fixes the quantized input: M = Q(X)ᵀQ(X) and c_k = Q(X)ᵀt_k.</summary>
        public void Prepare(float[] quantizedInput)
        {
            float[] xqT = Transpose(quantizedInput, s.Rows, _in);
            var gram = new float[_in * _in];
            Sgemm.Multiply(xqT, quantizedInput, gram, _in, _in, s.Rows, threads);
            _gram = QuadraticError.Symmetric(gram, _in);
            var cross = new float[_in * _out];
            Sgemm.Multiply(xqT, target, cross, _in, _out, s.Rows, threads);
            for (int j = 0; j < _in; j++)
                for (int k = 0; k < _out; k++) _cross[k * _in + j] = cross[j * _out + k];
        }

        /// <summary>errors[g · out + k]: output channel k's error with bias γ_g · initialBiases[k] in <paramref name="format"/>.</summary>
        public double[] Errors(ElementFormat format, double[] initialBiases, double[] gammas)
        {
            var errors = new double[gammas.Length * _out];
            float[] levelValues = LevelValues(format, 0);
            int thresholdCount = levelValues.Length - 1;
            double Scale(int g, int k) => PreShiftedBias.RealBiasScale(gammas[g] * initialBiases[k]);
            // the first candidate of every channel at once: one GEMM
            var first = new float[_out * _in];
            var positions = new int[_out * thresholdCount];
            Parallel.For(0, _out, Options(threads), k =>
            {
                var thresholds = new float[thresholdCount];
                GridQuantizer.PositiveThresholdsAt(format.Core, Scale(0, k), thresholds);
                sortedWeight.Positions(k, thresholds, positions.AsSpan(k * thresholdCount, thresholdCount));
                LevelWalk.Fill(sortedWeight, k, positions.AsSpan(k * thresholdCount, thresholdCount), levelValues, _values.AsSpan(k * _in, _in));
                LevelWalk.Unsort(sortedWeight, k, _values.AsSpan(k * _in, _in), first.AsSpan(k * _in, _in));
            });
            var products = new float[_out * _in];
            Sgemm.Multiply(first, _gram, products, _out, _in, _in, threads);
            Parallel.For(0, _out, Options(threads), () => new ColumnScratch(_in, thresholdCount), (k, _, w) =>
            {
                ReadOnlySpan<double> c = _cross.AsSpan(k * _in, _in);
                Span<float> values = _values.AsSpan(k * _in, _in);
                for (int j = 0; j < _in; j++) w.V[j] = products[k * _in + j];
                (double a, double b) = QuadraticError.Dots(first.AsSpan(k * _in, _in), w.V, c);
                positions.AsSpan(k * thresholdCount, thresholdCount).CopyTo(w.Current);
                errors[k] = QuadraticError.At(Scale(0, k), a, b, _constant[k]);
                for (int g = 1; g < gammas.Length; g++)
                {
                    double scale = Scale(g, k);
                    GridQuantizer.PositiveThresholdsAt(format.Core, scale, w.Thresholds);
                    sortedWeight.Positions(k, w.Thresholds, w.Next);
                    w.Changes.Clear();
                    LevelWalk.Move(sortedWeight, k, w.Current, w.Next, levelValues, false, values, w.Changes);
                    QuadraticError.Apply(w.Changes.Rows, w.Changes.Deltas, _gram, _in, w.V, c, ref a, ref b);
                    errors[g * _out + k] = QuadraticError.At(scale, a, b, _constant[k]);
                    (w.Current, w.Next) = (w.Next, w.Current);
                }
                return w;
            }, _ => { });
            return errors;
        }

        private sealed class ColumnScratch(int n, int thresholds)
        {
            public readonly float[] Thresholds = new float[thresholds];
            public readonly double[] V = new double[n];
            public int[] Current = new int[thresholds], Next = new int[thresholds];
            public readonly ChangeList Changes = new();
        }
    }

    /// <summary>Activation candidates against a fixed quantized weight (one per layer search, prepared for each step).</summary>
    public sealed class Activations(LayerSample s, SortedColumns sortedInput, float[] target, int threads)
    {
        private readonly int _rows = s.Rows, _in = s.Layer.In;
        private readonly double _constant = ColumnSquares(target, s.Rows, s.Layer.Out).Sum();
        private readonly double[] _cross = new double[s.Rows * s.Layer.In]; // [r][j] = (T·Q(W)ᵀ)[r, j]
        private readonly float[] _values = new float[s.Rows * s.Layer.In];  // [j][sorted position]
        private readonly double[] _v = new double[s.Rows * s.Layer.In];     // [r][j] = (Q·M)[r, j]
        private readonly double[] _a = new double[s.Rows], _b = new double[s.Rows];
        private float[] _gram = [];

        /// <summary>Fixes the quantized weight: M = Q(W)Q(W)ᵀ and c_r = Q(W)·t_r.</summary>
        public void Prepare(float[] quantizedWeight)
        {
            int dout = s.Layer.Out;
            float[] wqT = Transpose(quantizedWeight, _in, dout);
            var gram = new float[_in * _in];
            Sgemm.Multiply(quantizedWeight, wqT, gram, _in, _in, dout, threads);
            _gram = QuadraticError.Symmetric(gram, _in);
            var cross = new float[_rows * _in];
            Sgemm.Multiply(target, wqT, cross, _rows, _in, dout, threads);
            for (int i = 0; i < cross.Length; i++) _cross[i] = cross[i];
        }

        /// <summary>The total error of each candidate, in order, with <paramref name="format"/>.</summary>
        public double[] Errors(ElementFormat format, IReadOnlyList<ActivationCandidate> candidates)
        {
            var errors = new double[candidates.Count];
            int thresholdCount = GridTable.For(format.Core).Positive.Midpoints.Length;
            var current = new int[_in * thresholdCount];
            var next = new int[_in * thresholdCount];
            var changes = new ChangeList[_in];
            for (int j = 0; j < _in; j++) changes[j] = new ChangeList();
            int[]? previousShifts = null;
            for (int g = 0; g < candidates.Count; g++)
            {
                ActivationCandidate candidate = candidates[g];
                var grids = new Dictionary<int, (float[] Thresholds, float[] LevelValues)>();
                foreach (int shift in candidate.Shifts?.Distinct() ?? [0])
                {
                    var thresholds = new float[thresholdCount];
                    GridQuantizer.PositiveThresholdsAt(format.Core, Math.ScaleB(candidate.Scale, shift), thresholds);
                    grids[shift] = (thresholds, LevelValues(format, shift));
                }
                bool first = g == 0;
                int[]? shifts = candidate.Shifts, before = previousShifts;
                Parallel.For(0, _in, Options(threads), j =>
                {
                    int shift = shifts?[j] ?? 0;
                    (float[] thresholds, float[] levelValues) = grids[shift];
                    Span<int> positions = next.AsSpan(j * thresholdCount, thresholdCount);
                    sortedInput.Positions(j, thresholds, positions);
                    Span<float> values = _values.AsSpan(j * _rows, _rows);
                    if (first) { LevelWalk.Fill(sortedInput, j, positions, levelValues, values); return; }
                    changes[j].Clear();
                    bool shifted = (before?[j] ?? 0) != shift;
                    LevelWalk.Move(sortedInput, j, current.AsSpan(j * thresholdCount, thresholdCount), positions, levelValues, shifted, values, changes[j]);
                });
                if (first) Reset(); else ApplyChanges(changes);
                double total = _constant;
                for (int r = 0; r < _rows; r++) total += QuadraticError.At(candidate.Scale, _a[r], _b[r], 0);
                errors[g] = total;
                (current, next) = (next, current);
                previousShifts = shifts;
            }
            return errors;
        }

        /// <summary>v_r = M·q_r for every row by one GEMM, then a_r and b_r.</summary>
        private void Reset()
        {
            var q = new float[_rows * _in];
            var column = new float[_rows];
            for (int j = 0; j < _in; j++)
            {
                LevelWalk.Unsort(sortedInput, j, _values.AsSpan(j * _rows, _rows), column);
                for (int r = 0; r < _rows; r++) q[r * _in + j] = column[r];
            }
            var products = new float[_rows * _in];
            Sgemm.Multiply(q, _gram, products, _rows, _in, _in, threads);
            Parallel.For(0, _rows, Options(threads), r =>
            {
                Span<double> v = _v.AsSpan(r * _in, _in);
                for (int j = 0; j < _in; j++) v[j] = products[r * _in + j];
                (_a[r], _b[r]) = QuadraticError.Dots(q.AsSpan(r * _in, _in), v, _cross.AsSpan(r * _in, _in));
            });
        }

        /// <summary>Regroups the columns' changes by row (in column order) and applies each row's as one batch.</summary>
        private void ApplyChanges(ChangeList[] changes)
        {
            var start = new int[_rows + 1];
            foreach (ChangeList list in changes)
                foreach (int r in list.Rows) start[r + 1]++;
            for (int r = 0; r < _rows; r++) start[r + 1] += start[r];
            var fill = (int[])start.Clone();
            var column = new int[start[_rows]];
            var delta = new double[start[_rows]];
            for (int j = 0; j < changes.Length; j++)
            {
                ReadOnlySpan<int> rows = changes[j].Rows;
                ReadOnlySpan<double> deltas = changes[j].Deltas;
                for (int i = 0; i < rows.Length; i++) { int at = fill[rows[i]]++; column[at] = j; delta[at] = deltas[i]; }
            }
            Parallel.For(0, _rows, Options(threads), r =>
            {
                int from = start[r], count = start[r + 1] - from;
                if (count == 0) return;
                QuadraticError.Apply(column.AsSpan(from, count), delta.AsSpan(from, count), _gram, _in, _v.AsSpan(r * _in, _in),
                    _cross.AsSpan(r * _in, _in), ref _a[r], ref _b[r]);
            });
        }
    }

    /// <summary>|v_level| · 2^shift for each level of the format's positive side.</summary>
    private static float[] LevelValues(ElementFormat format, int shift) =>
        GridTable.For(format.Core).Positive.Magnitudes.Select(m => (float)Math.ScaleB(m, shift)).ToArray();

    private static ParallelOptions Options(int threads) => new() { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };

    private static float[] Transpose(float[] x, int rows, int cols)
    {
        var t = new float[rows * cols];
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
