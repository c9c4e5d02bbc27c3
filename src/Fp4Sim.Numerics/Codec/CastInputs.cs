using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Codec;

/// <summary>
/// The float32 inputs a cast check feeds a format: every decision point of its grid, the float32 specials, and seeded
/// random bit patterns. Shared by the parity tests of every fast path and <c>fp4sim gpu check</c>, so all probe the same places.
/// </summary>
public static class CastInputs
{
    /// <summary>
    /// Every decision point, as float32 bit patterns with both signs: each code's value and the midpoints between
    /// neighbouring values (and above max finite, where overflow starts), each with its float32 neighbours one ulp either
    /// side; ±0, ±Inf, NaNs with payloads, float32 subnormals, the smallest normal and max float.
    /// </summary>
    public static uint[] EdgeBits(FormatInfo format)
    {
        var points = new List<double>();
        double[] values = FiniteMagnitudes(format);
        for (int i = 0; i < values.Length; i++)
        {
            points.Add(values[i]);
            double next = i + 1 < values.Length ? values[i + 1] : values[i] + TopQuantum(format, values[i]);
            points.Add((values[i] + next) / 2); // a tie, or the overflow threshold above max finite
            if (i + 1 == values.Length) points.Add(next);
        }
        points.Add(values[0] / 2); // below the smallest value: the underflow decisions
        points.Add(values[0] / 4);

        var bits = new HashSet<uint>();
        foreach (double p in points)
        {
            float f = (float)p;
            foreach (float g in new[] { f, MathF.BitDecrement(f), MathF.BitIncrement(f) })
            {
                uint b = BitConverter.SingleToUInt32Bits(MathF.Abs(g));
                bits.Add(b);
                bits.Add(b | 0x80000000u);
            }
        }
        foreach (uint special in Specials)
        {
            bits.Add(special);
            bits.Add(special ^ 0x80000000u);
        }
        return bits.Order().ToArray();
    }

    /// <summary>
    /// <paramref name="count"/> seeded random float32 bit patterns: half uniform over all 2^32 patterns, half with the
    /// exponent drawn from the format's range (three binades beyond either end) so most land where rounding decides.
    /// </summary>
    public static uint[] RandomBits(FormatInfo format, int seed, int count)
    {
        var random = new Random(seed);
        var result = new uint[count];
        double[] values = FiniteMagnitudes(format);
        int low = Math.Clamp(Math.ILogB(values[0] > 0 ? values[0] : values[1]) - 3 + 127, 0, 254);
        int high = Math.Clamp(Math.ILogB(values[^1]) + 3 + 127, low, 254);
        for (int i = 0; i < count; i++)
        {
            uint pattern = (uint)random.NextInt64(1L << 32);
            if ((i & 1) == 1) pattern = (pattern & 0x807FFFFFu) | ((uint)random.Next(low, high + 1) << 23);
            result[i] = pattern;
        }
        return result;
    }

    private static readonly uint[] Specials =
    [
        0x00000000, 0x7F800000, 0x7FC00000, 0x7F800001, 0x7FBFFFFF, 0x7FFFFFFF, 0x7FC00001, 0x7FE00000, 0x7FA5A5A5,
        0x00000001, 0x00000002, 0x00400000, 0x00400001, 0x007FFFFF, 0x00800000, 0x00800001, 0x7F7FFFFF, 0x7F7FFFFE,
        0x3F800000, 0x3F000000, 0x3FC00000,
    ];

    /// <summary>Formats whose codes are listed (2^16 at most): a 32-bit format's 2^32 values would not fit in memory.</summary>
    public const int MaxFormatBits = 16;

    /// <summary>The distinct finite magnitudes of the format's codes, ascending (zero included where it exists).</summary>
    private static double[] FiniteMagnitudes(FormatInfo f)
    {
        if (f.TotalBits > MaxFormatBits)
            throw new ArgumentException($"{f.Name}: cast inputs list every code, so formats of at most {MaxFormatBits} bits ({f.TotalBits} given)");
        var set = new SortedSet<double>();
        for (ulong c = 0; c < f.CodeCount; c++)
        {
            double v = Decoder.Decode(f, (uint)c);
            if (double.IsFinite(v)) set.Add(Math.Abs(v));
        }
        return set.ToArray();
    }

    /// <summary>The grid spacing at the top finite value: the step past max finite that decides overflow.</summary>
    private static double TopQuantum(FormatInfo f, double max) =>
        f.IsInteger ? 1.0 : Math.ScaleB(1.0, Math.ILogB(max) - f.MantissaBits);
}
