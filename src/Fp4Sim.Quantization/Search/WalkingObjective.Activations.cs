using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

internal static partial class WalkingObjective
{
    /// <summary>
    /// Activation candidates against a fixed quantized weight (one per layer search, prepared for each step);
    /// <paramref name="direct"/> is the layer's objective, used as it stands for the 8-bit candidates of wide inputs.
    /// </summary>
    public sealed class Activations(LayerObjective direct, SortedColumns sortedInput, float[] target, int threads)
    {
        private readonly int _rows = direct.Sample.Rows, _in = direct.Sample.Layer.In;
        private readonly double _constant = ColumnSquares(target, direct.Sample.Rows, direct.Sample.Layer.Out).Sum();
        private float[] _weight = [];
        private readonly double[] _cross = new double[direct.Sample.Rows * direct.Sample.Layer.In]; // [r][j] = (T·Q(W)ᵀ)[r, j]
        private readonly float[] _values = new float[direct.Sample.Rows * direct.Sample.Layer.In];  // [j][sorted position]
        private readonly double[] _v = new double[direct.Sample.Rows * direct.Sample.Layer.In];     // [r][j] = (Q·M)[r, j]
        private readonly double[] _a = new double[direct.Sample.Rows], _b = new double[direct.Sample.Rows];
        private readonly float[] _resetQ = new float[direct.Sample.Rows * direct.Sample.Layer.In],
            _resetProducts = new float[direct.Sample.Rows * direct.Sample.Layer.In],
            _resetNatural = new float[direct.Sample.Rows * direct.Sample.Layer.In];
        private readonly float[] _gram = new float[direct.Sample.Layer.In * direct.Sample.Layer.In],
            _product = new float[direct.Sample.Layer.In * direct.Sample.Layer.In];
        private readonly float[] _transposed = new float[direct.Sample.Layer.In * direct.Sample.Layer.Out];
        private readonly ChangeList[] _changes = Enumerable.Range(0, direct.Sample.Layer.In).Select(_ => new ChangeList()).ToArray();
        private int[] _ends = [], _counts = [], _start = [], _slotRow = [], _slotColumn = [];
        private short[] _slotStep = [];
        private double[] _slotDelta = [], _partial = [];

        /// <summary>Fixes the quantized weight: M = Q(W)Q(W)ᵀ and c_r = Q(W)·t_r.</summary>
        public void Prepare(float[] quantizedWeight)
        {
            int dout = direct.Sample.Layer.Out;
            _weight = quantizedWeight;
            float[] wqT = MatrixLayout.Transpose(quantizedWeight, _in, dout, _transposed);
            Sgemm.Multiply(quantizedWeight, wqT, _product, _in, _in, dout, threads);
            QuadraticError.Symmetric(_product, _in, _gram);
            float[] cross = _resetProducts; // scratch until the next sweep
            Sgemm.Multiply(target, wqT, cross, _rows, _in, dout, threads);
            for (int i = 0; i < cross.Length; i++) _cross[i] = cross[i];
        }

        /// <summary>
        /// The total error of each candidate, in order, with <paramref name="format"/>. The levels are walked column by
        /// column for every candidate first (recording each change with its step); the first candidate's state comes
        /// from one GEMM; then each row runs through all candidates with its v in the core's cache, adding its error
        /// to every candidate's total. Rows are summed in fixed blocks, so the totals do not depend on the thread count.
        /// </summary>
        public double[] Errors(ElementFormat format, IReadOnlyList<ActivationCandidate> candidates)
        {
            if (!Walks(format)) return FromScratch(format, candidates);
            int steps = candidates.Count;
            ChangeList[] changes = WalkColumns(format, candidates, out int[] stepEnds);
            const int BlockRows = 32;
            int blocks = (_rows + BlockRows - 1) / BlockRows;
            double[] partial = Buffers.Zeroed(ref _partial, blocks * steps);
            // slot ranges: block-major, then column; within a range the column's changes in step order
            int[] counts = Buffers.Zeroed(ref _counts, _in * blocks);
            Parallel.For(0, _in, Options(threads), j =>
            {
                foreach (int r in changes[j].Rows) counts[j * blocks + r / BlockRows]++;
            });
            int[] start = Buffers.AtLeast(ref _start, _in * blocks);
            var blockStart = new int[blocks + 1];
            int total = 0;
            for (int k = 0; k < blocks; k++)
            {
                blockStart[k] = total;
                for (int j = 0; j < _in; j++) { start[j * blocks + k] = total; total += counts[j * blocks + k]; }
            }
            blockStart[blocks] = total;
            int[] slotRow = Buffers.AtLeast(ref _slotRow, total), slotColumn = Buffers.AtLeast(ref _slotColumn, total);
            short[] slotStep = Buffers.AtLeast(ref _slotStep, total);
            double[] slotDelta = Buffers.AtLeast(ref _slotDelta, total);
            Parallel.For(0, _in, Options(threads), j =>
            {
                ReadOnlySpan<int> rows = changes[j].Rows;
                ReadOnlySpan<double> deltas = changes[j].Deltas;
                int g = 1;
                for (int i = 0; i < rows.Length; i++)
                {
                    while (i >= stepEnds[j * steps + g]) g++;
                    int at = start[j * blocks + rows[i] / BlockRows]++;
                    slotRow[at] = rows[i]; slotColumn[at] = j; slotStep[at] = (short)g; slotDelta[at] = deltas[i];
                }
            });
            var scales = candidates.Select(c => c.Scale).ToArray();
            Parallel.For(0, blocks, Options(threads), k => RunBlock(k * BlockRows, Math.Min(_rows, (k + 1) * BlockRows), steps, scales,
                slotRow, slotColumn, slotStep, slotDelta, blockStart[k], blockStart[k + 1], partial.AsSpan(k * steps, steps)));
            var errors = new double[steps];
            for (int g = 0; g < steps; g++)
            {
                double sum = _constant;
                for (int k = 0; k < blocks; k++) sum += partial[k * steps + g];
                errors[g] = sum;
            }
            return errors;
        }

