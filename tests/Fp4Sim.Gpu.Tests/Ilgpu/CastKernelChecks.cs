using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>
/// The ILGPU cast kernels against the scalar reference <see cref="Encoder"/>/<see cref="Decoder"/> on any accelerator:
/// shared by the CPU-accelerator tests (<see cref="IlgpuCastTests"/>) and the CUDA ones (<see cref="GpuKernelTests"/>).
/// </summary>
public static class CastKernelChecks
{
    /// <summary>The stochastic-rounding seed of <see cref="EncodeInEveryMode"/>.</summary>
    public const ulong SrSeed = 5;

    /// <summary>
    /// Encodes every decision point plus <paramref name="randomPerMode"/> seeded random inputs in every rounding mode
    /// (stochastic rounding with StochasticBits.For(<see cref="SrSeed"/>, i)) × both overflow modes and asserts every code
    /// equals the reference's; returns the number of elements compared.
    /// </summary>
    public static long EncodeInEveryMode(IlgpuCast cast, string spec, int randomPerMode)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        uint[] edges = CastInputs.EdgeBits(format);
        long compared = 0;
        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            uint[] inputs = [.. edges, .. CastInputs.RandomBits(format, seed: 2000 + (int)mode, randomPerMode)];
            foreach (OverflowMode overflow in new[] { OverflowMode.Saturate, OverflowMode.Ieee })
            {
                var ctx = new RoundingContext(mode, overflow);
                uint[] expected = new uint[inputs.Length];
                for (int i = 0; i < inputs.Length; i++)
                {
                    RoundingContext c = mode == RoundingMode.Sr ? ctx with { RandomBits = StochasticBits.For(SrSeed, (ulong)i) } : ctx;
                    expected[i] = Encoder.Encode(format, BitConverter.UInt32BitsToSingle(inputs[i]), c);
                }
                var codes = new byte[inputs.Length];
                cast.Encode(format, ctx, inputs, codes, seed: SrSeed);
                var (count, message) = IlgpuCpuFixture.Compare($"{spec} {RoundingNames.Name(mode)} {overflow}", inputs, expected,
                    codes.Select(c => (uint)c).ToArray());
                Assert.True(count == 0, message);
                compared += inputs.Length;
            }
        }
        Assert.True(compared > 12L * randomPerMode);
        return compared;
    }

    /// <summary>Decodes every code of the format and asserts each float32 equals Decoder.DecodeToSingle's.</summary>
    public static void DecodeEveryCode(IlgpuCast cast, string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        byte[] codes = Enumerable.Range(0, (int)format.CodeCount).Select(c => (byte)c).ToArray();
        var actual = new uint[codes.Length];
        cast.Decode(format, codes, actual);
        uint[] expected = codes.Select(c => BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(format, c))).ToArray();
        var (count, message) = IlgpuCpuFixture.Compare($"decode {spec}", codes.Select(c => (uint)c).ToArray(), expected, actual);
        Assert.True(count == 0, message);
        Assert.Equal((int)format.CodeCount, codes.Length);
    }
}
