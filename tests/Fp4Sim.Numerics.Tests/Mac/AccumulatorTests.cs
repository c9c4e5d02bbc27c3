using System.Numerics;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>
/// Accumulator models against independent oracles: .NET's float FMA and Half conversion for the IEEE models, integer
/// arithmetic for the fixed-point model, and binary64 sums (exact for the small formats used) for the exact model.
/// </summary>
public class AccumulatorTests
{
    private static (uint[] A, uint[] B) RandomCodes(Random rng, FormatInfo fa, FormatInfo fb, int n, bool finiteOnly = true)
    {
        var a = new uint[n];
        var b = new uint[n];
        for (int i = 0; i < n; i++)
        {
            do a[i] = (uint)rng.Next((int)fa.CodeCount); while (finiteOnly && !double.IsFinite(Decoder.Decode(fa, a[i])));
            do b[i] = (uint)rng.Next((int)fb.CodeCount); while (finiteOnly && !double.IsFinite(Decoder.Decode(fb, b[i])));
        }
        return (a, b);
    }

    // Properties: as many cases as the old loops ran (300 a format pair), the pair drawn per case.
    [Property(MaxTest = 1_200, Arbitrary = new[] { typeof(Arbitraries.Fp32Chain) })]
    public void Fp32_IsAChainOfFloatFusedMultiplyAdds(CodeVector v)
    {
        (FormatInfo a, FormatInfo b, uint[] x, uint[] y) = (v.A, v.B, v.X, v.Y);
        float oracle = 0f;
        for (int i = 0; i < x.Length; i++)
            oracle = MathF.FusedMultiplyAdd(Decoder.DecodeToSingle(a, x[i]), Decoder.DecodeToSingle(b, y[i]), oracle);
        Assert.Equal(BitConverter.SingleToUInt32Bits(oracle), (uint)new IeeeAccumulator(KnownFormats.Fp32).Dot(a, x, b, y).Bits);
    }

    [Fact]
    public void Fp32_OverflowsToInfinity_AndInfinityMinusInfinityIsNaN()
    {
        FormatInfo f = KnownFormats.Fp32;
        var acc = new IeeeAccumulator(f);
        uint max = BitConverter.SingleToUInt32Bits(float.MaxValue), one = 0x3F800000, two = 0x40000000;
        Assert.Equal(0x7F800000u, (uint)acc.Dot(f, [max, max], f, [two, one]).Bits);
        MacResult nan = acc.Dot(f, [0x7F800000, 0xFF800000], f, [one, one]);
        Assert.Equal(ValueKind.NaN, nan.Value.Kind);
    }

    [Property(MaxTest = 600, Arbitrary = new[] { typeof(Arbitraries.Fp16Chain) })]
    public void Fp16_RoundsEveryAddToNearestHalf(CodeVector v)
    {
        // binary64 holds acc + product exactly here (spans < 53 bits), so (Half)(double) is one correct rounding.
        (FormatInfo f, uint[] x, uint[] y) = (v.A, v.X, v.Y);
        Half oracle = (Half)0;
        for (int i = 0; i < x.Length; i++)
            oracle = (Half)((double)oracle + Decoder.Decode(f, x[i]) * Decoder.Decode(f, y[i]));
        Assert.Equal(BitConverter.HalfToUInt16Bits(oracle), (ushort)new IeeeAccumulator(KnownFormats.Fp16).Dot(f, x, f, y).Bits);
    }

    [Property(MaxTest = 300, Arbitrary = new[] { typeof(Arbitraries.Bf16Chain) })]
    public void Bf16_RoundsEveryAddToNearestEven(CodeVector v)
    {
        (FormatInfo f, uint[] x, uint[] y) = (v.A, v.X, v.Y);
        double oracle = 0;
        for (int i = 0; i < x.Length; i++)
            oracle = RoundToBf16(oracle + Decoder.Decode(f, x[i]) * Decoder.Decode(f, y[i]));
        Assert.Equal(oracle, new IeeeAccumulator(KnownFormats.Bf16).Dot(f, x, f, y).Value.ToDouble());
    }