        /// <summary>
        /// Walks every column through all the candidates (one task per column, whose sorted entries stay in cache),
        /// recording the changes — stepEnds[j · steps + g] counts column j's changes up to and including step g — and
        /// resets the state from the first candidate's values.
        /// </summary>
        private ChangeList[] WalkColumns(ElementFormat format, IReadOnlyList<ActivationCandidate> candidates, out int[] stepEnds)
        {
            int steps = candidates.Count, thresholdCount = GridTable.For(format.Core).Positive.Midpoints.Length;
            var grids = candidates.Select(c => Grids(format, c, thresholdCount)).ToArray();
            ChangeList[] changes = _changes;
            int[] ends = Buffers.AtLeast(ref _ends, _in * steps);
            Parallel.For(0, _in, Options(threads), j =>
            {
                var current = new int[thresholdCount];
                var next = new int[thresholdCount];
                ChangeList list = changes[j];
                list.Clear();
                Span<float> values = _values.AsSpan(j * _rows, _rows);
                int previousShift = 0;
                for (int g = 0; g < steps; g++)
                {
                    int shift = candidates[g].Shifts?[j] ?? 0;
                    (float[] thresholds, float[] levelValues) = grids[g][shift];
                    sortedInput.Positions(j, thresholds, next);
                    if (g == 0)
                    {
                        LevelWalk.Fill(sortedInput, j, next, levelValues, values);
                        LevelWalk.Unsort(sortedInput, j, values, _resetNatural.AsSpan(j * _rows, _rows));
                    }
                    else LevelWalk.Move(sortedInput, j, current, next, levelValues, shift != previousShift, values, list);
                    ends[j * steps + g] = list.Count;
                    (current, next) = (next, current);
                    previousShift = shift;
                }
            });
            Reset();
            stepEnds = ends;
            return changes;
        }

        /// <summary>Thresholds and level values of a candidate, per shift (FPQ's shifts take a few values).</summary>
        private static Dictionary<int, (float[] Thresholds, float[] LevelValues)> Grids(ElementFormat format, ActivationCandidate candidate,
            int thresholdCount)
        {
            var grids = new Dictionary<int, (float[] Thresholds, float[] LevelValues)>();
            foreach (int shift in candidate.Shifts?.Distinct() ?? [0])
            {
                var thresholds = new float[thresholdCount];
                GridQuantizer.PositiveThresholdsAt(format.Core, Math.ScaleB(candidate.Scale, shift), thresholds);
                grids[shift] = (thresholds, LevelValues(format, shift));
            }
            return grids;
        }

