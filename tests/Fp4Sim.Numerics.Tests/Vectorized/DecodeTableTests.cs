using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Vectorized;
using Fp4Sim.TestSupport;
using Xunit;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// The decode routes are read off the table: these pin which formats take which route (so the parity tests in
/// <see cref="FastCastParityTests"/> exercise every route) and check each route's claim against the reference.
/// </summary>
public class DecodeTableTests(Xunit.Abstractions.ITestOutputHelper output)
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

    public static TheoryData<string> SmallFormats => TestFormats.Small;

    /// <summary>
    /// Each AVX-512 body on its own (the byte-permute body where VBMI is present, the slice permutes with it switched
    /// off), with cached and non-temporal stores, over every byte value in a shuffled order, into an output refilled
    /// with a sentinel before each run (so a body that skips stores cannot pass on an earlier body's results).
    /// </summary>
    [Theory, MemberData(nameof(SmallFormats))]
    public unsafe void EachAvx512Body_DecodesEveryByte(string name)
    {
        if (!DecodeKernel.Is512Supported)
        {
            output.WriteLine("no AVX-512 here: the AVX2 body is covered by the parity tests under every cap");
            return;
        }
        FormatInfo f = FormatSpec.Parse(name);
        DecodeTable table = DecodeTable.For(f);
        const int count = 256 * 4;
        const uint sentinel = 0x7FBADBADu; // a NaN no table holds
        Assert.DoesNotContain(sentinel, table.Values.Select(BitConverter.SingleToUInt32Bits));
        byte[] codes = [.. Enumerable.Range(0, count).Select(i => (byte)(i * 167 + i / 256))];
        bool[] bodies = System.Runtime.Intrinsics.X86.Avx512Vbmi.IsSupported ? [true, false] : [false];
        if (bodies.Length == 1) output.WriteLine("no AVX-512 VBMI here: the byte-permute body is not reached");
        float* decoded = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(count * sizeof(float), 64);
        try
        {
            foreach (bool bytePlanes in bodies)
                foreach (bool nonTemporal in new[] { false, true })
                {
                    new Span<uint>(decoded, count).Fill(sentinel);
                    fixed (float* t = table.Values)
                    fixed (byte* c = codes)
                        DecodeKernel.Run512(table, t, c, decoded, count, nonTemporal, bytePlanes);
                    for (int i = 0; i < count; i++)
                    {
                        uint expected = BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, codes[i]));
                        Assert.True(expected == BitConverter.SingleToUInt32Bits(decoded[i]),
                            $"{name} code 0x{codes[i]:x2} (byte planes {bytePlanes}, non-temporal {nonTemporal})");
                    }
                }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(decoded);
        }
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
