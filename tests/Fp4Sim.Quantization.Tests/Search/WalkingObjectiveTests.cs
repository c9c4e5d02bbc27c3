using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Search;

/// <summary>The walking objective equals the layer-output error computed from scratch, candidate for candidate.</summary>
public sealed class WalkingObjectiveTests
{
    private static readonly double[] Gammas = new SearchOptions().Gammas();

    /// <summary>x quantized by the core (EncodeQuotient + Decode) in binary64.</summary>
    private static double Reference(ElementFormat f, double scale, float x) =>
        Decoder.Decode(f.Core, Encoder.EncodeQuotient(f.Core, x, scale, RoundingContext.Default)) * scale;

    /// <summary>Σ_r (Σ_j x[r,j]·w[j,k] − t[r,k])² per k, in binary64.</summary>
    private static double[] ExactChannelErrors(LayerSample s, double[] x, double[] w, float[] t)
    {
        int din = s.Layer.In, dout = s.Layer.Out;
        var e = new double[dout];
        for (int r = 0; r < s.Rows; r++)
            for (int k = 0; k < dout; k++)
            {
                double y = 0;
                for (int j = 0; j < din; j++) y += x[r * din + j] * w[j * dout + k];
                e[k] += (y - t[r * dout + k]) * (y - t[r * dout + k]);
            }
        return e;
    }

    public static TheoryData<int, int, bool> FormatsAndDensity =>
        new() { { 2, 1, false }, { 3, 0, false }, { 1, 2, false }, { 4, 3, false }, { 2, 3, false }, { 2, 1, true }, { 4, 3, true } };

    /// <summary>A synthetic layer whose input is 90 % zeros (like the FFN-down ReLU outputs) with its float32 output.</summary>
    private static LayerSample Sparse(LayerSample dense)
    {
        float[] x = (float[])dense.Input.Clone();
        for (int i = 0; i < x.Length; i++) if (i % 10 != 3 && i % 17 != 0) x[i] = 0;
        var o = new float[dense.Rows * dense.Layer.Out];
        Fp4Sim.Quantization.Transformer.Float32Linear.Multiply(x, dense.Layer.Weight, dense.Layer.Bias, dense.Rows, dense.Layer.In,
            dense.Layer.Out, o, 1);
        return new LayerSample(dense.Layer, x, o, dense.Rows);
    }

    [Theory]
    [MemberData(nameof(FormatsAndDensity))]
    public void Weight_candidates_equal_the_exact_channel_errors(int e, int m, bool sparse)
    {
        LayerSample s = SyntheticLayer.Create(rows: 120, din: 24, dout: 10, seed: 5);
        if (sparse) s = Sparse(s);
        ElementFormat f = ElementFormat.Fp(e, m);
        float[] t = s.OutputWithoutBias();
        float[] xq = TensorQuantizer.FromBiases(f, ChannelAxis.Tensor, [f.BiasForMax(30)]).Apply(s.Input, s.Rows, s.Layer.In);
        var sorted = new SortedColumns(s.Layer.Weight, s.Layer.In, s.Layer.Out, 2);
        var sweep = new WalkingObjective.Weights(s, sorted, t, 2);
        sweep.Prepare(xq);
        double[] initial = Statistics.ColumnMaxAbs(s.Layer.Weight, s.Layer.In, s.Layer.Out).Select(f.BiasForMax).ToArray();
        double[] errors = sweep.Errors(f, initial, Gammas);
        double[] x = xq.Select(v => (double)v).ToArray();
        double[] constant = ExactChannelErrors(s, x, new double[s.Layer.Weight.Length], t);
        for (int g = 0; g < Gammas.Length; g += 7)
        {
            var w = new double[s.Layer.Weight.Length];
            for (int i = 0; i < w.Length; i++)
                w[i] = Reference(f, PreShiftedBias.RealBiasScale(Gammas[g] * initial[i % s.Layer.Out]), s.Layer.Weight[i]);
            double[] expected = ExactChannelErrors(s, x, w, t);
            for (int k = 0; k < s.Layer.Out; k++)
                Assert.Equal(expected[k], errors[g * s.Layer.Out + k], 2e-6 * (constant[k] + expected[k]));
        }
    }

    [Theory]
    [InlineData(false, false, 4, 21)]
    [InlineData(true, false, 4, 21)]
    [InlineData(true, true, 4, 21)]
    [InlineData(true, false, 8, 9)]
    [InlineData(false, true, 8, 21)]
    public void Activation_candidates_equal_the_exact_total_error(bool preShift, bool sparse, int bits, int din)
    {
        LayerSample s = SyntheticLayer.Create(rows: 90, din: din, dout: 12, seed: 6);
        if (sparse) s = Sparse(s);
        var search = new LayerSearch(s, 4, bits, preShift, new SearchOptions(Threads: 2));
        float[] t = s.OutputWithoutBias();
        ElementFormat wf = ElementFormat.Fp(2, 1);
        float[] wq = TensorQuantizer.FromMaxima(wf, ChannelAxis.Columns, Statistics.ColumnMaxAbs(s.Layer.Weight, s.Layer.In, s.Layer.Out))
            .Apply(s.Layer.Weight, s.Layer.In, s.Layer.Out);
        var sweep = new WalkingObjective.Activations(new LayerObjective(s, 2), new SortedColumns(s.Input, s.Rows, s.Layer.In, 2), t, 2);
        sweep.Prepare(wq);
        double[] w = wq.Select(v => (double)v).ToArray();
        double constant = ExactChannelErrors(s, new double[s.Input.Length], w, t).Sum();
        foreach (ElementFormat f in ElementFormat.SearchSet(bits))
        {
            TensorQuantizer[] candidates = Gammas.Select(g => search.ActivationQuantizer(f, g)).ToArray();
            double[] errors = sweep.Errors(f, candidates.Select(ActivationCandidate.Of).ToArray());
            for (int g = 0; g < Gammas.Length; g += 3)
            {
                TensorQuantizer q = candidates[g];
                var x = new double[s.Input.Length];
                for (int i = 0; i < x.Length; i++) x[i] = Reference(f, q.Scales[q.Axis == ChannelAxis.Tensor ? 0 : i % s.Layer.In], s.Input[i]);
                double exact = ExactChannelErrors(s, x, w, t).Sum();
                Assert.Equal(exact, errors[g], 2e-6 * (constant + exact));
            }
        }
    }

