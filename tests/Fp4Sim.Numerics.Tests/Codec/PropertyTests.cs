using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>FsCheck properties of the reference encoder over random float32 and float64 inputs, for every format.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class PropertyTests
{
    private static double Value(FormatInfo f, uint code) => Decoder.Decode(f, code);

    // 32 tested formats × 10,000 cases each, as when each format was its own theory row (the format is drawn per case).
    private const int Cases = 320_000;

    [Property(MaxTest = Cases)]
    public bool DirectedRoundings_BracketTheInput_AndEveryModeLandsOnABracket(FormatValue c)
    {
        (FormatInfo f, double x) = (c.Format, c.X);
        double max = CodeSpace.MaxFinite(f);
        if (!f.IsSigned && x < 0) return true;
        if (Math.Abs(x) > max || (!f.HasZero && Math.Abs(x) < CodeSpace.MinNormal(f))) return true; // saturation tested apart
        uint down = Encoder.Encode(f, x, new RoundingContext(RoundingMode.Rdn));
        uint up = Encoder.Encode(f, x, new RoundingContext(RoundingMode.Rup));
        bool bracket = Value(f, down) <= x && x <= Value(f, up);
        bool adjacent = Value(f, down) == Value(f, up) || Value(f, CodeSpace.NextUp(f, down)) == Value(f, up);
        bool landed = Enum.GetValues<RoundingMode>().All(mode =>
        {
            double v = Value(f, Encoder.Encode(f, x, new RoundingContext(mode, RandomBits: (uint)BitConverter.DoubleToInt64Bits(x))));
            return v == Value(f, down) || v == Value(f, up);
        });
        double error = Math.Abs(Value(f, Encoder.Encode(f, x, RoundingContext.Default)) - x);
        bool halfUlp = error <= (Value(f, up) - Value(f, down)) / 2;
        return bracket && adjacent && landed && halfUlp;
    }

    [Property(MaxTest = Cases)]
    public bool Encode_IsMonotonic_InEveryDeterministicMode(FormatValuePair c)
    {
        FormatInfo f = c.Format;
        (double lo, double hi) = c.A <= c.B ? (c.A, c.B) : (c.B, c.A);
        return Enum.GetValues<RoundingMode>().Where(m => m != RoundingMode.Sr).All(mode =>
        {
            var ctx = new RoundingContext(mode);
            double vlo = Value(f, Encoder.Encode(f, lo, ctx)), vhi = Value(f, Encoder.Encode(f, hi, ctx));
            return double.IsNaN(vlo) || double.IsNaN(vhi) || vlo <= vhi;
        });
    }

    // E8M0 has no negative values, nothing to mirror: its 1/32 of the cases pass at once, hence 10,000 more in all.
    [Property(MaxTest = Cases + 10_000)]
    public bool Encode_IsSignSymmetric_AndSaturationBounded(FormatValue c)
    {
        (FormatInfo f, double x) = (c.Format, c.X);
        if (!f.IsSigned) return true;
        double max = CodeSpace.MaxFinite(f);
        bool symmetric = new[] { RoundingMode.Rne, RoundingMode.Rna, RoundingMode.Rtz }.All(mode =>
        {
            var ctx = new RoundingContext(mode);
            double pos = Value(f, Encoder.Encode(f, x, ctx)), neg = Value(f, Encoder.Encode(f, -x, ctx));
            return pos == -neg || (f.IsInteger && Math.Max(Math.Abs(pos), Math.Abs(neg)) == max + 1);
        });
        bool mirrored = Value(f, Encoder.Encode(f, -x, new RoundingContext(RoundingMode.Rup)))
                     == -Value(f, Encoder.Encode(f, x, new RoundingContext(RoundingMode.Rdn))) || f.IsInteger;
        double saturated = Value(f, Encoder.Encode(f, x, RoundingContext.Default));
        return symmetric && mirrored && Math.Abs(saturated) <= max + (f.IsInteger ? 1 : 0);
    }

    [Theory]
    [InlineData("e2m1", 0.3)]
    [InlineData("e2m1", 4.9)]
    [InlineData("e4m3", 259.0)]
    [InlineData("e5m2", 277.0)]
    [InlineData("e3m2", 0.0703125)]
    [InlineData("bf16", 1.00048828125)]
    [InlineData("int8", -3.3)]
    public void StochasticRounding_IsUnbiasedInExpectation(string spec, double x)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        const int n = 200_000;
        double down = Value(f, Encoder.Encode(f, x, new RoundingContext(RoundingMode.Rdn)));
        double up = Value(f, Encoder.Encode(f, x, new RoundingContext(RoundingMode.Rup)));
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += Value(f, Encoder.Encode(f, x, new RoundingContext(RoundingMode.Sr, RandomBits: StochasticBits.For(42, (ulong)i))));
        double p = (x - down) / (up - down);
        double sigma = (up - down) * Math.Sqrt(p * (1 - p) / n);
        Assert.True(Math.Abs(sum / n - x) <= 5 * sigma + (up - down) * 1e-9, $"{spec} x={x}: mean {sum / n} vs {x} (σ {sigma})");
        Assert.InRange(p, 0.01, 0.99); // a case that really rounds
    }

    [Fact]
    public void StochasticRounding_ReproducesFromSeed_AndExactValuesNeverMove()
    {
        FormatInfo f = KnownFormats.E4M3;
        for (ulong i = 0; i < 1000; i++)
        {
            var ctx = new RoundingContext(RoundingMode.Sr, RandomBits: StochasticBits.For(7, i));
            Assert.Equal(Encoder.Encode(f, 3.3f, ctx), Encoder.Encode(f, 3.3f, ctx with { }));
            Assert.Equal(Encoder.Encode(f, 3.25f, RoundingContext.Default), Encoder.Encode(f, 3.25f, ctx));
        }
        Assert.NotEqual(StochasticBits.For(7, 0), StochasticBits.For(8, 0));
    }
}
