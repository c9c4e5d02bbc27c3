using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Numerics.Tests.Gemm;

/// <summary>
/// <see cref="Sgemm"/> against a double-precision product, with the rigorous bound
/// |c − exact| ≤ k·2⁻²³·Σ_p |a[i,p]|·|b[p,j]| (float32 products are exact in double, so the double sum is off by
/// far less than the slack between this bound and γ of the kernel's k + ⌈k/KC⌉ roundings).
/// </summary>
public class SgemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 7, 13, 5 }, { 65, 33, 257 }, { 6, 16, 256 }, { 5, 15, 255 }, { 12, 32, 512 },
        { 13, 17, 1 }, { 1, 100, 3 }, { 100, 1, 3 }, { 121, 47, 300 }, { 241, 20, 70 }, { 7, 2065, 9 },
        { 3, 5, 513 }, { 19, 9, 2 }, { 130, 70, 300 }, { 200, 19, 600 }, { 17, 500, 300 },
    };

    public static TheoryData<int, int, int> EmptyShapes => new() { { 0, 5, 3 }, { 3, 0, 4 }, { 0, 0, 0 } };

    [Theory, MemberData(nameof(Shapes))]
    public void Multiply_OneAndTwoThreads_WithinBound(int m, int n, int k)
    {
        (float[] a, float[] b) = RandomMatrices(m, n, k, seed: m * 1_000_003 + n * 1009 + k);
        foreach (int threads in new[] { 1, 2, 0 })
        {
            float[] c = Garbage(m * n + 3);
            Sgemm.Multiply(a, b, c, m, n, k, threads);
            AssertWithinBound(a, b, c, m, n, k, $"threads={threads}");
            Assert.All(c[(m * n)..], x => Assert.True(float.IsNaN(x), "wrote past m·n"));
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void KernelPath_ForcedShares_WithinBound(int m, int n, int k)
    {
        // Sgemm.Multiply keeps small products on one core; drive the share split directly, more shares than tiles included.
        if (!Fma.IsSupported) return;
        (float[] a, float[] b) = RandomMatrices(m, n, k, seed: k * 7919 + n * 31 + m);
        foreach (int threads in new[] { 1, 2, 3, 64 })
        {
            float[] c = Garbage(m * n);
            SgemmKernel.Multiply(a, b, c, m, n, k, threads);
            AssertWithinBound(a, b, c, m, n, k, $"shares={threads}");
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ScalarAndReference_WithinBound(int m, int n, int k)
    {
        (float[] a, float[] b) = RandomMatrices(m, n, k, seed: 17 + m + n + k);
        float[] c = Garbage(m * n);
        Sgemm.MultiplyScalar(a, b, c, m, n, k);
        AssertWithinBound(a, b, c, m, n, k, "scalar");
        c = Garbage(m * n);
        Sgemm.MultiplyReference(a, b, c, m, n, k);
        AssertWithinBound(a, b, c, m, n, k, "reference");
    }

    [Fact]
    public void Multiply_SmallIntegers_Exact()
    {
        // Integer entries ≤ 8 in magnitude and k ≤ 300: every partial sum is an integer below 2²⁴, so every order is exact.
        const int m = 37, n = 41, k = 300;
        var random = new Random(5);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)random.Next(-8, 9)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)random.Next(-8, 9)).ToArray();
        float[] c = Garbage(m * n), expected = new float[m * n];
        Sgemm.Multiply(a, b, c, m, n, k, threads: 2);
        Sgemm.MultiplyReference(a, b, expected, m, n, k);
        Assert.Equal(expected, c);
        Assert.Equal(Dot(a, b, n, k, 3, 4), c[3 * n + 4]);
    }

    [Fact]
    public void Multiply_ZeroK_GivesZeros()
    {
        float[] c = Garbage(6 * 9);
        Sgemm.Multiply([], [], c, 6, 9, 0);
        Assert.All(c, x => Assert.Equal(0f, x));
    }

    [Theory, MemberData(nameof(EmptyShapes))]
    public void Multiply_EmptyOutput_DoesNothing(int m, int n, int k)
    {
        float[] c = Garbage(2);
        Sgemm.Multiply(new float[m * k], new float[k * n], c, m, n, k);
        Assert.All(c, x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public void BoundCheck_RejectsOneDroppedProduct()
    {
        // The bound is tight enough to fail: a product missing one k term is caught.
        const int m = 9, n = 20, k = 257;
        (float[] a, float[] b) = RandomMatrices(m, n, k, seed: 3, spread: 0);
        float[] c = new float[m * n];
        Sgemm.Multiply(a, b, c, m, n, k, threads: 1);
        Assert.True(WithinBound(a, b, c, m, n, k, out _));
        // Drop a typical term (the median magnitude), not the largest.
        float[] terms = Enumerable.Range(0, k).Select(p => a[4 * k + p] * b[p * n + 7]).OrderBy(Math.Abs).ToArray();
        c[4 * n + 7] -= terms[k / 2];
        Assert.False(WithinBound(a, b, c, m, n, k, out _));
    }

    [Fact]
    public void Multiply_BadShapes_Throw()
    {
        float[] six = new float[6];
        Assert.Equal("m", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(six, six, six, -1, 2, 3)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(six, six, six, 2, -2, 3)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(six, six, six, 2, 2, -3)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(new float[5], six, six, 2, 2, 3)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(six, new float[5], six, 2, 2, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(six, six, new float[3], 2, 2, 3)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(six, six, six, 100_000, 0, 100_000)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Sgemm.MultiplyReference(six, six, new float[3], 2, 2, 3)).ParamName);
        Assert.Contains("2×3", Assert.Throws<ArgumentException>(() => Sgemm.Multiply(new float[5], six, six, 2, 2, 3)).Message);
    }

    private static (float[] A, float[] B) RandomMatrices(int m, int n, int k, int seed, int spread = 6)
    {
        // Mixed signs and magnitudes over ±spread binades, so cancellation and scale both occur.
        var random = new Random(seed);
        float Next() => (float)((random.NextDouble() * 2 - 1) * Math.ScaleB(1.0, random.Next(-spread, spread + 1)));
        return (Enumerable.Range(0, m * k).Select(_ => Next()).ToArray(), Enumerable.Range(0, k * n).Select(_ => Next()).ToArray());
    }

    private static float[] Garbage(int length) => Enumerable.Repeat(float.NaN, length).ToArray();

    private static float Dot(float[] a, float[] b, int n, int k, int i, int j)
    {
        double s = 0;
        for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
        return (float)s;
    }

    private static void AssertWithinBound(float[] a, float[] b, float[] c, int m, int n, int k, string label)
        => Assert.True(WithinBound(a, b, c, m, n, k, out string where), $"{label} {m}×{n}×{k}: {where}");

    private static bool WithinBound(float[] a, float[] b, float[] c, int m, int n, int k, out string where)
    {
        where = "";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)a[i * k + p] * b[p * n + j];
                    exact += product;
                    magnitude += Math.Abs(product);
                }
                double error = Math.Abs(c[i * n + j] - exact);
                double bound = k * Math.ScaleB(1.0, -23) * magnitude;
                if (!(error <= bound))
                {
                    where = $"c[{i},{j}] = {c[i * n + j]:R}, exact {exact:R}, error {error:E3} > bound {bound:E3}";
                    return false;
                }
            }
        }
        return true;
    }
}