    [Fact]
    public void Walked_levels_equal_the_quantizer_after_every_move()
    {
        var random = new Random(3);
        int rows = 200, cols = 9;
        var x = new float[rows * cols];
        for (int i = 0; i < x.Length; i++) x[i] = i % 5 == 0 ? 0 : (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-6, 6)));
        x[7] = 6; x[8] = -6; x[16] = 0.75f; // values on grid points and midpoints
        var sorted = new SortedColumns(x, rows, cols, 2);
        foreach (ElementFormat f in new[] { ElementFormat.Fp(2, 1), ElementFormat.Fp(4, 3), ElementFormat.Fp(1, 6) })
        {
            double[] magnitudes = GridTable.For(f.Core).Positive.Magnitudes;
            int count = magnitudes.Length - 1;
            var values = new float[x.Length];
            var current = new int[cols * count];
            var next = new int[cols * count];
            var shifts = new int[cols];
            var changes = new ChangeList();
            for (int step = 0; step < 60; step++)
            {
                double scale = Math.Pow(2, random.NextDouble() * 8 - 6);
                var newShifts = Enumerable.Range(0, cols).Select(_ => step % 10 == 9 ? -random.Next(0, 3) : 0).ToArray();
                for (int c = 0; c < cols; c++)
                {
                    double divisor = Math.ScaleB(scale, newShifts[c]);
                    var thresholds = new float[count];
                    GridQuantizer.PositiveThresholdsAt(f.Core, divisor, thresholds);
                    Assert.Equal(GridQuantizer.Create(f.Core, divisor).PositiveThresholds, thresholds);
                    float[] levels = magnitudes.Select(mv => (float)Math.ScaleB(mv, newShifts[c])).ToArray();
                    Span<int> positions = next.AsSpan(c * count, count);
                    sorted.Positions(c, thresholds, positions);
                    Span<float> column = values.AsSpan(c * rows, rows);
                    var natural = new float[rows];
                    if (step == 0) LevelWalk.Fill(sorted, c, positions, levels, column);
                    else
                    {
                        changes.Clear();
                        var before = new float[rows];
                        LevelWalk.Unsort(sorted, c, column, before);
                        LevelWalk.Move(sorted, c, current.AsSpan(c * count, count), positions, levels, newShifts[c] != shifts[c], column, changes);
                        for (int i = 0; i < changes.Count; i++) before[changes.Rows[i]] += (float)changes.Deltas[i];
                        LevelWalk.Unsort(sorted, c, column, natural);
                        Assert.Equal(natural, before);
                    }
                    LevelWalk.Unsort(sorted, c, column, natural);
                    GridQuantizer q = GridQuantizer.Create(f.Core, divisor);
                    for (int r = 0; r < rows; r++)
                        Assert.Equal(q.Quantize(x[r * cols + c]), (float)(natural[r] * scale));
                }
                (current, next) = (next, current);
                shifts = newShifts;
            }
        }
    }

    [Fact]
    public void Batched_quadratic_updates_stay_equal_to_the_quadratic_form_in_binary64()
    {
        var random = new Random(4);
        int n = 40;
        var a = new float[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5);
        var mf = new float[n * n];
        Fp4Sim.Numerics.Gemm.Sgemm.MultiplyReference(a, a, mf, n, n, n);
        var m = new float[n * n];
        QuadraticError.Symmetric(mf, n, m);
        double[] c = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var q = new double[n];
        var v = new double[n];
        double qa = 0, qb = 0;
        for (int step = 0; step < 200; step++)
        {
            int[] js = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(random.Next(1, n)).ToArray();
            double[] deltas = js.Select(j => Math.ScaleB(random.Next(-12, 13), -random.Next(0, 4)) - q[j]).ToArray();
            QuadraticError.Apply(js, deltas, m, n, v, c, ref qa, ref qb);
            for (int i = 0; i < js.Length; i++) q[js[i]] += deltas[i];
        }
        double ea = 0, eb = 0;
        for (int i = 0; i < n; i++)
        {
            double mq = 0;
            for (int j = 0; j < n; j++) mq += m[i * n + j] * q[j];
            Assert.Equal(mq, v[i], 1e-10);
            ea += q[i] * mq; eb += q[i] * c[i];
        }
        Assert.Equal(ea, qa, Math.Abs(ea) * 1e-12);
        Assert.Equal(eb, qb, Math.Abs(eb) * 1e-12);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(45)]
    public void Widened_row_update_equals_the_scalar_fma(int n)
    {
        var random = new Random(n);
        float[] row = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] v = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        double[] expected = v.Select((x, i) => Math.FusedMultiplyAdd(row[i], 0.375, x)).ToArray();
        QuadraticError.AddScaled(row, 0.375, v);
        Assert.Equal(expected, v);
    }
}
