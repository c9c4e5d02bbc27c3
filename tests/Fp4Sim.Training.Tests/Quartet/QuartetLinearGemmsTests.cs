using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Model;
using Fp4Sim.Training.Quartet;

namespace Fp4Sim.Training.Tests.Quartet;

public class QuartetLinearGemmsTests
{
    private const int Tokens = 64, Inputs = 96, Outputs = 64;

    private static (float[] X, float[] W, float[] Dy) Operands(ulong seed)
    {
        var rng = new SplitMix64(seed);
        float[] x = HadamardTests.Gaussian(rng, Tokens * Inputs), w = HadamardTests.Gaussian(rng, Outputs * Inputs, 0.05);
        float[] dy = HadamardTests.Gaussian(rng, Tokens * Outputs, 1e-3);
        for (int i = 0; i < 40; i++) x[rng.Below((ulong)x.Length)] *= 30; // outliers for the trust mask to clip
        return (x, w, dy);
    }

    /// <summary>The oracle's quantized operand: per element its value, its kept bit, and its blocks' codes.</summary>
    private sealed record OracleTensor(double[] Values, bool[] Kept, uint[] Scales, byte[] Codes);

    private static OracleTensor Quantize(float[] m, int rows, int columns, Func<float[], (int E, byte[] Codes, uint Mask)> quantize,
        int[]? signs, double rangeFactor)
    {
        var t = new OracleTensor(new double[m.Length], new bool[m.Length], new uint[m.Length / 32], new byte[m.Length]);
        for (int row = 0; row < rows; row++)
            for (int g = 0; g < columns / 32; g++)
            {
                float[] r = QuartetOracle.Rotate(QuartetOracle.Row(m, row, columns, g), signs ?? [.. Enumerable.Repeat(1, 32)]);
                (int e, byte[] codes, uint mask) = quantize(r);
                int block = (row * columns + g * 32) / 32;
                t.Scales[block] = (uint)(e + 127);
                for (int i = 0; i < 32; i++)
                {
                    int at = row * columns + g * 32 + i;
                    t.Codes[at] = codes[i];
                    t.Values[at] = QuartetOracle.E2M1Value(codes[i]) * Math.Pow(2, e) * rangeFactor;
                    t.Kept[at] = (mask >> i & 1) != 0;
                }
            }
        return t;
    }

    private static OracleTensor Quest(float[] m, int rows, int columns) => Quantize(m, rows, columns, QuartetOracle.Quest, null, 1);

    private static OracleTensor AbsMax(float[] m, int rows, int columns, int[] signs) =>
        Quantize(m, rows, columns, r => { (int e, byte[] c) = QuartetOracle.AbsMax(r); return (e, c, uint.MaxValue); }, signs, 4.0 / 3);

    private static float[] Transpose(double[] m, int rows, int columns) =>
        [.. Enumerable.Range(0, m.Length).Select(i => (float)m[i % rows * columns + i / rows])];

