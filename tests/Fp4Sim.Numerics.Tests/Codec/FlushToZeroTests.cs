using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using Fp4Sim.Numerics.Vectorized;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>
/// <c>:subnormals=ftz</c> (microxcaling's <c>allow_denorm=False</c>): magnitudes below the smallest normal become a zero
/// of their sign before rounding, where <c>:subnormals=off</c> rounds them onto {0, min normal}.
/// </summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class FlushToZeroTests
{
    [Theory]
    [InlineData("e4m3:subnormals=ftz", 0.015, 0x00u)]          // off rounds it up to min normal 0x08
    [InlineData("e4m3:subnormals=off", 0.015, 0x08u)]
    [InlineData("e4m3:subnormals=ftz", 0.015625, 0x08u)]       // min normal itself stays
    [InlineData("e4m3:subnormals=ftz", -0.001, 0x80u)]         // signed zero
    [InlineData("e4m3fnuz:subnormals=ftz", -0.001, 0x00u)]     // fnuz has no −0
    [InlineData("e2m1:subnormals=ftz", 0.75, 0x0u)]            // off: 0x2 (1.0)
    [InlineData("e2m1:subnormals=ftz", 1.25, 0x2u)]
    public void Examples(string format, double x, uint expected) =>
        Assert.Equal(expected, Encoder.Encode(FormatSpec.Parse(format), x, RoundingContext.Default));

    [Fact]
    public void Parses_DecodesAsOff_AndHasNoVectorKernel()
    {
        FormatInfo ftz = FormatSpec.Parse("e4m3:subnormals=ftz"), off = FormatSpec.Parse("e4m3:subnormals=off");
        Assert.True(ftz.FlushToZero);
        Assert.False(ftz.Subnormals);
        Assert.Equal("e4m3:subnormals=ftz", ftz.Name);
        for (uint code = 0; code < 256; code++)
            Assert.Equal(Decoder.Decode(off, code), Decoder.Decode(ftz, code));
        Assert.False(FastCast.Supports(ftz, RoundingContext.Default));
        Assert.False(FormatSpec.Parse("e4m3:subnormals=ftz:subnormals=on").FlushToZero);
        Assert.Throws<FormatException>(() => FormatSpec.Parse("e4m3:subnormals=daz"));
    }

    /// <summary>For every tested float format with a zero: ftz = (|x| below min normal ? signed zero : subnormals=off).</summary>
    [Property(MaxTest = 50_000)]
    public bool Ftz_IsFlushThenOff(FormatValue c, bool towardZero)
    {
        FormatInfo f = c.Format;
        if (f.IsInteger || !f.HasZero || !f.IsSigned) return true;
        FormatInfo off = f with { Subnormals = false }, ftz = off with { FlushToZero = true };
        var ctx = new RoundingContext(towardZero ? RoundingMode.Rtz : RoundingMode.Rne);
        double minNormal = Math.ScaleB(1.0, f.MinNormalExponent);
        double flushed = Math.Abs(c.X) < minNormal ? (c.X < 0 ? -0.0 : 0.0) : c.X;
        return Encoder.Encode(ftz, c.X, ctx) == Encoder.Encode(off, flushed, ctx);
    }
}
