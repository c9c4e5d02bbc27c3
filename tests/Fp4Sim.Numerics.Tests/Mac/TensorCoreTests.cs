using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>
/// The tensor-core models against published vectors: the pass conditions of Fasi et al.'s V100 and A100 test programs
/// (north-numerical-computing/tensor-cores-numerical-behavior), hardware results printed for RTX 4090 (F = 24, g = 8,
/// the A100 parameters) and RTX 5090 (F = 25, g = 16, the H100/B200 parameters), Khattak &amp; Mikaitis's HPEC'25
/// vectors, MMA-Sim's probes, and FP8 cases that separate Hopper (13 bits, e8m13 result) from B200 (25 bits).
/// Inputs are fp16 unless named; C and D are binary32 unless the model outputs binary16.
/// </summary>
public class TensorCoreTests
{
    private static readonly double U = Math.ScaleB(1.0, -24); // 2^-24, the smallest fp16 subnormal

    private static uint Run(TensorCoreModel model, double[] a, double[] b, double c, FormatInfo? input = null)
    {
        FormatInfo f = input ?? KnownFormats.Fp16;
        var terms = new List<MacTerm>();
        for (int i = 0; i < a.Length; i++)
            terms.Add(MacTerm.Product(f, Code(f, a[i]), f, Code(f, b[i])));
        var acc = new TensorCoreAccumulator(model);
        return acc.Fuse(Code(model.Output, c), terms.ToArray());
    }

    private static uint Code(FormatInfo f, double x)
    {
        uint code = Encoder.EncodeExact(f, ExactValue.FromDouble(x),
            new Rounding.RoundingContext(Rounding.RoundingMode.Rne, Rounding.OverflowMode.Ieee));
        Assert.Equal(x, Fp4Sim.Numerics.Codec.Decoder.Decode(f, code)); // every published input is exact in its format
        return code;
    }

    private static double[] Four(double x) => [x, x, x, x];

    [Fact]
    public void V100_FasiEtAlPassConditions()
    {
        TensorCoreModel v = TensorCoreModel.V100;
        double near1 = 1 - Math.ScaleB(1, -11);
        Assert.Equal(0x34800000u, Run(v, [U], [4], 0));                                           // A1 subnormal input
        Assert.Equal(0x3F7FC004u, Run(v, [near1], [near1], 0));                                   // A2 exact product
        Assert.Equal(0x407FC004u, Run(v, Four(near1), Four(near1), 0));                           // A3
        Assert.Equal(0x3F800000u, Run(v, Four(1), Four(U), 1));                                   // A5 products below the grid
        for (int j = 0; j < 4; j++)                                                               // A6 aligned to the largest
        {
            double[] b = Four(U);
            b[j] = 1;
            Assert.Equal(0x3F800000u, Run(v, Four(1), b, U));
        }
        Assert.Equal(0x40000000u, Run(v, Four(1), [2, 3 * U, 0, 0], 0));                        // A7 RZ
        Assert.Equal(0xC0000000u, Run(v, Four(1), [-2, -3 * U, 0, 0], 0));
        Assert.Equal(0x34000000u, Run(v, [1], [1], -(1 - U)));                                    // A9 no guard bit
        Assert.Equal(0x3F800001u, Run(v, Four(1), Four(U), 1 - U));                               // A10 no normalisation
        Assert.Equal(0x34000000u, Run(v, [1, 1], [1, -U], -1 + U));                               // A11
        for (int j = 0; j < 4; j++)                                                               // A12 carry bits
        {
            double[] b = Four(1);
            b[j] = Math.ScaleB(1, -23);
            Assert.Equal(0x40800001u, Run(v, Four(1), b, 1 + Math.ScaleB(1, -22) + Math.ScaleB(1, -23)));
        }
        Assert.Equal(0x41000000u, Run(v, Four(1), [1, 1.5, 1.75, 1.875], 1.875));               // A13 third carry bit
        double c14 = 1 + Math.ScaleB(1, -22) + Math.ScaleB(1, -23);
        Assert.Equal(0x40A00000u, Run(v, Four(1), Four(1), c14));                                 // A14 RZ after carry-out
        Assert.Equal(0xC0A00000u, Run(v, Four(1), Four(-1), -c14));
        // A15 non-monotonic: a larger C gives a smaller D.
        uint smallerC = Run(v, Four(1), Four(U), 1 - U), largerC = Run(v, Four(1), Four(U), 1);
        Assert.Equal(0x3F800001u, smallerC);
        Assert.Equal(0x3F800000u, largerC);
    }

