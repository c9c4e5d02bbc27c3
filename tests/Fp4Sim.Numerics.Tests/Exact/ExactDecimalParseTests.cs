using System.Diagnostics;
using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Exact;

/// <summary>
/// <see cref="ExactDecimal.TryParse"/>: dyadic decimals come back exactly; others become stand-ins that round as the
/// number does (checked against .NET's correctly rounded float and Half parsers, and at midpoints); absurd exponents and
/// digit counts are decided in bounded time.
/// </summary>
public class ExactDecimalParseTests
{
    private static readonly RoundingContext Nearest = new(RoundingMode.Rne, OverflowMode.Ieee);

    private static ExactValue Parse(string text, bool? exact)
    {
        Assert.True(ExactDecimal.TryParse(text, out ExactValue value, out bool isExact), text);
        if (exact is bool expected) Assert.Equal(expected, isExact);
        return value;
    }

    private static uint Fp32(string text, RoundingMode mode = RoundingMode.Rne) =>
        Encoder.EncodeExact(KnownFormats.Fp32, Parse(text, exact: null), new RoundingContext(mode, OverflowMode.Ieee));

    [Fact]
    public void Every_double_written_exactly_reads_back_exactly()
    {
        var random = new SplitMix64(5);
        for (int i = 0; i < 3000; i++)
        {
            double x = BitConverter.UInt64BitsToDouble(random.Next());
            if (!double.IsFinite(x)) continue;
            Assert.Equal(ExactValue.FromDouble(x), Parse(ExactDecimal.Format(x), exact: true));
        }
        for (int i = 0; i < 3000; i++) // short ones (at most 18 digits: the 64-bit path), with and without an exponent
        {
            double x = Math.ScaleB((double)random.Below(1 << 20) - (1 << 19), (int)random.Below(40) - 30);
            string text = ExactDecimal.Format(x);
            Assert.Equal(ExactValue.FromDouble(x), Parse(text, exact: true));
            Assert.Equal(ExactValue.FromDouble(x * 1000), Parse(text + "e3", exact: true));
            ExactValue v = ExactValue.FromDouble(x); // x / 1000 is dyadic when 125 divides x's odd significand
            bool dyadic = v.Kind == ValueKind.Zero || v.Magnitude % 125 == 0;
            ExactValue thousandth = Parse(text + "e-3", exact: dyadic);
            if (dyadic) Assert.Equal(v, ExactValue.Multiply(thousandth, ExactValue.FromDouble(1000)));
        }
        Assert.Equal(ExactValue.FromDouble(double.Epsilon), Parse(ExactDecimal.Format(double.Epsilon), exact: true)); // 751 digits
        Assert.Equal(ExactValue.FromDouble(double.MaxValue), Parse(ExactDecimal.Format(double.MaxValue), exact: true));
    }

    [Theory]
    [InlineData("1.5e3", 1500.0)]
    [InlineData("15e-1", 1.5)]
    [InlineData("+.25", 0.25)]
    [InlineData("2.", 2.0)]
    [InlineData("-0006.2500E+0001", -62.5)]
    [InlineData("1e0000000000000000000000001", 10.0)]
    [InlineData("0.000", 0.0)]
    [InlineData("-0", -0.0)]
    [InlineData("-0e99999999999999999999", -0.0)]
    [InlineData("0.0e-99999999999999999999", 0.0)]
    public void Spellings_of_dyadic_numbers_are_exact(string text, double expected) =>
        Assert.Equal(ExactValue.FromDouble(expected), Parse(text, exact: true));

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.5.2")]
    [InlineData("--1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,5")]
    [InlineData("inf")]
    [InlineData("nan")]
    [InlineData("0x10")]
    [InlineData("١")]
    public void Other_text_is_not_a_decimal(string text) => Assert.False(ExactDecimal.TryParse(text, out _, out _));

    [Fact]
    public void Stand_ins_round_as_the_correctly_rounded_parsers_do()
    {
        var random = new SplitMix64(77);
        for (int i = 0; i < 3000; i++)
        {
            // up to 25 random digits, a point somewhere, an exponent that covers normal, subnormal and overflowing binary32
            int digits = 1 + (int)random.Below(25);
            var s = new System.Text.StringBuilder(random.Below(2) == 0 ? "-" : "");
            for (int k = 0; k < digits; k++) s.Append((char)('0' + random.Below(10)));
            s.Insert(s.Length - (int)random.Below((ulong)digits), '.');
            s.Append('e').Append((int)random.Below(100) - 60);
            string text = s.ToString();
            Assert.True(ExactDecimal.TryParse(text, out ExactValue v, out _));
            float f = float.Parse(text, CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.SingleToUInt32Bits(f), Encoder.EncodeExact(KnownFormats.Fp32, v, Nearest));
            Half h = Half.Parse(text, CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.HalfToUInt16Bits(h), Encoder.EncodeExact(KnownFormats.Fp16, v, Nearest));
        }
    }

    [Fact]
    public void Many_digits_are_told_apart_from_the_value_they_nearly_are()
    {
        Assert.Equal(ExactValue.FromDouble(1.0), Parse("1.000000000000000000000000000000000", exact: true));
        Assert.Equal(0x3f800000u, Encoder.EncodeExact(KnownFormats.Fp32, Parse("1.00000000000000000001", exact: false), Nearest));
        Assert.Equal(0x3f800001u, Fp32("1.00000000000000000001", RoundingMode.Rup));
        Assert.Equal(0x3f7fffffu, Fp32("0.99999999999999999999", RoundingMode.Rtz));

        // the binary32 midpoint 1 + 2^-24 ties to even (down); a digit 1000 places later decides it (up), as does a tail of nines
        const string midpoint = "1.000000059604644775390625";
        Assert.Equal(0x3f800000u, Encoder.EncodeExact(KnownFormats.Fp32, Parse(midpoint, exact: true), Nearest));
        Assert.Equal(0x3f800001u, Fp32(midpoint + new string('0', 1000) + "1"));
        Assert.Equal(0x3f800000u, Fp32("1.000000059604644775390624" + new string('9', 1000)));
        Assert.Equal(0x3f800001u, Fp32("1.000000059604644775390624" + new string('9', 1000), RoundingMode.Rup));
    }

    [Fact]
    public void Absurd_exponents_and_digit_counts_take_bounded_time()
    {
        var watch = Stopwatch.StartNew();
        Assert.Equal(0x7f800000u, Fp32("1e309")); // an integer, so exact: 10^309 itself
        Assert.False(ExactDecimal.TryParse("1e401", out _, out bool exact) && exact); // beyond 10^400: a stand-in
        Assert.Equal(0xff800000u, Fp32("-1e99999999999999999999999999"));
        Assert.Equal(0x7f7fffffu, Fp32("1e99999999999999999999999999", RoundingMode.Rtz));
        Assert.Equal(0u, Fp32("1e-400"));
        Assert.Equal(1u, Fp32("1e-99999999999999999999", RoundingMode.Rup));
        Assert.Equal(0x80000000u, Fp32("-1e-2147483649"));
        Assert.Equal(0x7f800000u, Fp32("1" + new string('0', 200_000)));
        Assert.Equal(0u, Fp32("0." + new string('0', 200_000) + "1"));
        var random = new SplitMix64(3);
        string many = "3." + string.Concat(Enumerable.Range(0, 1_000_000).Select(_ => (char)('0' + random.Below(10)))) + "7";
        Assert.Equal(BitConverter.SingleToUInt32Bits(float.Parse(many, CultureInfo.InvariantCulture)), Fp32(many));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
