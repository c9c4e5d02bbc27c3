namespace Fp4Sim.Numerics.Blocks;

/// <summary>
/// Dense packing of narrow codes (one code per byte, right-aligned) into a little-endian bit stream.
/// <para>
/// The one bit order used everywhere: with <c>b</c> bits per code, code <c>i</c> occupies stream bits
/// [b·i, b·i + b), its least significant bit first, and stream bit <c>s</c> is bit <c>s mod 8</c> of byte
/// <c>s / 8</c>. For FP4 this is the layout of PyTorch <c>float4_e2m1fn_x2</c>, NVIDIA <c>__nv_fp4x2</c> and
/// torchao <c>pack_uint4</c>: element 2i in the low nibble, element 2i+1 in the high nibble. For FP6 it packs
/// four codes into three bytes, continuing the "first element in the low bits" convention.
/// </para>
/// <para>
/// A trailing partial byte is zero-padded; so is a trailing partial FP6 group, which therefore takes
/// ⌈6·n/8⌉ bytes rather than a whole three-byte group.
/// </para>
/// </summary>
public static class CodePacking
{
    /// <summary>Bytes needed for <paramref name="count"/> codes of <paramref name="bitsPerCode"/> bits: ⌈count·bits/8⌉.</summary>
    public static int PackedLength(int count, int bitsPerCode)
    {
        ValidateBitsPerCode(bitsPerCode);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // long: count · 8 overflows int long before the packed length does.
        return checked((int)(((long)count * bitsPerCode + 7) / 8));
    }

    /// <summary>Bytes needed for <paramref name="count"/> FP4 codes: ⌈count/2⌉.</summary>
    public static int PackedFp4Length(int count) => PackedLength(count, 4);

    /// <summary>Bytes needed for <paramref name="count"/> FP6 codes: ⌈6·count/8⌉ (three bytes per four codes).</summary>
    public static int PackedFp6Length(int count) => PackedLength(count, 6);

    /// <summary>Packs 4-bit codes two per byte, element 2i in the low nibble; an odd count leaves the last high nibble 0.</summary>
    /// <exception cref="ArgumentException">A code exceeds 0xF, or <paramref name="packed"/> is too short.</exception>
    public static void PackFp4(ReadOnlySpan<byte> codes, Span<byte> packed) => PackBits(codes, 4, packed);

    /// <summary>Unpacks <paramref name="count"/> 4-bit codes written by <see cref="PackFp4"/>, one per byte.</summary>
    /// <exception cref="ArgumentException"><paramref name="packed"/> or <paramref name="codes"/> is too short.</exception>
    public static void UnpackFp4(ReadOnlySpan<byte> packed, Span<byte> codes, int count) => UnpackBits(packed, 4, codes, count);

    /// <summary>Packs 6-bit codes four per three bytes, code i at stream bits [6i, 6i+6).</summary>
    /// <exception cref="ArgumentException">A code exceeds 0x3F, or <paramref name="packed"/> is too short.</exception>
    public static void PackFp6(ReadOnlySpan<byte> codes, Span<byte> packed) => PackBits(codes, 6, packed);

    /// <summary>Unpacks <paramref name="count"/> 6-bit codes written by <see cref="PackFp6"/>, one per byte.</summary>
    /// <exception cref="ArgumentException"><paramref name="packed"/> or <paramref name="codes"/> is too short.</exception>
    public static void UnpackFp6(ReadOnlySpan<byte> packed, Span<byte> codes, int count) => UnpackBits(packed, 6, codes, count);

    /// <summary>
    /// Packs every code of <paramref name="codes"/> (each &lt; 2^<paramref name="bitsPerCode"/>) into the first
    /// <see cref="PackedLength"/> bytes of <paramref name="packed"/>, padding bits zero. Bytes beyond that are untouched.
    /// </summary>
    /// <param name="codes">One code per byte, right-aligned.</param>
    /// <param name="bitsPerCode">Code width, 1 to 8.</param>
    /// <param name="packed">Destination; at least <see cref="PackedLength"/> bytes.</param>
    /// <exception cref="ArgumentException">A code does not fit (the message names its index), or <paramref name="packed"/> is too short.</exception>
    public static void PackBits(ReadOnlySpan<byte> codes, int bitsPerCode, Span<byte> packed)
    {
        int length = PackedLength(codes.Length, bitsPerCode);
        RequireLength(packed.Length, length, nameof(packed));
        int limit = 1 << bitsPerCode;
        for (int i = 0; i < codes.Length; i++)
        {
            if (codes[i] >= limit)
                throw new ArgumentException(
                    $"code at index {i} is 0x{codes[i]:X2}, which does not fit in {bitsPerCode} bits", nameof(codes));
        }

        // Validated before writing, so a bad code leaves the destination unchanged.
        Span<byte> output = packed[..length];
        output.Clear();
        long bit = 0;
        foreach (byte code in codes)
        {
            for (int j = 0; j < bitsPerCode; j++, bit++)
            {
                if (((code >> j) & 1) != 0) output[(int)(bit >> 3)] |= (byte)(1 << (int)(bit & 7));
            }
        }
    }

    /// <summary>
    /// Unpacks <paramref name="count"/> codes of <paramref name="bitsPerCode"/> bits from the bit stream in
    /// <paramref name="packed"/> into the first <paramref name="count"/> bytes of <paramref name="codes"/>.
    /// Padding bits after the last code are ignored.
    /// </summary>
    /// <param name="packed">Source; at least <see cref="PackedLength"/>(<paramref name="count"/>, <paramref name="bitsPerCode"/>) bytes.</param>
    /// <param name="bitsPerCode">Code width, 1 to 8.</param>
    /// <param name="codes">Destination, one code per byte, right-aligned; at least <paramref name="count"/> bytes.</param>
    /// <param name="count">Number of codes to read.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void UnpackBits(ReadOnlySpan<byte> packed, int bitsPerCode, Span<byte> codes, int count)
    {
        int length = PackedLength(count, bitsPerCode);
        RequireLength(packed.Length, length, nameof(packed));
        RequireLength(codes.Length, count, nameof(codes));
        long bit = 0;
        for (int i = 0; i < count; i++)
        {
            int code = 0;
            for (int j = 0; j < bitsPerCode; j++, bit++)
            {
                code |= ((packed[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) << j;
            }
            codes[i] = (byte)code;
        }
    }

    private static void ValidateBitsPerCode(int bitsPerCode)
    {
        if (bitsPerCode is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(bitsPerCode), bitsPerCode, "bits per code must be 1 to 8");
    }

    private static void RequireLength(int actual, int required, string name)
    {
        if (actual < required)
            throw new ArgumentException($"{name} holds {actual} bytes but {required} are needed", name);
    }
}