    [Fact]
    public void V100_Fp16Output_RoundsToNearest()
    {
        TensorCoreModel h = TensorCoreModel.V100Half;
        double near1 = 1 - Math.ScaleB(1, -11);
        Assert.Equal(0x3BFFu, Run(h, [near1, near1], [near1, Math.ScaleB(1, -11)], 0));          // A4
        Assert.Equal(0x0001u, Run(h, [U, U], [0.5, 0.25], 0));                                    // A8: 3·2^-26 → 2^-24
        Assert.Equal(0x4401u, Run(h, [1, 1, 1], [1, 1, 1], 1 + Math.ScaleB(1, -10) + Math.ScaleB(1, -9))); // C6
    }

    [Fact]
    public void A100_OneExtraAlignmentBit()
    {
        TensorCoreModel a = TensorCoreModel.A100;
        Assert.Equal(0x3F800000u, Run(a, Four(0.5), Four(U), 1));                                 // B1
        Assert.Equal(0x3F800002u, Run(a, Four(1), Four(U), 1));                                   // A5's vector under F = 24
        Assert.Equal(0x33800000u, Run(a, [1], [1], -(1 - U)));                                    // B2
        Assert.Equal(0x00000000u, Run(a, [1, 1], [1, -U], -1 + U));                               // B3
        double[] b4 = [U, U, U, 3 * U];                                                           // B4 non-monotonic
        Assert.Equal(0x3F800001u, Run(a, Four(0.5), b4, 1 - U));
        Assert.Equal(0x3F800000u, Run(a, Four(0.5), b4, 1));
        Assert.Equal(0x3F800001u, Run(TensorCoreModel.H100, Four(0.5), b4, 1));                   // H100: no inversion
        FormatInfo bf16 = KnownFormats.Bf16;                                                      // B5, B6 bfloat16
        Assert.Equal(0x00400000u, Run(a, [Math.ScaleB(1, -126)], [0.5], 0, bf16));
        double n8 = 1 - Math.ScaleB(1, -8);
        Assert.Equal(1 - Math.ScaleB(1, -7) + Math.ScaleB(1, -16), (double)BitConverter.UInt32BitsToSingle(Run(a, [n8], [n8], 0, bf16)));
    }

    [Fact]
    public void Hpec25_VectorsSeparateFractionBitsAndGroupSize()
    {
        TensorCoreModel[] models = [TensorCoreModel.V100, TensorCoreModel.A100, TensorCoreModel.H100];
        uint[] c1 = [0x3F800000, 0x3F800001, 0x3F800001], c2 = [0x3F800000, 0x3F800000, 0x3F800001];
        for (int m = 0; m < 3; m++)
        {
            Assert.Equal(c1[m], Run(models[m], [U, U], [1, 1], 1));                               // C1
            Assert.Equal(c2[m], Run(models[m], [U, U, U], [1, 0.5, 0.5], 1));                     // C2
            Assert.Equal(0x40800000u, Run(models[m], [1, 1, 1], [1, 1, 1], 1 + Math.ScaleB(1, -23) + Math.ScaleB(1, -22))); // C5
            double twoU = Math.ScaleB(1, -21) + U;
            Assert.Equal(0x3F800005u, Run(models[m], [twoU, twoU], [1, 1], 1 - Math.ScaleB(1, -21))); // C4
        }
        // C3: the FMA size g. A second product 2^-23 lands in C's group only if its index is < g.
        foreach (TensorCoreModel model in models)
            for (int k = 2; k <= 16; k++)
            {
                double[] a = new double[16], b = new double[16];
                a[0] = b[0] = 1;
                a[k - 1] = Math.ScaleB(1, -23);
                b[k - 1] = 1;
                var acc = new TensorCoreAccumulator(model);
                var terms = a.Select((x, i) =>
                    MacTerm.Product(KnownFormats.Fp16, Code(KnownFormats.Fp16, x), KnownFormats.Fp16, Code(KnownFormats.Fp16, b[i]))).ToArray();
                uint c = Code(KnownFormats.Fp32, 1 + Math.ScaleB(1, -23));
                uint d = c;
                for (int s = 0; s < terms.Length; s += model.GroupSize) d = acc.Fuse(d, terms.AsSpan(s, model.GroupSize));
                Assert.Equal(k - 1 < model.GroupSize ? 0x40000001u : 0x40000000u, d);
            }
    }

