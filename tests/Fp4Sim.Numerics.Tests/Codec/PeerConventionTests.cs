using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using Fp4Sim.Numerics.Vectorized;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>
/// The peer conventions (<see cref="CastConvention"/>): each library's published expectations reproduced code for code,
/// and, as a property, every difference from Fp4Sim's convention falls in a class docs/semantics.md §7.1 lists.
/// </summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class PeerConventionTests
{
    /// <summary>Casts; a NaN argument means the positive quiet NaN (C#'s <c>double.NaN</c> has its sign bit set).</summary>
    private static uint Cast(string format, double x, CastConvention convention, OverflowMode overflow, RoundingMode mode = RoundingMode.Rne) =>
        Encoder.Encode(FormatSpec.Parse(format), double.IsNaN(x) ? PositiveNaN : x, new RoundingContext(mode, overflow, 0, convention));

    private static readonly double PositiveNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000000L);

    private const OverflowMode Sat = OverflowMode.Saturate, NoSat = OverflowMode.Ieee;

    /// <summary>
    /// ml_dtypes: its C++ header's conversion (ConvertImpl) and limits, its README, and the expectations of its and
    /// gfloat's test suites (gfloat checks numpy <c>astype</c>, which is the non-saturating cast).
    /// </summary>
    [Theory]
    [InlineData("e5m2", double.PositiveInfinity, Sat, 0x7Cu)]      // (1) saturating keeps Inf
    [InlineData("e5m2", double.NegativeInfinity, Sat, 0xFCu)]
    [InlineData("e4m3", double.PositiveInfinity, Sat, 0x7Fu)]      // (1) ... NaN where there is no Inf
    [InlineData("e4m3fnuz", double.NegativeInfinity, Sat, 0x80u)]
    [InlineData("e2m1", double.NegativeInfinity, NoSat, 0xFu)]     // FP4: infinity() is max
    [InlineData("e4m3", 1000.0, Sat, 0x7Eu)]                       // finite overflow does saturate
    [InlineData("e5m2", 1e6, Sat, 0x7Bu)]
    [InlineData("e4m3", 464.01, NoSat, 0x7Fu)]
    [InlineData("e4m3", 464.0, NoSat, 0x7Eu)]                      // tie, even → 448
    [InlineData("e5m2", 61440.0, NoSat, 0x7Cu)]
    [InlineData("e4m3ieee", 250.0, NoSat, 0x78u)]
    [InlineData("e8m0", -1.0, Sat, 0x00u)]                         // (2) saturating: negatives clamp to 2^-127
    [InlineData("e8m0", -1.0, NoSat, 0xFFu)]
    [InlineData("e8m0", 0.0, NoSat, 0xFFu)]                        // (3) zero → NaN
    [InlineData("e8m0", 0.0, Sat, 0x00u)]                          //     saturating: denorm_min
    [InlineData("e8m0", 1.5, NoSat, 0x80u)]                        // ties go up: 1.5 → 2, 0.75 → 1, 3 → 4
    [InlineData("e8m0", 0.75, NoSat, 0x7Fu)]
    [InlineData("e8m0", 3.0, NoSat, 0x81u)]
    [InlineData("e8m0", 1.49, NoSat, 0x7Fu)]
    [InlineData("e8m0", 7.0e-39, NoSat, 0x01u)]                    // (2^-127, 2^-126) → 2^-126
    [InlineData("e8m0", 5.877471754111438e-39, NoSat, 0x00u)]      // 2^-127 itself
    [InlineData("e5m3fnu", -2.0, NoSat, 0xFFu)]
    [InlineData("e5m3fnu", -2.0, Sat, 0x00u)]
    [InlineData("e4m3fnuz", -1e-9, NoSat, 0x00u)]                  // no −0
    [InlineData("e2m1", double.NaN, NoSat, 0x8u)]                  // FP4/FP6 quiet_NaN() is the −0 pattern
    [InlineData("e3m2", double.NaN, Sat, 0x20u)]
    [InlineData("e5m2", double.NaN, NoSat, 0x7Eu)]
    [InlineData("e4m3", double.NaN, NoSat, 0x7Fu)]
    [InlineData("e4m3fnuz", double.NaN, NoSat, 0x80u)]
    [InlineData("e8m0", double.NaN, Sat, 0xFFu)]
    public void MlDtypes(string format, double x, OverflowMode overflow, uint expected) =>
        Assert.Equal(expected, Cast(format, x, CastConvention.MlDtypes, overflow));

    [Fact]
    public void MlDtypes_NegativeNaN_IsTheNegatedQuietNaN_AndTruncationOverflowsToInfinity()
    {
        // C#'s double.NaN is the negative quiet NaN (0xFFF8000000000000): ml_dtypes negates quiet_NaN() for it.
        var ml = new RoundingContext(RoundingMode.Rne, NoSat, 0, CastConvention.MlDtypes);
        Assert.Equal(0x0u, Encoder.Encode(KnownFormats.E2M1, double.NaN, ml));
        Assert.Equal(0xFEu, Encoder.Encode(KnownFormats.E5M2, double.NaN, ml));
        Assert.Equal(0xFFu, Encoder.Encode(KnownFormats.E8M0, double.NaN, ml));
        Assert.Equal(0xFFu, Cast("e8m0", -0.0, CastConvention.MlDtypes, NoSat)); // (3) −0 as well
        // kTruncate: 470 truncates to 448, 480 is past max → infinity() (Fp4Sim's rtz gives max, as IEEE 754 does).
        Assert.Equal(0x7Eu, Cast("e4m3", 470, CastConvention.MlDtypes, NoSat, RoundingMode.Rtz));
        Assert.Equal(0x7Fu, Cast("e4m3", 480, CastConvention.MlDtypes, NoSat, RoundingMode.Rtz));
        Assert.Equal(0x7Eu, Cast("e4m3", 480, CastConvention.Fp4Sim, NoSat, RoundingMode.Rtz));
        Assert.Equal(0x7Cu, Cast("e5m2", 70000, CastConvention.MlDtypes, NoSat, RoundingMode.Rtz));
    }

    /// <summary>gfloat: test_round.py (test_round_e4m3, test_round_e5m2) and encode_float's code_of_nan.</summary>
    [Theory]
    [InlineData("e4m3", 448.1, NoSat, 0x7Eu)]
    [InlineData("e4m3", 464.0, NoSat, 0x7Eu)]
    [InlineData("e4m3", 464.01, NoSat, 0xFFu)]                     // (4) NaN is the all-ones code, whatever the sign
    [InlineData("e4m3", double.PositiveInfinity, NoSat, 0xFFu)]
    [InlineData("e4m3", double.PositiveInfinity, Sat, 0x7Eu)]
    [InlineData("e5m2", 61439.9, NoSat, 0x7Bu)]
    [InlineData("e5m2", 61440.0, NoSat, 0x7Cu)]
    [InlineData("e5m2", 61440.0, Sat, 0x7Bu)]
    [InlineData("e5m2", double.NaN, NoSat, 0xFFu)]
    [InlineData("e4m3fnuz", double.NaN, NoSat, 0x80u)]
    [InlineData("fp16", double.NaN, NoSat, 0xFFFFu)]
    [InlineData("e8m0", double.NaN, NoSat, 0xFFu)]
    public void Gfloat(string format, double x, OverflowMode overflow, uint expected) =>
        Assert.Equal(expected, Cast(format, x, CastConvention.Gfloat, overflow));

    [Fact]
    public void Gfloat_Raises_WhereTheFormatCannotHoldTheResult()
    {
        Assert.Throws<NotRepresentableException>(() => Cast("e2m1", double.NaN, CastConvention.Gfloat, Sat));
        Assert.Throws<NotRepresentableException>(() => Cast("e2m1", double.PositiveInfinity, CastConvention.Gfloat, NoSat));
        Assert.Throws<NotRepresentableException>(() => Cast("e3m2", 100.0, CastConvention.Gfloat, NoSat));
        Assert.Equal(0x1Fu, Cast("e3m2", 100.0, CastConvention.Gfloat, Sat));
        Assert.Equal(0x1Fu, Cast("e3m2", 100.0, CastConvention.Gfloat, NoSat, RoundingMode.Rtz)); // toward zero: max
    }

    /// <summary>
    /// microxcaling: test_corners_mx.py::test_mx_hw_test (MXINT8, 'nearest' = rna, scale 1: elements are int8 codes of
    /// 64·x) with its symmetric clamp (6), and Inf restored even when saturating.
    /// </summary>
    [Theory]
    [InlineData(1.0390625, 67u)]   // → 1.046875
    [InlineData(1.0234375, 66u)]   // → 1.03125
    [InlineData(1.99609375, 127u)] // → 1.984375
    [InlineData(0.0078125, 1u)]    // → 0.015625
    [InlineData(0.00390625, 0u)]
    [InlineData(-1.984375, 0x81u)]
    [InlineData(-2.0, 0x81u)]      // never 0x80
    [InlineData(-5.0, 0x81u)]
    public void Microxcaling_Mxint8(double x, uint expected) =>
        Assert.Equal(expected, Cast("int8", 64 * x, CastConvention.Microxcaling, Sat, RoundingMode.Rna));

    [Fact]
    public void Microxcaling_RestoresInf_AndOverflowsToInfWhateverTheDirection()
    {
        Assert.Equal(0x7Cu, Cast("e5m2", double.PositiveInfinity, CastConvention.Microxcaling, Sat, RoundingMode.Rna));
        Assert.Equal(0xFFu, Cast("e4m3", double.NegativeInfinity, CastConvention.Microxcaling, Sat, RoundingMode.Rna));
        Assert.Equal(0x7Bu, Cast("e5m2", 1e6, CastConvention.Microxcaling, Sat, RoundingMode.Rna));
        Assert.Equal(0x7Cu, Cast("e5m2", 70000, CastConvention.Microxcaling, NoSat, RoundingMode.Rtz));
        // test_fp8_e4m3_fix: 485, 475, 400, −485, −475, −450 → 448, 448, 416, −448, −448, −448 (rna, saturating)
        double[] inputs = [485, 475, 400, -485, -475, -450];
        uint[] codes = [0x7E, 0x7E, 0x7D, 0xFE, 0xFE, 0xFE];
        for (int i = 0; i < inputs.Length; i++)
            Assert.Equal(codes[i], Cast("e4m3", inputs[i], CastConvention.Microxcaling, Sat, RoundingMode.Rna));
    }

    [Fact]
    public void Mxint8Blocks_FollowTheConvention()
    {
        float[] block = new float[32];
        block[0] = -1.9921875f; block[1] = 1.5f; // −127.5 · 2^-6: a tie that rounds to −128
        var ours = BlockQuantizer.Quantize(KnownBlockFormats.MxInt8, block, new BlockQuantizeOptions());
        var theirs = BlockQuantizer.Quantize(KnownBlockFormats.MxInt8, block,
            new BlockQuantizeOptions(ElementRounding: RoundingMode.Rna, Convention: CastConvention.Microxcaling));
        Assert.Equal(ours.Scales, theirs.Scales);
        Assert.Equal(0x80, ours.Elements[0]);
        Assert.Equal(0x81, theirs.Elements[0]);
        Assert.Equal(ours.Elements[1..], theirs.Elements[1..]);
    }

    [Theory]
    [InlineData(CastConvention.MlDtypes, RoundingMode.Rna, "e4m3")]
    [InlineData(CastConvention.MlDtypes, RoundingMode.Sr, "e4m3")]
    [InlineData(CastConvention.MlDtypes, RoundingMode.Rne, "int4")]
    [InlineData(CastConvention.Gfloat, RoundingMode.Sr, "e4m3")]
    [InlineData(CastConvention.Microxcaling, RoundingMode.Rup, "e4m3")]
    public void ModesALibraryLacks_AreRefused(CastConvention convention, RoundingMode mode, string format)
    {
        FormatInfo f = FormatSpec.Parse(format);
        var ctx = new RoundingContext(mode, Sat, 0, convention);
        Assert.NotNull(CastConventions.Unsupported(f, ctx));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(f, 1.0, ctx));
        Assert.False(FastCast.Supports(f, ctx));
    }

    [Theory]
    [InlineData("fp4sim", CastConvention.Fp4Sim)]
    [InlineData("ML_DTYPES", CastConvention.MlDtypes)]
    [InlineData("ml-dtypes", CastConvention.MlDtypes)]
    [InlineData("gfloat", CastConvention.Gfloat)]
    [InlineData("microxcaling", CastConvention.Microxcaling)]
    public void Names_Parse(string name, CastConvention expected) => Assert.Equal(expected, CastConventions.Parse(name));

    [Fact]
    public void UnknownName_IsAFormatException() => Assert.Throws<FormatException>(() => CastConventions.Parse("numpy"));

    /// <summary>
    /// For every tested format, every mode each library has and both overflow modes, a peer convention gives Fp4Sim's
    /// code except in the classes docs/semantics.md §7.1 lists: NaN, ±Inf, zero without a zero code, negatives into
    /// unsigned formats, M = 0 formats (ml_dtypes' ties), values beyond max finite, and integers (microxcaling).
    /// </summary>
    [Property(MaxTest = 100_000)]
    public bool PeerConventions_DifferOnlyInTheListedClasses(FormatValue c, int pick)
    {
        (FormatInfo f, double x) = (c.Format, c.X);
        var convention = (CastConvention)(1 + Math.Abs(pick % 3));
        RoundingMode[] modes = convention switch
        {
            CastConvention.MlDtypes => [RoundingMode.Rne, RoundingMode.Rtz],
            CastConvention.Gfloat => [RoundingMode.Rne, RoundingMode.Rna, RoundingMode.Rtz, RoundingMode.Rup, RoundingMode.Rdn],
            _ => [RoundingMode.Rna, RoundingMode.Rne, RoundingMode.Rtz],
        };
        var ctx = new RoundingContext(modes[Math.Abs(pick / 3 % modes.Length)], (pick & 1) == 0 ? Sat : NoSat, 0, convention);
        if (CastConventions.Unsupported(f, ctx) is not null) return true;
        uint ours = Encoder.Encode(f, x, ctx with { Convention = CastConvention.Fp4Sim });
        uint theirs;
        try { theirs = Encoder.Encode(f, x, ctx); }
        catch (NotRepresentableException) { return convention == CastConvention.Gfloat && Math.Abs(x) > CodeSpace.MaxFinite(f); }
        if (ours == theirs) return true;
        bool beyondMax = Math.Abs(Decoder.Decode(f, ours)) >= CodeSpace.MaxFinite(f) || double.IsNaN(Decoder.Decode(f, ours));
        bool listed = (x == 0 && !f.HasZero) || (x < 0 && !f.IsSigned) || (f.MantissaBits == 0 && !f.IsInteger)
            || beyondMax || (f.IsInteger && convention == CastConvention.Microxcaling);
        return listed;
    }

    [Property(MaxTest = 20_000)]
    public bool NonFiniteInputs_NeverThrowOutsideGfloat(FormatValue c, int pick)
    {
        var convention = (CastConvention)Math.Abs(pick % 4);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0];
        var ctx = CastConventions.Defaults(convention) with { Overflow = (pick & 4) == 0 ? Sat : NoSat };
        if (CastConventions.Unsupported(c.Format, ctx) is not null || convention == CastConvention.Gfloat) return true;
        foreach (double x in specials) _ = Encoder.Encode(c.Format, x, ctx);
        return true;
    }
}
