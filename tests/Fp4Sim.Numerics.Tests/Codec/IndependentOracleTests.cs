using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>
/// Independent oracles: .NET's System.Half conversion for e5m10, float32 itself for e8m23, and the classic
/// bfloat16 bias-add rounding for e8m7 — over a dense stratified float32 sample (all 2^32 with FP4SIM_FULL_SWEEP=1).
/// </summary>
public class IndependentOracleTests
{
    private static readonly RoundingContext Ieee = new(RoundingMode.Rne, OverflowMode.Ieee);

    [Fact]
    public void E5M10_EqualsSystemHalf()
    {
        FormatInfo f = FormatSpec.Parse("e5m10");
        long mismatches = 0;
        long count = Float32Sweep.ForEach(bits =>
        {
            float x = BitConverter.UInt32BitsToSingle(bits);
            ushort expected = BitConverter.HalfToUInt16Bits((Half)x);
            if (Encoder.Encode(f, x, Ieee) != expected) Interlocked.Increment(ref mismatches);
        });
        Assert.Equal(0, mismatches);
        Assert.True(count >= 10_000_000, $"checked {count}");
    }

    [Fact]
    public void E8M23_IsIdentityOnFloat32_QuietingSignallingNaNs()
    {
        FormatInfo f = FormatSpec.Parse("e8m23");
        long mismatches = 0;
        long count = Float32Sweep.ForEach(bits =>
        {
            bool signallingNaN = (bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0 && (bits & 0x400000) == 0;
            uint expected = signallingNaN ? bits | 0x400000 : bits;
            if (Encoder.Encode(f, BitConverter.UInt32BitsToSingle(bits), Ieee) != expected) Interlocked.Increment(ref mismatches);
        });
        Assert.Equal(0, mismatches);
        Assert.True(count >= 10_000_000, $"checked {count}");
    }

    /// <summary>The widely used float → bfloat16 RNE: add 0x7FFF plus the kept LSB, shift; NaN quieted.</summary>
    private static ushort BFloat16Reference(uint bits)
    {
        if ((bits & 0x7FFFFFFF) > 0x7F800000) return (ushort)((bits >> 16) | 0x40);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    [Fact]
    public void E8M7_EqualsBFloat16Reference()
    {
        FormatInfo f = FormatSpec.Parse("e8m7");
        long mismatches = 0;
        long count = Float32Sweep.ForEach(bits =>
        {
            if (Encoder.Encode(f, BitConverter.UInt32BitsToSingle(bits), Ieee) != BFloat16Reference(bits)) Interlocked.Increment(ref mismatches);
        });
        Assert.Equal(0, mismatches);
        Assert.True(count >= 10_000_000, $"checked {count}");
    }

    [Fact]
    public void DecodeToSingle_Fp16AndBf16_MatchBcl()
    {
        for (uint c = 0; c < 65536; c++)
        {
            float half = (float)BitConverter.UInt16BitsToHalf((ushort)c);
            Assert.Equal(BitConverter.SingleToUInt32Bits(half), BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(KnownFormats.Fp16, c)));
            uint bf = c << 16;
            if ((bf & 0x7FFFFFFF) > 0x7F800000) bf |= 0x400000; // decoding quiets NaNs
            Assert.Equal(bf, BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(KnownFormats.Bf16, c)));
        }
    }
}