    [Theory]
    // RTX 4090 (Ada: F = 24, g = 8 = the A100 set) and RTX 5090 (F = 25, g = 16 = the H100 set), printed results.
    [InlineData(new ushort[] { 0x0002, 0, 0, 0x3c00 }, new ushort[] { 0x3c00, 0, 0, 0x3c00 }, 0u, 0x3f800001u, 0x3f800001u)]
    [InlineData(new ushort[] { 0x0001, 0, 0, 0x3c00 }, new ushort[] { 0x3c00, 0, 0, 0x3c00 }, 0u, 0x3f800000u, 0x3f800000u)]
    [InlineData(new ushort[] { 0x0c00, 0, 0, 0x3c00 }, new ushort[] { 0x0c00, 0, 0, 0x3c00 }, 0u, 0x3f800000u, 0x3f800000u)]
    [InlineData(new ushort[] { 0x0001, 0xbc00, 0, 0x3c00 }, new ushort[] { 0x3c00, 0x3c00, 0, 0x3c00 }, 0u, 0x33800000u, 0x33800000u)]
    [InlineData(new ushort[] { 0x3c00, 0, 0xbc00, 0x0001 }, new ushort[] { 0x4000, 0, 0x4000, 0x3c00 }, 0u, 0u, 0x33800000u)]
    [InlineData(new ushort[] { 0x3c00, 0, 0xbc00, 0x0008 }, new ushort[] { 0x4c00, 0, 0x4c00, 0x3c00 }, 0u, 0u, 0x35000000u)]
    [InlineData(new ushort[] { 0x3c00, 0, 0xbc00, 0x0010 }, new ushort[] { 0x4c00, 0, 0x4c00, 0x3c00 }, 0u, 0x35800000u, 0x35800000u)]
    [InlineData(new ushort[] { 0x3c00, 0, 0xbc00, 0x0004 }, new ushort[] { 0x4c00, 0, 0x4c00, 0x3c00 }, 0u, 0u, 0u)]
    [InlineData(new ushort[] { 0x5c00, 0, 0xdc00, 0x0001 }, new ushort[] { 0x5c00, 0, 0x5c00, 0x3c00 }, 0u, 0u, 0u)]
    [InlineData(new ushort[] { 0x3c00, 0xbc00, 0, 0 }, new ushort[] { 0x3c00, 0x3c00, 0, 0 }, 0x33800000u, 0x33800000u, 0x33800000u)]
    [InlineData(new ushort[] { 0x3c00, 0xbc00, 0, 0 }, new ushort[] { 0x3c00, 0x3c00, 0, 0 }, 0x33000000u, 0u, 0x33000000u)]
    [InlineData(new ushort[] { 0x3c00, 0xbc00, 0, 0 }, new ushort[] { 0x3c00, 0x3c00, 0, 0 }, 0x32800000u, 0u, 0u)]
    public void Hardware_Rtx4090And5090Results(ushort[] a, ushort[] b, uint c, uint ada, uint blackwell)
    {
        FormatInfo f = KnownFormats.Fp16;
        MacTerm[] terms = a.Select((x, i) => MacTerm.Product(f, x, f, b[i])).ToArray();
        Assert.Equal(ada, new TensorCoreAccumulator(TensorCoreModel.A100).Fuse(c, terms));
        Assert.Equal(blackwell, new TensorCoreAccumulator(TensorCoreModel.H100).Fuse(c, terms));
    }

    [Fact]
    public void MmaSimProbes_ProductsAlignOnTheSumOfOperandExponents()
    {
        (TensorCoreModel Model, uint Expected)[] cases =
        [
            (TensorCoreModel.V100, 0x3A800000u),
            (TensorCoreModel.A100, 0x3A000000u),
            (TensorCoreModel.H100, 0x39800000u),
            (TensorCoreModel.B200, 0x39800000u)
        ];
        foreach ((TensorCoreModel model, uint expected) in cases)
        {
            double ulp = Math.ScaleB(1, 13 - model.FractionBits);
            Assert.Equal(expected, Run(model, [96, -96], [192, 192], ulp));   // significand 2.25 at ea+eb = 13 keeps C
            Assert.Equal(expected, Run(model, [64, -64], [128, 128], ulp));
            Assert.Equal(0u, Run(model, [144, -144], [128, 128], ulp));       // ea+eb = 14: C falls below the grid
            Assert.Equal(0u, Run(model, [128, -128], [128, 128], 0.75 * Math.ScaleB(1, 14 - model.FractionBits))); // RZ on C
        }
    }

