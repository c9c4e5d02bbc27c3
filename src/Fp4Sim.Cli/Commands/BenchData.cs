using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// Seeded float32 inputs that reach every path of an encode: all binades from below the least subnormal to beyond
/// max finite, exact ties (short significands), float32 subnormals, ±0, ±Inf and NaNs with payloads.
/// </summary>
public static class BenchData
{
    /// <summary>The fixed seed, so every run times and checks the same data.</summary>
    public const int Seed = 12345;

    /// <summary>Generates <paramref name="count"/> values scaled around <paramref name="format"/>'s range.</summary>
    public static float[] Generate(FormatInfo format, int count)
    {
        var rng = new Random(Seed);
        // Clamped to float32's binades (−150..128) each: a custom bias may put the whole format beyond either end.
        int low = Math.Clamp(Math.ILogB(CodeSpace.MinSubnormal(format)) - 4, -150, 128);
        int high = Math.Clamp(Math.ILogB(CodeSpace.MaxFinite(format)) + 4, -150, 128);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            int kind = rng.Next(64);
            int scale = rng.Next(low, high + 1);
            values[i] = kind switch
            {
                0 => Special(rng),
                1 => BitConverter.UInt32BitsToSingle((uint)rng.Next(1 << 23) | (uint)rng.Next(2) << 31), // float32 subnormal
                < 16 => (float)Math.ScaleB(rng.Next(-64, 65), scale - 6), // few significant bits: many exact ties
                _ => (float)Math.ScaleB(rng.NextDouble() * 2 - 1, scale),
            };
        }
        return values;
    }

    /// <summary>
    /// <paramref name="count"/> seeded codes of <paramref name="format"/> (≤ 8 bits), uniform over all its codes, so a
    /// decode meets every code, NaNs and infinities included, in no pattern a predictor could learn.
    /// </summary>
    public static byte[] Codes(FormatInfo format, int count)
    {
        var codes = new byte[count];
        new Random(Seed).NextBytes(codes);
        byte mask = (byte)format.CodeMask;
        for (int i = 0; i < count; i++) codes[i] &= mask;
        return codes;
    }

    /// <summary>
    /// Seeded GEMM operands: standard normal values, each row of <paramref name="rowLength"/> scaled by 2^u with u
    /// uniform in −4..4 (so MX blocks see a realistic spread of shared exponents).
    /// </summary>
    public static float[] Gaussian(long count, int rowLength, ulong seed)
    {
        var rng = new Random((int)(seed * 0x9E3779B1UL));
        var values = new float[count];
        double rowScale = 1;
        for (long i = 0; i < count; i++)
        {
            if (i % rowLength == 0) rowScale = Math.ScaleB(1, rng.Next(-4, 5));
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            values[i] = (float)(rowScale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }

    private static float Special(Random rng) => rng.Next(6) switch
    {
        0 => 0f,
        1 => -0f,
        2 => float.PositiveInfinity,
        3 => float.NegativeInfinity,
        _ => BitConverter.UInt32BitsToSingle(0x7F800001u | (uint)rng.Next(1 << 22) << 1 | (uint)rng.Next(2) << 31), // NaN, random payload
    };

    /// <summary>
    /// Realistic block-quantization input: Gaussian values, each block of <paramref name="blockSize"/> at its own binade
    /// in [−8, 8) (as activations and weights vary from block to block), from a fixed seed.
    /// </summary>
    public static float[] Blocks(int count, int blockSize)
    {
        var random = new Random(11);
        var values = new float[count];
        int binade = 0;
        for (int i = 0; i < count; i++)
        {
            if (i % blockSize == 0) binade = random.Next(-8, 8);
            values[i] = (float)Math.ScaleB(Fp4Sim.Numerics.Blocks.BlockInputs.Gaussian(random), binade);
        }
        return values;
    }
}
