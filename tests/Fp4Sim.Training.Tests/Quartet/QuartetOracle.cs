namespace Fp4Sim.Training.Tests.Quartet;

/// <summary>
/// A straightforward float64 re-implementation of Quartet's quantizers and linear-layer GEMMs, written from the
/// definitions in docs/semantics.md §11 and docs/quartet.md without the library's code: the rotation as a plain double
/// loop, rounding by searching the E2M1 grid, the GEMM as a double sum.
/// </summary>
internal static class QuartetOracle
{
    private static readonly double[] Grid = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

    public static int HadamardSign(int i, int j)
    {
        int bits = 0;
        for (int v = i & j; v != 0; v >>= 1) bits += v & 1;
        return bits % 2 == 0 ? 1 : -1;
    }

    /// <summary>r_j = fl32(fl64(Σ_i ±x_i) · fl64(1/√32)), signs ξ multiplying inputs (before) or outputs (after).</summary>
    public static float[] Rotate(float[] x, int[]? signs = null, bool signsBefore = true)
    {
        var r = new float[32];
        double c = BitConverter.Int64BitsToDouble(0x3FC6A09E667F3BCD); // 1/√32 correctly rounded
        for (int j = 0; j < 32; j++)
        {
            double s = 0;
            for (int i = 0; i < 32; i++)
            {
                int sign = HadamardSign(i, j) * (signs is not null && signsBefore ? signs[i] : 1);
                s += sign * (double)x[i];
            }
            double v = s * c;
            if (signs is not null && !signsBefore) v *= signs[j];
            r[j] = (float)v;
        }
        return r;
    }

    /// <summary>Nearest E2M1 code of v (saturating), ties to the even code: 4-bit codes sign | magnitude index.</summary>
    public static byte NearestE2M1(double v)
    {
        double a = Math.Abs(v);
        int best = 0;
        for (int m = 1; m < Grid.Length; m++)
        {
            double dBest = Math.Abs(a - Grid[best]), d = Math.Abs(a - Grid[m]);
            if (d < dBest || (d == dBest && m % 2 == 0)) best = m;
        }
        bool negative = v < 0 || (v == 0 && double.IsNegative(v));
        return (byte)((negative ? 8 : 0) | best);
    }

    public static double E2M1Value(byte code) => ((code & 8) != 0 ? -1 : 1) * Grid[code & 7];

    /// <summary>QuEST: (E, codes, mask) of a rotated group.</summary>
    public static (int E, byte[] Codes, uint Mask) Quest(float[] r)
    {
        double mean = 0;
        for (int i = 0; i < 32; i++) mean += r[i];
        mean /= 32;
        double variance = 0;
        for (int i = 0; i < 32; i++) variance += (r[i] - mean) * (r[i] - mean);
        double sigma = Math.Sqrt(variance / 32);
        double t = sigma * (2.92247856 / 6) + 1e-8;
        int e = (int)Math.Floor(Math.Log2(t));
        if (Math.Pow(2, e) > t) e--; // guard the log's last bit
        if (Math.Pow(2, e + 1) <= t) e++;
        e = Math.Clamp(e, -127, 127);
        var codes = new byte[32];
        uint mask = 0;
        for (int i = 0; i < 32; i++)
        {
            double v = r[i] / Math.Pow(2, e);
            codes[i] = NearestE2M1(v);
            if (Math.Abs(v) < 6) mask |= 1u << i;
        }
        return (e, codes, mask);
    }

    /// <summary>AbsMax 3/4 (RTN): OCP exponent E = floor(log2 amax) − 2 and codes of 3·r/2^(E+2).</summary>
    public static (int E, byte[] Codes) AbsMax(float[] r)
    {
        double amax = r.Max(v => Math.Abs((double)v));
        int e = -127;
        if (amax != 0)
        {
            int log = (int)Math.Floor(Math.Log2(amax));
            if (Math.Pow(2, log) > amax) log--; // guard the log's last bit
            if (Math.Pow(2, log + 1) <= amax) log++;
            e = Math.Clamp(log - 2, -127, 127);
        }
        return (e, [.. r.Select(v => NearestE2M1(3.0 * v / Math.Pow(2, e + 2)))]);
    }

    public static float[] Row(float[] m, int row, int columns, int group) => m.AsSpan(row * columns + group * 32, 32).ToArray();
}
