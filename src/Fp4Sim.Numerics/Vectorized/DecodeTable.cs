using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>How the AVX-512 decode body reaches a table entry (<see cref="DecodeTable.Route"/>).</summary>
internal enum DecodeRoute
{
    /// <summary>Permutes over the whole table, one 32-entry slice per five code bits.</summary>
    Permute,
    /// <summary>Permutes over the lower half, then the code's top bit becomes the float's sign (one exception code at most).</summary>
    SignFolded,
    /// <summary>The entry is the code read as an integer (two's complement or unsigned), converted to float32.</summary>
    Integer,
}

/// <summary>
/// A format's decode table, built once from <see cref="Decoder.DecodeToSingle"/> and shared, with the shortest route to
/// its entries. Each route is chosen by checking the table itself, entry by entry, so the routes are ways of reading the
/// one table, never a second definition of a format's values.
/// </summary>
internal sealed class DecodeTable
{
    /// <summary>Entry c is the float32 of code c &amp; CodeMask (256 entries, so any byte indexes it).</summary>
    public required float[] Values { get; init; }
    /// <summary>
    /// The entries' bytes as four planes of 256 (plane k, entry c at 256k + c is byte k of entry c's bits), for the
    /// byte-permute body of <see cref="DecodeKernel"/>.
    /// </summary>
    public required byte[] Planes { get; init; }
    public required int Bits { get; init; }
    public required DecodeRoute Route { get; init; }
    /// <summary><see cref="DecodeRoute.Integer"/>: whether codes are two's complement.</summary>
    public required bool Signed { get; init; }
    /// <summary><see cref="DecodeRoute.SignFolded"/>: the one upper-half code whose value is not its mirror's, or −1.</summary>
    public required int ExceptionCode { get; init; }

    public static DecodeTable For(FormatInfo f) => Cache.GetOrAdd(f, Build);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FormatInfo, DecodeTable> Cache = new();

    private static DecodeTable Build(FormatInfo f)
    {
        var values = new float[256];
        for (uint c = 0; c < 256; c++) values[c] = Decoder.DecodeToSingle(f, c & f.CodeMask);
        int bits = f.TotalBits;
        DecodeRoute route = DecodeRoute.Permute;
        bool signed = false;
        int exception = -1;
        if (ReadsAsInteger(values, bits, signed: true)) { route = DecodeRoute.Integer; signed = true; }
        else if (ReadsAsInteger(values, bits, signed: false)) route = DecodeRoute.Integer;
        else if (bits > 5 && MirrorExceptions(values, bits) is { Count: <= 1 } exceptions)
        {
            // Folding saves permutes only above 5 bits; an exception is patched per lane, which needs the whole byte.
            if (exceptions.Count == 0 || bits == 8)
            {
                route = DecodeRoute.SignFolded;
                exception = exceptions.Count == 0 ? -1 : exceptions[0];
            }
        }
        var planes = new byte[4 * 256];
        for (int k = 0; k < 4; k++)
            for (int c = 0; c < 256; c++) planes[256 * k + c] = (byte)(BitConverter.SingleToUInt32Bits(values[c]) >> (8 * k));
        return new DecodeTable { Values = values, Planes = planes, Bits = bits, Route = route, Signed = signed, ExceptionCode = exception };
    }

    /// <summary>Whether every code's entry is the code itself as a <paramref name="bits"/>-bit integer, bit for bit.</summary>
    private static bool ReadsAsInteger(float[] values, int bits, bool signed)
    {
        for (int c = 0; c < 1 << bits; c++)
        {
            int integer = signed ? c << (32 - bits) >> (32 - bits) : c;
            if (BitConverter.SingleToUInt32Bits(values[c]) != BitConverter.SingleToUInt32Bits(integer)) return false;
        }
        return true;
    }

    /// <summary>The upper-half codes whose entry is not the lower-half mirror's with the float32 sign flipped.</summary>
    private static List<int> MirrorExceptions(float[] values, int bits)
    {
        int half = 1 << (bits - 1);
        var exceptions = new List<int>();
        for (int c = 0; c < half; c++)
            if (BitConverter.SingleToUInt32Bits(values[c | half]) != (BitConverter.SingleToUInt32Bits(values[c]) ^ 0x80000000u))
                exceptions.Add(c | half);
        return exceptions;
    }
}