    /// <summary>C = A·Bᵀ over r in double, with the bound of a binary32 fused-add chain over the r/32 block terms.</summary>
    private static (double[] C, double[] Bound) Gemm(double[] a, double[] b, int m, int n, int r)
    {
        var c = new double[m * n];
        var bound = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int block = 0; block < r / 32; block++)
                {
                    double term = 0;
                    for (int p = block * 32; p < (block + 1) * 32; p++) term += a[i * r + p] * b[j * r + p];
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                c[i * n + j] = sum;
                bound[i * n + j] = (r / 32 + 1) * Math.ScaleB(magnitude, -24) + 1e-40;
            }
        return (c, bound);
    }

    /// <summary>x·Hᵀ along rows in double (H symmetric: the same matrix), and the propagated bound.</summary>
    private static (double[] V, double[] Bound) RotateBack(double[] c, double[] bound, int rows, int columns)
    {
        double h = 1 / Math.Sqrt(32);
        var v = new double[c.Length];
        var b = new double[c.Length];
        for (int row = 0; row < rows; row++)
            for (int g = 0; g < columns; g += 32)
                for (int k = 0; k < 32; k++)
                {
                    double sum = 0, err = 0;
                    for (int j = 0; j < 32; j++)
                    {
                        int at = row * columns + g + j;
                        sum += QuartetOracle.HadamardSign(j, k) * h * c[at];
                        err += h * (bound[at] + Math.ScaleB(Math.Abs(c[at]), -22));
                    }
                    v[row * columns + g + k] = sum;
                    b[row * columns + g + k] = err + Math.ScaleB(Math.Abs(sum), -22);
                }
        return (v, b);
    }

    private static void AssertWithin(double[] expected, double[] bound, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= bound[i], $"{what}[{i}]: {actual[i]} vs {expected[i]} ± {bound[i]}");
    }

    [Fact]
    public void ForwardIsTheQuestOperandsMultipliedWithFp32Accumulation()
    {
        (float[] x, float[] w, _) = Operands(1);
        LinearForward f = new QuartetLinearGemms().Forward(x, w, Tokens, Inputs, Outputs);
        OracleTensor xq = Quest(x, Tokens, Inputs), wq = Quest(w, Outputs, Inputs);
        var saved = (QuartetLinearGemms.Saved)f.Saved;
        Assert.Equal(xq.Codes, saved.Input.Matrix.Data.Elements);
        Assert.Equal(xq.Scales, saved.Input.Matrix.Data.Scales);
        Assert.Equal(xq.Kept, Enumerable.Range(0, x.Length).Select(saved.Input.Kept));
        Assert.Contains(false, xq.Kept); // the outliers were clipped
        (double[] y, double[] bound) = Gemm(xq.Values, wq.Values, Tokens, Outputs, Inputs);
        AssertWithin(y, bound, f.Output, "y");
    }

    [Theory]
    [InlineData(11UL, SignPlacement.Before)]
    [InlineData(12UL, SignPlacement.After)]
    public void BackwardMatchesTheFloat64ReImplementation(ulong seed, SignPlacement placement)
    {
        (float[] x, float[] w, float[] dy) = Operands(seed);
        var gemms = new QuartetLinearGemms(new QuartetOptions(Placement: placement));
        LinearForward f = gemms.Forward(x, w, Tokens, Inputs, Outputs);
        LinearGradients g = gemms.Backward(f, dy, seed);
        OracleTensor xq = Quest(x, Tokens, Inputs), wq = Quest(w, Outputs, Inputs);
        BackwardStreams seeds = BackwardStreams.From(seed);
        int[] dSigns = HadamardTests.Signs(seeds.DgradSigns), wSigns = HadamardTests.Signs(seeds.WgradSigns);
        bool before = placement == SignPlacement.Before;
        // The oracle's rotation takes signs before or after; the quantizers see the rotated values either way.
        OracleTensor Rotated(float[] m, int rows, int columns, int[] signs) => before
            ? AbsMax(m, rows, columns, signs)
            : Quantize(m, rows, columns, r => { (int e, byte[] c) = QuartetOracle.AbsMax(AfterSigns(r, signs)); return (e, c, uint.MaxValue); },
                null, 4.0 / 3);
        // dgrad: dY (t × n) and Wqᵀ (k × n) along n.
        OracleTensor a = Rotated(dy, Tokens, Outputs, dSigns), b = Rotated(Transpose(wq.Values, Outputs, Inputs), Inputs, Outputs, dSigns);
        (double[] dxr, double[] dxBound) = Gemm(a.Values, b.Values, Tokens, Inputs, Outputs);
        for (int i = 0; i < dxr.Length; i++) if (!xq.Kept[i]) { dxr[i] = 0; dxBound[i] = 0; }
        (double[] dx, double[] dxTotal) = RotateBack(dxr, dxBound, Tokens, Inputs);
        AssertWithin(dx, dxTotal, g.Input, "dX");
        // wgrad: dYᵀ (n × t) and Xqᵀ (k × t) along t.
        a = Rotated(Transpose([.. dy.Select(v => (double)v)], Tokens, Outputs), Outputs, Tokens, wSigns);
        b = Rotated(Transpose(xq.Values, Tokens, Inputs), Inputs, Tokens, wSigns);
        (double[] dwr, double[] dwBound) = Gemm(a.Values, b.Values, Outputs, Inputs, Tokens);
        for (int i = 0; i < dwr.Length; i++) if (!wq.Kept[i]) { dwr[i] = 0; dwBound[i] = 0; }
        (double[] dw, double[] dwTotal) = RotateBack(dwr, dwBound, Outputs, Inputs);
        AssertWithin(dw, dwTotal, g.Weight, "dW");
    }

    private static float[] AfterSigns(float[] r, int[] signs) => [.. r.Select((v, j) => v * signs[j])];

    [Fact]
    public void GradientsFollowTheFullPrecisionOnes()
    {
        (float[] x, float[] w, float[] dy) = Operands(5);
        LinearGradients exact = new Fp32LinearGemms().Backward(new Fp32LinearGemms().Forward(x, w, Tokens, Inputs, Outputs), dy, 0);
        foreach (ILinearGemms gemms in new ILinearGemms[] { new QuartetLinearGemms(), new QuartetLinearGemms(new(StochasticBackward: true)),
                     new NaiveMxLinearGemms() })
        {
            LinearGradients g = gemms.Backward(gemms.Forward(x, w, Tokens, Inputs, Outputs), dy, 3);
            Assert.InRange(Cosine(g.Input, exact.Input), 0.85, 1);
            Assert.InRange(Cosine(g.Weight, exact.Weight), 0.85, 1);
        }
    }

    [Fact]
    public void TheSeedDecidesTheBackwardPass()
    {
        (float[] x, float[] w, float[] dy) = Operands(6);
        foreach (bool sr in new[] { false, true })
        {
            var gemms = new QuartetLinearGemms(new QuartetOptions(StochasticBackward: sr));
            LinearForward f = gemms.Forward(x, w, Tokens, Inputs, Outputs);
            Assert.Equal(gemms.Backward(f, dy, 8).Input, gemms.Backward(f, dy, 8).Input);
            Assert.NotEqual(gemms.Backward(f, dy, 8).Weight, gemms.Backward(f, dy, 9).Weight);
        }
    }

    [Fact]
    public void RescaleIsOneRoundingOfSixteenNinths()
    {
        float[] c = [1f, -9f, 3e38f, float.MaxValue, 1e-45f, 0.3f];
        float[] expected = [.. c.Select(v => (float)(16.0 * v / 9))]; // 16v/9 in binary64 then binary32: no double-rounding case here
        QuartetLinearGemms.RescaleBackward(c);
        Assert.Equal(16f / 9f, c[0]);
        Assert.Equal(-16f, c[1]);
        Assert.Equal(expected[2], c[2]);
        Assert.Equal(float.PositiveInfinity, c[3]);
        Assert.Equal(expected[4], c[4]);
        Assert.Equal(expected[5], c[5]);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