    /// <summary>bfloat16 RNE by integer arithmetic on the binary64 pattern (the sum is exact in binary64 here).</summary>
    private static double RoundToBf16(double exactSum)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(exactSum);
        const int drop = 52 - 7;
        ulong half = 1UL << (drop - 1), lsb = (bits >> drop) & 1;
        bits = (bits + half - 1 + lsb) & ~((1UL << drop) - 1);
        return BitConverter.UInt64BitsToDouble(bits);
    }

    [Property(MaxTest = 300, Arbitrary = new[] { typeof(Arbitraries.E5M2Sums) })]
    public void Exact_RoundsTheTrueSumOnce(CodeVector v)
    {
        (FormatInfo f, uint[] x, uint[] y) = (v.A, v.X, v.Y);
        double sum = 0; // e5m2 products span 2^-32..2^32: every partial sum is exact in binary64
        for (int i = 0; i < x.Length; i++) sum += Decoder.Decode(f, x[i]) * Decoder.Decode(f, y[i]);
        Assert.Equal((float)sum, BitConverter.UInt32BitsToSingle((uint)ExactAccumulator.Fp32.Dot(f, x, f, y).Bits));
    }

    [Fact]
    public void Exact_DiffersFromFp32_WhereFp32LosesBits()
    {
        // 2^24 + 1 − 2^24: fp32 loses the 1 on the first add; the exact register keeps it.
        FormatInfo f = KnownFormats.Fp32;
        uint big = BitConverter.SingleToUInt32Bits(16777216f), one = 0x3F800000, minus = BitConverter.SingleToUInt32Bits(-16777216f);
        Assert.Equal(0u, (uint)new IeeeAccumulator(f).Dot(f, [big, one, minus], f, [one, one, one]).Bits);
        Assert.Equal(one, (uint)ExactAccumulator.Fp32.Dot(f, [big, one, minus], f, [one, one, one]).Bits);
    }

    [Theory]
    [InlineData("e2m1", "e2m1", 32)]
    [InlineData("e4m3", "e4m3", 32)]
    [InlineData("e2m1", "e1m2", 64)]
    [InlineData("int8", "int8", 32)]
    public void ExactRegister_HoldsTheWorstCaseSumsExactly(string fa, string fb, int n)
    {
        FormatInfo a = FormatSpec.Parse(fa), b = FormatSpec.Parse(fb);
        (int width, int frac) = ExactAccumulator.RegisterFor(a, b, n);
        var register = new FixedPointAccumulator(width, frac);
        uint maxA = a.IsInteger ? a.SignMask | 0x80u : a.MaxFiniteMagnitude, maxB = b.IsInteger ? 0x80u : b.MaxFiniteMagnitude;
        uint minA = CodeSpaceMin(a), minB = CodeSpaceMin(b);
        foreach (uint signB in new uint[] { 0, b.IsInteger ? 0u : b.SignMask })
        {
            uint[] x = Enumerable.Repeat(maxA, n).ToArray(), y = Enumerable.Repeat(maxB | signB, n).ToArray();
            if (b.IsInteger) y = Enumerable.Repeat(signB == 0 ? 0x7Fu : 0x80u, n).ToArray();
            AssertExact(register, a, x, b, y);
        }
        AssertExact(register, a, Enumerable.Repeat(minA, n).ToArray(), b, Enumerable.Repeat(minB, n).ToArray());
        // One bit narrower must lose the worst case (the width is tight, not just sufficient).
        var narrower = new FixedPointAccumulator(width - 1, frac);
        uint[] worstA = Enumerable.Repeat(a.IsInteger ? 0x80u : maxA, n).ToArray();
        uint[] worstB = Enumerable.Repeat(b.IsInteger ? 0x80u : maxB, n).ToArray();
        Assert.NotEqual(ExactAccumulator.Sum(Terms(a, worstA, b, worstB)), narrower.Dot(a, worstA, b, worstB).Value);

        static uint CodeSpaceMin(FormatInfo f) => f.IsInteger ? 1u : 1u; // the smallest positive magnitude code
    }

    private static MacTerm[] Terms(FormatInfo a, uint[] x, FormatInfo b, uint[] y) =>
        x.Select((c, i) => MacTerm.Product(a, c, b, y[i])).ToArray();

    private static void AssertExact(FixedPointAccumulator register, FormatInfo a, uint[] x, FormatInfo b, uint[] y)
    {
        MacResult r = register.Dot(a, x, b, y);
        ExactValue exact = ExactAccumulator.Sum(Terms(a, x, b, y));
        Assert.Equal(exact.ToDouble(), r.Value.ToDouble());
    }

    [Theory]
    [InlineData(12, 2, FixedRounding.Truncate, FixedOverflow.Saturate)]
    [InlineData(12, 2, FixedRounding.Truncate, FixedOverflow.Wrap)]
    [InlineData(10, 0, FixedRounding.Nearest, FixedOverflow.Saturate)]
    [InlineData(10, 0, FixedRounding.Truncate, FixedOverflow.Wrap)]
    [InlineData(8, -1, FixedRounding.Nearest, FixedOverflow.Wrap)]
    [InlineData(16, 1, FixedRounding.Nearest, FixedOverflow.Saturate)]
    public void Fixed_MatchesAnIntegerOracle(int width, int frac, FixedRounding rounding, FixedOverflow overflow)
    {
        // E2M1 products are multiples of 1/4: in quarters they are integers, so the oracle works on longs.
        FormatInfo f = KnownFormats.E2M1;
        var acc = new FixedPointAccumulator(width, frac, rounding, overflow);
        long max = (1L << (width - 1)) - 1, min = -(1L << (width - 1));
        var rng = new Random(width * 31 + frac);
        int saturatedOrWrapped = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            (uint[] x, uint[] y) = RandomCodes(rng, f, f, rng.Next(1, 300));
            if (trial % 2 == 0) // one-signed data drifts to the limits
                for (int i = 0; i < x.Length; i++) { x[i] &= 7; y[i] &= 7; }
            long state = 0;
            bool limited = false;
            for (int i = 0; i < x.Length; i++)
            {
                long quarters = (long)(Decoder.Decode(f, x[i]) * Decoder.Decode(f, y[i]) * 4);
                long step = OnGrid(quarters, 2 - frac, rounding);
                long sum = state + step;
                if (sum > max || sum < min)
                {
                    limited = true;
                    sum = overflow == FixedOverflow.Saturate ? Math.Clamp(sum, min, max)
                        : ((sum - min) % (1L << width) + (1L << width)) % (1L << width) + min;
                }
                state = sum;
            }
            if (limited) saturatedOrWrapped++;
            MacResult r = acc.Dot(f, x, f, y);
            Assert.Equal(Math.ScaleB(state, -frac), r.Value.ToDouble());
            Assert.Equal((UInt128)(ulong)state & (((UInt128)1 << width) - 1), r.Bits);
        }
        if (width <= 10) Assert.True(saturatedOrWrapped > 0, "the data never reached the register's limits");
    }

    /// <summary>quarters / 2^drop in grid steps, by long arithmetic.</summary>
    private static long OnGrid(long quarters, int drop, FixedRounding rounding)
    {
        if (drop <= 0) return quarters << -drop;
        long floor = quarters >> drop; // arithmetic: toward −∞
        if (rounding == FixedRounding.Truncate) return floor;
        long rem = quarters - (floor << drop), half = 1L << (drop - 1);
        return rem > half || (rem == half && (floor & 1) != 0) ? floor + 1 : floor;
    }

    [Fact]
    public void Fixed_SkipsSpecials_AndRaisesInvalid()
    {
        FormatInfo f = KnownFormats.E5M2;
        uint inf = 0x7C, one = 0x3C;
        MacResult r = new FixedPointAccumulator(16, 4).Dot(f, [one, inf, one], f, [one, one, one]);
        Assert.True(r.Invalid);
        Assert.Equal(2.0, r.Value.ToDouble());
    }

    [Theory]
    [InlineData("exact", "exact")]
    [InlineData("exact:bf16", "exact:bf16")]
    [InlineData("FP32", "fp32")]
    [InlineData("bf16", "bf16")]
    [InlineData("fixed:32.16", "fixed:32.16")]
    [InlineData("fixed:24.8:round:wrap", "fixed:24.8:round:wrap")]
    [InlineData("fixed:24.8:trunc:sat", "fixed:24.8")]
    [InlineData("tc:h100-fp8", "tc:h100-fp8")]
    public void Spec_RoundTripsThroughItsName(string text, string name) =>
        Assert.Equal(name, AccumulatorSpec.Parse(text).Name);

    [Theory]
    [InlineData("fixed:1.0")]
    [InlineData("fixed:32")]
    [InlineData("fixed:32.x")]
    [InlineData("fixed:32.16:fast")]
    [InlineData("tc:z80")]
    [InlineData("double")]
    public void Spec_RejectsBadNames(string text) =>
        Assert.Throws<FormatException>(() => AccumulatorSpec.Parse(text));

    [Fact]
    public void BigIntegerGridIsUsedForWideTerms()
    {
        // fp32 max × fp32 max onto a 2^-200 grid: far beyond 128 bits before wrapping — must not overflow anything.
        FormatInfo f = KnownFormats.Fp32;
        uint max = BitConverter.SingleToUInt32Bits(float.MaxValue);
        var acc = new FixedPointAccumulator(64, 200, FixedRounding.Truncate, FixedOverflow.Wrap);
        BigInteger grid = acc.OnGrid(MacTerm.Product(f, max, f, max).Value);
        Assert.True(grid.GetBitLength() > 400);
        Assert.Equal(0.0, acc.Dot(f, [max], f, [max]).Value.ToDouble()); // the low 64 bits of a multiple of 2^(lots) are 0
    }
}
