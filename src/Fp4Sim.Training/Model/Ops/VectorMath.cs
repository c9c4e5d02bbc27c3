using System.Runtime.Intrinsics;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>
/// A vectorized float exponential (relative error ≈ 1.2e-7). TensorPrimitives.Exp widens to double and measured an
/// order of magnitude slower than MathF.Exp on the build machine, and the softmaxes, the loss and SwiGLU call exp
/// about half a million times per step.
/// </summary>
internal static class VectorMath
{
    // Cody–Waite split of ln 2 and the minimax polynomial of exp on [−ln2/2, ln2/2] (Cephes expf).
    private const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;

    /// <summary>y = exp(x) element-wise; inputs are clamped to [−87.3, 88] (results ≈ 1e-38 to 1.7e38, never infinite).</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("destination too short", nameof(y));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                Exp(Vector256.Create(x.Slice(i, Vector256<float>.Count))).CopyTo(y.Slice(i, Vector256<float>.Count));
        for (; i < x.Length; i++) y[i] = MathF.Exp(Math.Clamp(x[i], -87.3365478515625f, 88f));
    }

    /// <summary>y = 1 / (1 + exp(−x)) element-wise.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("destination too short", nameof(y));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> e = Exp(-Vector256.Create(x.Slice(i, Vector256<float>.Count)));
                (Vector256<float>.One / (Vector256<float>.One + e)).CopyTo(y.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < x.Length; i++) y[i] = 1f / (1f + MathF.Exp(Math.Clamp(-x[i], -87.3365478515625f, 88f)));
    }

    private static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Max(Vector256.Min(x, Vector256.Create(88f)), Vector256.Create(-87.3365478515625f));
        Vector256<float> n = Vector256.Round(x * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        // 2ⁿ built in the exponent field: n is in [−126, 127], so the power is a normal float.
        Vector256<int> power = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return p * power.AsSingle();
    }
}
