using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Blocks;

/// <summary>The little-endian bit-stream packing: round trips, known layouts, validation.</summary>
public class PackingTests
{
    public static TheoryData<int> BitWidths => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory, MemberData(nameof(BitWidths))]
    public void PackBits_EveryCount_RoundTrips(int bits)
    {
        var random = new Random(1234 + bits);
        for (int count = 0; count <= 70; count++)
        {
            byte[] codes = RandomCodes(random, count, bits);
            byte[] packed = new byte[CodePacking.PackedLength(count, bits)];
            CodePacking.PackBits(codes, bits, packed);
            byte[] unpacked = new byte[count];
            CodePacking.UnpackBits(packed, bits, unpacked, count);
            Assert.Equal(codes, unpacked);
            Assert.Equal((count * bits + 7) / 8, packed.Length);
            AssertPaddingIsZero(packed, count * bits);
        }
    }

    // 8 widths × 37 codes ran before; each case here is up to 70 codes of one width.
    [Property(MaxTest = 1_000, Arbitrary = new[] { typeof(Arbitraries) })]
    public void PackBits_MatchesIndependentBitStream(BitCodes c)
    {
        // An independent statement of the order: code i is the bits-wide field starting at stream bit bits·i.
        (int bits, byte[] codes) = (c.Bits, c.Codes);
        byte[] packed = new byte[CodePacking.PackedLength(codes.Length, bits)];
        CodePacking.PackBits(codes, bits, packed);
        for (int i = 0; i < codes.Length; i++)
        {
            int start = i * bits;
            // Two bytes always cover a code of ≤ 8 bits starting anywhere in a byte.
            int window = packed[start / 8] | (start / 8 + 1 < packed.Length ? packed[start / 8 + 1] << 8 : 0);
            Assert.Equal(codes[i], (window >> (start % 8)) & ((1 << bits) - 1));
        }
    }

    [Fact]
    public void Fp4_EveryCount_RoundTrips()
    {
        var random = new Random(4);
        for (int count = 0; count <= 70; count++)
        {
            byte[] codes = RandomCodes(random, count, 4);
            byte[] packed = new byte[CodePacking.PackedFp4Length(count)];
            CodePacking.PackFp4(codes, packed);
            byte[] unpacked = new byte[count];
            CodePacking.UnpackFp4(packed, unpacked, count);
            Assert.Equal(codes, unpacked);
            Assert.Equal((count + 1) / 2, packed.Length);
        }
    }

    [Fact]
    public void Fp6_EveryCount_RoundTrips()
    {
        var random = new Random(6);
        for (int count = 0; count <= 70; count++)
        {
            byte[] codes = RandomCodes(random, count, 6);
            byte[] packed = new byte[CodePacking.PackedFp6Length(count)];
            CodePacking.PackFp6(codes, packed);
            byte[] unpacked = new byte[count];
            CodePacking.UnpackFp6(packed, unpacked, count);
            Assert.Equal(codes, unpacked);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x1, 0x2 }, new byte[] { 0x21 })]
    [InlineData(new byte[] { 0xF }, new byte[] { 0x0F })]
    [InlineData(new byte[] { 0x0, 0xF, 0x7 }, new byte[] { 0xF0, 0x07 })]
    [InlineData(new byte[] { }, new byte[] { })]
    public void Fp4_EvenElementInLowNibble(byte[] codes, byte[] expected)
    {
        byte[] packed = new byte[CodePacking.PackedFp4Length(codes.Length)];
        CodePacking.PackFp4(codes, packed);
        Assert.Equal(expected, packed);
    }

    [Theory]
    [InlineData(new byte[] { 0x3F, 0, 0, 0 }, new byte[] { 0x3F, 0x00, 0x00 })]
    [InlineData(new byte[] { 0, 0x3F, 0, 0 }, new byte[] { 0xC0, 0x0F, 0x00 })]
    [InlineData(new byte[] { 0, 0, 0x3F, 0 }, new byte[] { 0x00, 0xF0, 0x03 })]
    [InlineData(new byte[] { 0, 0, 0, 0x3F }, new byte[] { 0x00, 0x00, 0xFC })]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x04 }, new byte[] { 0x81, 0x30, 0x10 })]
    [InlineData(new byte[] { 0x3F }, new byte[] { 0x3F })]
    [InlineData(new byte[] { 0x3F, 0x3F, 0x3F, 0x3F, 0x3F }, new byte[] { 0xFF, 0xFF, 0xFF, 0x3F })]
    public void Fp6_LittleEndianBitStream(byte[] codes, byte[] expected)
    {
        byte[] packed = new byte[CodePacking.PackedFp6Length(codes.Length)];
        CodePacking.PackFp6(codes, packed);
        Assert.Equal(expected, packed);
    }

    [Theory]
    [InlineData(4, 0x10)]
    [InlineData(6, 0x40)]
    [InlineData(1, 0x02)]
    public void PackBits_CodeTooWide_ThrowsNamingIndex(int bits, byte bad)
    {
        byte[] codes = [0, 1, bad, 0];
        byte[] packed = Enumerable.Repeat((byte)0xAA, CodePacking.PackedLength(codes.Length, bits)).ToArray();
        var error = Assert.Throws<ArgumentException>(() => CodePacking.PackBits(codes, bits, packed));
        Assert.Contains("index 2", error.Message);
        Assert.All(packed, b => Assert.Equal(0xAA, b)); // nothing written
    }

    [Fact]
    public void Pack_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => CodePacking.PackFp4(new byte[3], new byte[1]));
        Assert.Throws<ArgumentException>(() => CodePacking.UnpackFp6(new byte[2], new byte[4], 4));
        Assert.Throws<ArgumentException>(() => CodePacking.UnpackFp4(new byte[2], new byte[3], 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void PackBits_BadWidth_Throws(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CodePacking.PackBits(new byte[1], bits, new byte[2]));

    [Fact]
    public void PackedLengths()
    {
        Assert.Equal([0, 1, 1, 2, 2, 3], Enumerable.Range(0, 6).Select(CodePacking.PackedFp4Length));
        Assert.Equal([0, 1, 2, 3, 3, 4, 5, 6, 6], Enumerable.Range(0, 9).Select(CodePacking.PackedFp6Length));
    }

    private static byte[] RandomCodes(Random random, int count, int bits)
    {
        byte[] codes = new byte[count];
        random.NextBytes(codes);
        for (int i = 0; i < count; i++) codes[i] &= (byte)((1 << bits) - 1);
        return codes;
    }

    private static void AssertPaddingIsZero(byte[] packed, int usedBits)
    {
        if (usedBits % 8 != 0) Assert.Equal(0, packed[^1] >> (usedBits % 8));
    }
}
