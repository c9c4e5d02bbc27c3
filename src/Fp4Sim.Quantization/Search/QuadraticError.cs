using System.Runtime.Intrinsics;

namespace Fp4Sim.Quantization.Search;

/// <summary>
/// One unit's squared error as a quadratic in its unit-scale values q: |s·A·q − t|² = s²·qᵀMq − 2s·q·c + |t|², with
/// M = AᵀA (symmetric float32, n × n) and c = Aᵀt fixed for a step of the search. The state — v = M·q, a = qᵀMq,
/// b = q·c — is kept in binary64 and updated in O(n) per entry of q that changes, so a sweep pays for the entries
/// that change instead of a GEMM per candidate. q holds small dyadic values, so every product with an entry of M is
/// exact and only the running sums round.
/// </summary>
internal static class QuadraticError
{
    /// <summary>a = q·v and b = q·c for a fresh v = M·q (the float32 GEMM's product).</summary>
    public static (double A, double B) Dots(ReadOnlySpan<float> q, ReadOnlySpan<float> v, ReadOnlySpan<double> c)
    {
        double a = 0, b = 0;
        for (int j = 0; j < q.Length; j++)
            if (q[j] != 0) { a += q[j] * (double)v[j]; b += q[j] * c[j]; }
        return (a, b);
    }

    /// <summary>
    /// q_j += δ_j for a batch of distinct j: v += Σ δ_j·M_j, b += Σ δ_j·c_j and a += 2·δᵀv + δᵀMδ, the last two
    /// taken as δᵀv before plus δᵀv after the update (which is δᵀv + δᵀMδ).
    /// </summary>
    public static void Apply(ReadOnlySpan<int> js, ReadOnlySpan<double> deltas, float[] m, int n, Span<double> v,
        ReadOnlySpan<double> c, ref double a, ref double b)
    {
        double before = 0, linear = 0, after = 0;
        for (int i = 0; i < js.Length; i++) { before += deltas[i] * v[js[i]]; linear += deltas[i] * c[js[i]]; }
        for (int i = 0; i < js.Length; i++) AddScaled(m.AsSpan(js[i] * n, n), deltas[i], v);
        for (int i = 0; i < js.Length; i++) after += deltas[i] * v[js[i]];
        a += before + after;
        b += linear;
    }

    /// <summary>q_j += δ alone: a += δ·(2·v_j + δ·M_jj), v += δ·M_j, b += δ·c_j.</summary>
    public static void Update(int j, double delta, float[] m, int n, Span<double> v, ReadOnlySpan<double> c, ref double a, ref double b)
    {
        a += delta * (2 * v[j] + delta * m[j * n + j]);
        AddScaled(m.AsSpan(j * n, n), delta, v);
        b += delta * c[j];
    }

    /// <summary>The error at scale s: s²·a − 2s·b + κ.</summary>
    public static double At(double scale, double a, double b, double constant) => scale * (scale * a - 2 * b) + constant;

    /// <summary>v += δ·row, the float32 row widened to binary64 (each product exact, one rounding per element).</summary>
    public static unsafe void AddScaled(ReadOnlySpan<float> row, double delta, Span<double> v)
    {
        int n = row.Length, c = 0;
        if (v.Length < n) throw new ArgumentException("destination shorter than the row");
        fixed (float* m = row)
        fixed (double* pv = v)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var d = Vector512.Create(delta);
                for (; c + 16 <= n; c += 16)
                {
                    (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(Vector512.Load(m + c));
                    Vector512.Store(Vector512.FusedMultiplyAdd(lo, d, Vector512.Load(pv + c)), pv + c);
                    Vector512.Store(Vector512.FusedMultiplyAdd(hi, d, Vector512.Load(pv + c + 8)), pv + c + 8);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var d = Vector256.Create(delta);
                for (; c + 8 <= n; c += 8)
                {
                    (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.Load(m + c));
                    Vector256.Store(Vector256.FusedMultiplyAdd(lo, d, Vector256.Load(pv + c)), pv + c);
                    Vector256.Store(Vector256.FusedMultiplyAdd(hi, d, Vector256.Load(pv + c + 4)), pv + c + 4);
                }
            }
            for (; c < n; c++) pv[c] = Math.FusedMultiplyAdd(m[c], delta, pv[c]);
        }
    }

    /// <summary>Mᵀ = M exactly: the upper triangle of a float32 product mirrored (its halves were summed in different orders).</summary>
    public static void Symmetric(float[] m, int n, float[] destination)
    {
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) destination[i * n + j] = destination[j * n + i] = m[i * n + j];
    }
}
