using Fp4Sim.Numerics.Codec;

namespace Fp4Sim.Numerics.Blocks;

/// <summary>
/// Seeded tensors built to reach every branch of block quantization, for the GPU checks, the fast paths' parity tests
/// and the benchmarks.
/// </summary>
public static class BlockInputs
{
    /// <summary>
    /// Per block one recipe: a Gaussian at a random binade, element grid points and points between them, raw random bit
    /// patterns, zeros, or float32 subnormals; <paramref name="withSpecials"/> puts ±Inf or a NaN (payloads included)
    /// into one block in eight. <paramref name="narrow"/> keeps the binades within a few of each other, as in real tensors
    /// (so an NVFP4 tensor scale leaves most blocks far from zero); otherwise they span beyond E8M0's range, so that both
    /// scale clamps bite.
    /// </summary>
    public static float[] Values(BlockFormat format, int blocks, int seed, bool withSpecials, bool narrow)
    {
        var random = new Random(seed);
        var values = new float[blocks * format.BlockSize];
        uint[] raw = CastInputs.RandomBits(format.Element, seed, values.Length);
        for (int b = 0; b < blocks; b++)
        {
            Span<float> block = values.AsSpan(b * format.BlockSize, format.BlockSize);
            int recipe = random.Next(6);
            int binade = narrow ? random.Next(-6, 6) : random.Next(-160, 140);
            for (int i = 0; i < block.Length; i++)
            {
                double gaussian = Gaussian(random);
                block[i] = recipe switch
                {
                    0 => (float)Math.ScaleB(gaussian, binade),
                    1 => (float)Math.ScaleB(Decoder.Decode(format.Element, (uint)random.Next((int)format.Element.CodeCount)) *
                                            (random.Next(2) == 0 ? 1 : 1.25), binade / 8),
                    2 => BitConverter.UInt32BitsToSingle(raw[b * format.BlockSize + i]),
                    3 => 0f,
                    4 => (float)Math.ScaleB(gaussian, -140 + random.Next(16)),
                    _ => (float)(gaussian * 3),
                };
                if (!float.IsFinite(block[i]) && (recipe != 2 || !withSpecials)) block[i] = 1;
            }
            if (withSpecials && random.Next(8) == 0)
            {
                float[] specials = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.UInt32BitsToSingle(0xFFA00001)];
                block[random.Next(block.Length)] = specials[random.Next(specials.Length)];
            }
        }
        return values;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