    [Fact]
    public void Fp8_HopperKeeps13BitsAndB200Keeps25()
    {
        FormatInfo e4m3 = KnownFormats.E4M3;
        TensorCoreModel h = TensorCoreModel.H100Fp8, b = TensorCoreModel.B200Fp8;
        double p6 = Math.ScaleB(1, -6), p7 = Math.ScaleB(1, -7);
        Assert.Equal(0x3F800400u, Run(h, [1, p6], [1, p7], 0, e4m3));   // G1
        Assert.Equal(0x3F800400u, Run(b, [1, p6], [1, p7], 0, e4m3));
        Assert.Equal(0x3F800000u, Run(h, [1, p7], [1, p7], 0, e4m3));   // G2
        Assert.Equal(0x3F800200u, Run(b, [1, p7], [1, p7], 0, e4m3));
        double c3 = 1 + Math.ScaleB(1, -20);
        Assert.Equal(0x3F800000u, Run(h, [0], [0], c3, e4m3));          // G3: C itself truncated by the MMA
        Assert.Equal(0x3F800008u, Run(b, [0], [0], c3, e4m3));
        Assert.Equal(0x48440000u, Run(h, [448], [448], 1, e4m3));       // G4
        Assert.Equal(0x48440040u, Run(b, [448], [448], 1, e4m3));
        Assert.Equal(0x39000000u, Run(h, [1.5, -1.5], [1.5, 1.5], Math.ScaleB(1, -13), e4m3)); // G5
        Assert.Equal(0u, Run(h, [1.5, -1.5], [1.5, 1.5], Math.ScaleB(1, -14), e4m3));
        // G6: two chained k = 32 MMAs; the second's two 2^-14 products fall below 1's 13-bit grid.
        var terms = new MacTerm[64];
        for (int i = 0; i < 64; i++) terms[i] = MacTerm.Product(e4m3, 0, e4m3, 0);
        terms[0] = MacTerm.Product(e4m3, 0x38, e4m3, 0x38);
        terms[1] = MacTerm.Product(e4m3, 0x08, e4m3, 0x04);
        terms[32] = terms[33] = MacTerm.Product(e4m3, 0x04, e4m3, 0x04);
        Assert.Equal(0x3F800400u, (uint)new TensorCoreAccumulator(h).Accumulate(terms).Bits);
    }

    [Fact]
    public void Exceptions_InfinityNaNAndOverflowUnderRz()
    {
        TensorCoreModel h = TensorCoreModel.H100;
        FormatInfo bf16 = KnownFormats.Bf16;
        Assert.Equal(0x7F800000u, Run(h, [Math.ScaleB(1, 127)], [1], Math.ScaleB(1, 127), bf16)); // RZ overflow → +Inf
        Assert.Equal(0xFF800000u, Run(h, [double.PositiveInfinity], [double.NegativeInfinity], 0, bf16));
        Assert.Equal(TensorCoreAccumulator.Fp32NaN, Run(h, [double.NegativeInfinity, double.PositiveInfinity], [1, 1], 0, bf16));
        Assert.Equal(0x7C00u, Run(TensorCoreModel.V100Half, [65504, 65504], [1, 1], 0));          // fp16 output overflow
    }

    [Property(MaxTest = 200, Arbitrary = new[] { typeof(Arbitraries.PositiveTimesE4M3) })]
    public void ManyFractionBits_AndOneGroup_EqualTheExactAccumulatorWithTruncation(CodeVector v)
    {
        // With F far beyond any span, nothing is truncated: the model is the exact sum rounded once (RZ).
        var wide = new TensorCoreModel("wide", "test", 1 << 20, 400, -1024, Rounding.RoundingMode.Rtz, KnownFormats.Fp32);
        MacTerm[] terms = v.Terms();
        uint expected = Encoder.EncodeExact(KnownFormats.Fp32, ExactAccumulator.Sum(terms),
            new Rounding.RoundingContext(Rounding.RoundingMode.Rtz));
        Assert.Equal(expected, (uint)new TensorCoreAccumulator(wide).Accumulate(terms).Bits);
    }
}
