using System.Numerics;
using System.Text;
using Fp4Sim.Hardware;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Hardware.Tests;

/// <summary>The hex spelling of vector lines and literals.</summary>
public class VerilogTests
{
    [Fact]
    public void Hex_digits_equal_the_nibble_by_nibble_spelling()
    {
        var random = new SplitMix64(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            int bits = 1 + (int)random.Below(700), digits = (bits + 3) / 4 + (int)random.Below(3);
            var bytes = new byte[(bits + 7) / 8 + 1];
            for (int i = 0; i < bytes.Length - 1; i++) bytes[i] = (byte)random.Below(256);
            bytes[^2] &= (byte)(0xFF >> (8 * (bytes.Length - 1) - bits));
            var value = new BigInteger(bytes);
            Assert.Equal(Reference(value, digits), Verilog.ToHex(value, digits));
        }
        Assert.Equal("000", Verilog.ToHex(0, 3));
        Assert.Equal("", Verilog.ToHex(0, 0));
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(256, 2)]
    [InlineData(0x1000, 3)]
    public void A_value_wider_than_its_digits_is_refused(int value, int digits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Verilog.ToHex(value, digits));
        Assert.Equal(Reference(value - 1, digits), Verilog.ToHex(value - 1, digits));
    }

    [Fact]
    public void A_negative_value_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => Verilog.ToHex(-1, 4));

    /// <summary>The spelling before vectors were streamed: one shift per digit.</summary>
    private static string Reference(BigInteger value, int digits)
    {
        var sb = new StringBuilder(digits);
        for (int i = digits - 1; i >= 0; i--) sb.Append("0123456789abcdef"[(int)((value >> (4 * i)) & 15)]);
        return sb.ToString();
    }
}
