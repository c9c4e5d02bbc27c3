using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Quartet;

/// <summary>One quantizer measured on Gaussian groups, next to what Quartet's Table 2 publishes (null where it has no row).</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Sigma">The standard deviation of the input (the Table's rows use 1).</param>
/// <param name="Mse">Mean squared error of the reconstruction, divided by σ².</param>
/// <param name="Misalignment">
/// 1 − E[⟨Q(x), x⟩ / ⟨x, x⟩] over the groups: how far the reconstruction's projection on x falls short of x. Table 2's
/// "1 − E[1/S]" with S the factor that maps that projection back onto x (S = ⟨x, x⟩ / ⟨Q(x), x⟩).
/// </param>
/// <param name="PublishedMse">Table 2's MSE.</param>
/// <param name="PublishedMisalignment">Table 2's misalignment.</param>
public sealed record GaussianRow(string Name, double Sigma, double Mse, double Misalignment,
    double? PublishedMse, double? PublishedMisalignment);

/// <summary>
/// Reproduces Quartet's Table 2 (quantizer MSE and misalignment on standard Gaussian data, groups of 32) with this
/// project's quantizers, plus the QuEST scale conventions that explain the gap: the released E8M0 floor at several
/// σ (it is not scale-invariant), the exponent rounded to nearest, and a real-valued (not power-of-two) scale.
/// </summary>
public static class GaussianTable
{
    /// <summary>Samples used by default (2^22 = 131,072 groups).</summary>
    public const int DefaultSamples = 1 << 22;

    private enum Scale { Floor, Nearest, Real }

    /// <summary>Measures every row; <paramref name="samples"/> is rounded up to whole groups.</summary>
    public static IReadOnlyList<GaussianRow> Measure(int samples = DefaultSamples, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 32);
        int groups = (samples + 31) / 32;
        var data = new float[groups * 32];
        // Two streams split from the seed: SR bits drawn from the very stream that made the data would correlate with it.
        var streams = new SplitMix64(seed);
        new NormalSampler(streams.Next()).Fill(data, 1);
        ulong srSeed = streams.Next();
        var rows = new List<GaussianRow>
        {
            Run("SR AbsMax", data, 1, (g, i) => AbsMax(g, i, QuartetMethod.AbsMaxSr, srSeed), 2.77e-2, 0),
            Run("RTN AbsMax", data, 1, (g, i) => AbsMax(g, i, QuartetMethod.AbsMax, srSeed), 1.37e-2, 9.3e-3),
            Run("QuEST (Hadamard + E8M0 floor, as released)", data, 1, (g, _) => Quest(g, Scale.Floor), 1.32e-2, 1.3e-2),
        };
        foreach (double sigma in Enumerable.Range(1, 7).Select(k => Math.Pow(2, k / 8.0)))
        {
            float[] scaled = [.. data.Select(v => (float)(v * sigma))];
            rows.Add(Run($"QuEST, E8M0 floor, σ = 2^{Math.Log2(sigma):0.###}", scaled, sigma, (g, _) => Quest(g, Scale.Floor), null, null));
        }
        rows.Add(Run("QuEST, E8M0 exponent rounded to nearest", data, 1, (g, _) => Quest(g, Scale.Nearest), null, null));
        rows.Add(Run("QuEST, real-valued scale (not E8M0)", data, 1, (g, _) => Quest(g, Scale.Real), null, null));
        return rows;
    }

    private static GaussianRow Run(string name, float[] data, double sigma, Func<float[], int, (double[] Q, float[] X)> quantize,
        double? mse, double? misalignment)
    {
        int groups = data.Length / 32;
        double[] errors = new double[groups], s = new double[groups];
        Parallel.For(0, groups, g =>
        {
            (double[] q, float[] x) = quantize(data.AsSpan(g * 32, 32).ToArray(), g);
            double err = 0, dot = 0, norm = 0;
            for (int i = 0; i < 32; i++) { err += (q[i] - x[i]) * (q[i] - x[i]); dot += q[i] * x[i]; norm += (double)x[i] * x[i]; }
            errors[g] = err;
            s[g] = dot / norm;
        });
        return new GaussianRow(name, sigma, errors.Sum() / data.Length / (sigma * sigma), 1 - s.Average(), mse, misalignment);
    }

    /// <summary>
    /// AbsMax 3/4 on the raw group (no rotation); the reconstruction undoes the 3/4: q · 2^E · 4/3. Stochastic bits:
    /// stream <paramref name="seed"/> at the sample index.
    /// </summary>
    private static (double[], float[]) AbsMax(float[] x, int group, QuartetMethod method, ulong seed)
    {
        QuartetGroup q = QuartetQuantizer.QuantizeGroup(method, x, seed, (ulong)group * 32);
        return ([.. q.Elements.Select(c => QuartetQuantizer.Value(q.Scale, c) * 4.0 / 3)], x);
    }

    /// <summary>QuEST on the Hadamard-rotated group, measured in the rotated domain (H is orthogonal).</summary>
    private static (double[], float[]) Quest(float[] x, Scale scale)
    {
        var r = new float[32];
        HadamardRotation.Fixed.RotateGroup(x, r);
        if (scale == Scale.Floor)
        {
            QuartetGroup q = QuartetQuantizer.QuantizeGroup(QuartetMethod.Quest, r);
            return ([.. q.Elements.Select(c => (double)QuartetQuantizer.Value(q.Scale, c))], r);
        }
        double t = QuartetQuantizer.PopulationStd(r) * QuartetQuantizer.QuestFactor + QuartetQuantizer.QuestEpsilon;
        double divisor = scale == Scale.Real ? t : Math.ScaleB(1.0, (int)Math.Round(Math.Log2(t), MidpointRounding.ToEven));
        var values = new double[32];
        for (int i = 0; i < 32; i++)
        {
            uint code = Encoder.EncodeQuotient(KnownFormats.E2M1, r[i], divisor, RoundingContext.Default);
            values[i] = Decoder.Decode(KnownFormats.E2M1, code) * divisor;
        }
        return (values, r);
    }
}
