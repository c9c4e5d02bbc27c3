using System.Globalization;
using System.Text;
using Fp4Sim.Numerics.Blocks;

namespace Fp4Sim.Cli.Tests;

/// <summary>Quantized blocks as the tests compare them: element codes, scale codes (bytes), tensor scale, shapes.</summary>
internal sealed record Quantized(byte[] Elements, byte[] Scales, float TensorScale, int[] CodesShape, int[] ScalesShape);

/// <summary>Test data and the line mode's text, shared by the mx array tests.</summary>
internal static class MxData
{
    /// <summary>
    /// Seeded values: per block of 16, Gaussian values at a random binade, or float32 subnormals, or zeros of both signs;
    /// a few NaN and ±Inf.
    /// </summary>
    public static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int b = 0; b < count; b += 16)
        {
            int kind = random.Next(8), exponent = random.Next(-30, 30);
            for (int i = b; i < Math.Min(count, b + 16); i++)
            {
                values[i] = kind switch
                {
                    0 => BitConverter.UInt32BitsToSingle((uint)random.Next(1, 1 << 23) | (random.Next(2) == 0 ? 0 : 0x80000000u)),
                    1 => random.Next(2) == 0 ? 0f : -0f,
                    _ => (float)(Math.ScaleB(random.NextDouble() * 2 - 1, exponent)),
                };
            }
        }
        for (int i = 37; i < count; i += 401)
            values[i] = (i / 401 % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
        return values;
    }

    /// <summary>One <c>0x</c> + 8 hex digit float32 pattern per line.</summary>
    public static string HexLines(IEnumerable<float> values) =>
        string.Concat(values.Select(v => $"0x{BitConverter.SingleToUInt32Bits(v):x8}\n"));

    /// <summary>What <c>mx quantize</c> printed, as codes.</summary>
    public static Quantized ParseLines(BlockFormat f, string[] lines)
    {
        float tensorScale = 1f;
        if (f.HasTensorScale)
        {
            tensorScale = BitConverter.UInt32BitsToSingle(uint.Parse(lines[0][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            lines = lines[1..];
        }
        var scales = new List<byte>();
        var elements = new List<byte>();
        foreach (string line in lines)
        {
            byte[] codes = [.. line.Split(' ').Select(c => byte.Parse(c[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
            Assert.Equal(f.BlockSize + 1, codes.Length);
            scales.Add(codes[0]);
            elements.AddRange(codes[1..]);
        }
        return new Quantized([.. elements], [.. scales], tensorScale, [], []);
    }

    /// <summary>
    /// A .npy file written byte by byte (for headers our writer never writes): a 128-byte header, then
    /// <paramref name="dataBytes"/> zeros.
    /// </summary>
    public static void WriteRaw(string path, string descr, string fortran, string shape, int dataBytes)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}".PadRight(117) + "\n";
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), .. new byte[dataBytes]]);
    }
}
