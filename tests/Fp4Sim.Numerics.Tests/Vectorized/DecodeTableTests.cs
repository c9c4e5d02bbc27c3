using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Vectorized;
using Xunit;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// The decode routes are read off the table: these pin which formats take which route (so the parity tests in
/// <see cref="FastCastParityTests"/> exercise every route) and check each route's claim against the reference.
/// </summary>
public class DecodeTableTests
{
    public static TheoryData<string, string, bool, int> Routes() => new()
    {
        { "e4m3", "SignFolded", false, -1 },
        { "e5m2", "SignFolded", false, -1 },
        { "e3m2", "SignFolded", false, -1 },
        { "e4m3fnuz", "SignFolded", false, 0x80 },
        { "e5m2fnuz", "SignFolded", false, 0x80 },
        { "e2m1", "Permute", false, -1 }, // 4 bits: one permute already covers the table
        { "e5m3fnu", "Permute", false, -1 },
        { "e8m0", "Permute", false, -1 },
        { "int8", "Integer", true, -1 },
        { "int3", "Integer", true, -1 },
        { "uint8", "Integer", false, -1 },
        { "uint1", "Integer", false, -1 },
    };

    [Theory, MemberData(nameof(Routes))]
    public void Route_IsChosenFromTheTable(string spec, string routeName, bool signed, int exception)
    {
        DecodeRoute route = Enum.Parse<DecodeRoute>(routeName);
        DecodeTable table = DecodeTable.For(FormatSpec.Parse(spec));
        Assert.Equal(route, table.Route);
        if (route == DecodeRoute.Integer) Assert.Equal(signed, table.Signed);
        Assert.Equal(exception, table.ExceptionCode);
    }

    [Theory, MemberData(nameof(Routes))]
    public void RouteClaim_HoldsForEveryCode(string spec, string routeName, bool signed, int exception)
    {
        DecodeRoute route = Enum.Parse<DecodeRoute>(routeName);
        FormatInfo f = FormatSpec.Parse(spec);
        int bits = f.TotalBits, half = 1 << (bits - 1);
        for (int c = 0; c < 1 << bits; c++)
        {
            uint value = BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, (uint)c));
            if (route == DecodeRoute.Integer)
                Assert.Equal(BitConverter.SingleToUInt32Bits(signed ? c << (32 - bits) >> (32 - bits) : c), value);
            else if (route == DecodeRoute.SignFolded && c >= half && c != exception)
                Assert.Equal(BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, (uint)(c - half))) ^ 0x80000000u, value);
        }
    }
}