        /// <summary>
        /// Every candidate from scratch, for grids with too many levels to walk: the levels, then the quadratic by one
        /// GEMM (rows·in², when in ≤ out) or the layer output itself (rows·in·out, sparse rows for ReLU inputs).
        /// </summary>
        private double[] FromScratch(ElementFormat format, IReadOnlyList<ActivationCandidate> candidates)
        {
            int thresholdCount = GridTable.For(format.Core).Positive.Midpoints.Length;
            var errors = new double[candidates.Count];
            for (int g = 0; g < candidates.Count; g++)
            {
                ActivationCandidate candidate = candidates[g];
                Dictionary<int, (float[] Thresholds, float[] LevelValues)> grids = Grids(format, candidate, thresholdCount);
                Parallel.For(0, _in, Options(threads), j =>
                {
                    (float[] thresholds, float[] levelValues) = grids[candidate.Shifts?[j] ?? 0];
                    var positions = new int[thresholdCount];
                    sortedInput.Positions(j, thresholds, positions);
                    Span<float> values = _values.AsSpan(j * _rows, _rows);
                    LevelWalk.Fill(sortedInput, j, positions, levelValues, values);
                    LevelWalk.Unsort(sortedInput, j, values, _resetNatural.AsSpan(j * _rows, _rows));
                });
                if (_in <= direct.Sample.Layer.Out)
                {
                    Reset();
                    double total = _constant;
                    for (int r = 0; r < _rows; r++) total += QuadraticError.At(candidate.Scale, _a[r], _b[r], 0);
                    errors[g] = total;
                }
                else
                {
                    float[] xq = MatrixLayout.Transpose(_resetNatural, _in, _rows, _resetQ);
                    for (int i = 0; i < xq.Length; i++) xq[i] = (float)(candidate.Scale * xq[i]); // exact: the fake-quantized value
                    errors[g] = direct.ChannelErrors(xq, _weight).Sum();
                }
            }
            return errors;
        }

        /// <summary>Rows [first, end) through every candidate: each row's changes sorted by step (stable), applied step by step.</summary>
        private void RunBlock(int first, int end, int steps, double[] scales, int[] slotRow, int[] slotColumn, short[] slotStep, double[] slotDelta,
            int from, int to, Span<double> partial)
        {
            int rowsHere = end - first, count = to - from, keys = rowsHere * steps;
            BlockScratch w = t_scratch ??= new BlockScratch();
            int[] keyStart = Buffers.Zeroed(ref w.KeyStart, keys + 1);
            for (int i = from; i < to; i++) keyStart[(slotRow[i] - first) * steps + slotStep[i] + 1]++;
            for (int key = 0; key < keys; key++) keyStart[key + 1] += keyStart[key];
            int[] fill = Buffers.AtLeast(ref w.Fill, keys);
            Array.Copy(keyStart, fill, keys);
            int[] columns = Buffers.AtLeast(ref w.Columns, count);
            double[] deltas = Buffers.AtLeast(ref w.Deltas, count);
            for (int i = from; i < to; i++)
            {
                int at = fill[(slotRow[i] - first) * steps + slotStep[i]]++;
                columns[at] = slotColumn[i]; deltas[at] = slotDelta[i];
            }
            for (int r = first; r < end; r++)
            {
                Span<double> v = _v.AsSpan(r * _in, _in);
                ReadOnlySpan<double> c = _cross.AsSpan(r * _in, _in);
                double a = _a[r], b = _b[r];
                for (int g = 0; g < steps; g++)
                {
                    int key = (r - first) * steps + g, n = keyStart[key + 1] - keyStart[key];
                    if (n > 0)
                        QuadraticError.Apply(columns.AsSpan(keyStart[key], n), deltas.AsSpan(keyStart[key], n), _gram, _in, v, c, ref a, ref b);
                    partial[g] += QuadraticError.At(scales[g], a, b, 0);
                }
            }
        }

        [ThreadStatic] private static BlockScratch? t_scratch;

        /// <summary>One worker's buffers for <see cref="RunBlock"/>, kept between blocks and sweeps.</summary>
        private sealed class BlockScratch
        {
            public int[] KeyStart = [], Fill = [], Columns = [];
            public double[] Deltas = [];
        }

        /// <summary>v_r = M·q_r for every row by one GEMM from the first candidate's values (in row order), then a_r and b_r.</summary>
        private void Reset()
        {
            float[] q = _resetQ, products = _resetProducts;
            MatrixLayout.Transpose(_resetNatural, _in, _rows, q);
            Sgemm.Multiply(q, _gram, products, _rows, _in, _in, threads);
            Parallel.For(0, _rows, Options(threads), r =>
            {
                ReadOnlySpan<float> mq = products.AsSpan(r * _in, _in);
                Span<double> v = _v.AsSpan(r * _in, _in);
                for (int j = 0; j < _in; j++) v[j] = mq[j];
                (_a[r], _b[r]) = QuadraticError.Dots(q.AsSpan(r * _in, _in), mq, _cross.AsSpan(r * _in, _in));
            });
        }
    }
}
