using System.Diagnostics;
using System.Numerics;
using Fp4Sim.Hardware;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;
using Xunit.Abstractions;

namespace Fp4Sim.Hardware.Tests;

/// <summary>The <c>mx_dot</c> unit: widths from the MAC engine, emulation against an independent binary64 oracle, refusals.</summary>
public class MxDotUnitTests
{
    [Theory]
    [InlineData("mxfp4", "mxfp4", 14, 2)]
    [InlineData("mxfp8_e4m3", "mxfp8_e4m3", 42, 18)]
    [InlineData("mxfp6_e2m3", "mxfp4", null, null)]
    [InlineData("mxfp8_e5m2", "mxfp8_e4m3", null, null)]
    [InlineData("mxfp6_e3m2", "mxfp6_e3m2", null, null)]
    [InlineData("mxint8", "mxfp4", null, null)]
    public void Sum_word_is_the_exact_register_for_32_products(string a, string b, int? width, int? fraction)
    {
        var unit = (MxDotUnit)UnitSpecParser.Parse("mx_dot", $"{a},{b}", null).Create();
        var register = ExactAccumulator.RegisterFor(unit.FormatA.Element, unit.FormatB.Element, 32);
        Assert.Equal(register, (unit.SumWidth, unit.SumFractionBits));
        if (width is not null) Assert.Equal((width.Value, fraction!.Value), register);
    }

    /// <summary>
    /// Decoding every element to a double, multiplying and summing in binary64 is exact for these formats (at most 41
    /// significant bits), and the scales stay in 2^±64, so the oracle needs no MAC engine at all.
    /// </summary>
    [Theory]
    [InlineData("mxfp4", "mxfp4")]
    [InlineData("mxfp8_e4m3", "mxfp8_e4m3")]
    [InlineData("mxfp6_e2m3", "mxfp4")]
    [InlineData("mxfp6_e3m2", "mxfp8_e4m3")]
    [InlineData("mxint8", "mxint8")]
    public void Emulation_equals_a_binary64_oracle(string a, string b)
    {
        var unit = (MxDotUnit)UnitSpecParser.Parse("mx_dot", $"{a},{b}", null).Create();
        BlockFormat fa = unit.FormatA, fb = unit.FormatB;
        var random = new SplitMix64(11);
        int invalid = 0;
        for (int k = 0; k < 2000; k++)
        {
            byte[] x = Codes(random, fa), y = Codes(random, fb);
            uint sa = k % 50 == 0 ? MxDotUnit.NaNScale : 0x40 + (uint)random.Below(0x80), sb = 0x40 + (uint)random.Below(0x80);
            double dot = 0;
            for (int i = 0; i < 32; i++)
                dot += Math.ScaleB(Decoder.Decode(fa.Element, x[i]), fa.ElementExponentOffset)
                    * Math.ScaleB(Decoder.Decode(fb.Element, y[i]), fb.ElementExponentOffset);
            double oracle = Math.ScaleB(Math.ScaleB(dot, (int)sa - 127), (int)sb - 127);
            MxDotResult r = unit.Emulate(x, y, sa, sb);
            if (sa == MxDotUnit.NaNScale || !double.IsFinite(dot) || double.IsNaN(oracle))
            {
                Assert.Equal(new MxDotResult(0, 0, true), r);
                invalid++;
                continue;
            }
            Assert.False(r.Invalid);
            Assert.Equal((int)sa + (int)sb - 254 + fa.ElementExponentOffset + fb.ElementExponentOffset, r.Scale);
            Assert.Equal(oracle, Math.ScaleB((double)r.Sum, r.Scale - unit.SumFractionBits));
        }
        Assert.InRange(invalid, 40, 2000); // NaN scales at least; NaN/Inf elements too where the formats have them
    }

    [Theory]
    [InlineData(0xFFu, 0x7Fu)]
    [InlineData(0x7Fu, 0xFFu)]
    [InlineData(0xFFu, 0xFFu)]
    public void Nan_scale_is_invalid_with_zero_outputs(uint sa, uint sb)
    {
        var unit = (MxDotUnit)UnitSpecParser.Parse("mx_dot", "mxfp8_e4m3", null).Create();
        byte[] ones = Enumerable.Repeat((byte)0x38, 32).ToArray(); // 1.0
        Assert.Equal(new MxDotResult(0, 0, true), unit.Emulate(ones, ones, sa, sb));
        Assert.Equal(new MxDotResult(32 << 18, 0, false), unit.Emulate(ones, ones, 0x7F, 0x7F));
    }

    [Theory]
    [InlineData("mxfp4", 0x7, 4608)]                 // 32 · 6 · 6 = 1152 = 4608 quarters
    [InlineData("mxfp8_e4m3", 0x7E, 32L * 448 * 448 << 18)]
    public void Largest_magnitude_block_fills_the_sum_word_exactly(string format, int maxCode, long expected)
    {
        var unit = (MxDotUnit)UnitSpecParser.Parse("mx_dot", format, null).Create();
        var fmt = unit.FormatA.Element;
        foreach (bool negative in new[] { false, true })
        {
            byte[] a = Enumerable.Repeat((byte)(maxCode | (negative ? (int)fmt.SignMask : 0)), 32).ToArray();
            byte[] b = Enumerable.Repeat((byte)maxCode, 32).ToArray();
            MxDotResult r = unit.Emulate(a, b, 0xFE, 0x00);
            Assert.Equal(new MxDotResult(negative ? -expected : expected, 0xFE - 254, false), r);
            BigInteger top = BigInteger.One << (unit.SumWidth - 1);
            Assert.True(BigInteger.Abs(r.Sum) < top && BigInteger.Abs(r.Sum) * 2 >= top, "the largest sum needs every magnitude bit");
        }
        // alternating signs cancel exactly
        byte[] alternating = Enumerable.Range(0, 32).Select(i => (byte)(maxCode | (i % 2 == 1 ? (int)fmt.SignMask : 0))).ToArray();
        Assert.Equal(new MxDotResult(0, 0, false), unit.Emulate(alternating, Enumerable.Repeat((byte)maxCode, 32).ToArray(), 0x7F, 0x7F));
    }

    [Theory]
    [InlineData("nvfp4", null, "block format nvfp4: unit mx_dot takes MX formats (blocks of 32, E8M0 scales), not blocks of 16 with e4m3 scales")]
    [InlineData("mxfp4,nvfp4", null, "block format nvfp4: unit mx_dot takes MX formats")]
    [InlineData("e2m1", null,
        "unknown block format 'e2m1' for unit mx_dot (expected mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4, mxint8, nvfp4)")]
    [InlineData("mxfp4", "fixed:16.2", "unit mx_dot takes no accumulator")]
    public void Unsupported_inputs_are_refused_with_one_line(string formats, string? acc, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => UnitSpecParser.Parse("mx_dot", formats, acc).Create());
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Vectors_cover_the_corners_and_are_reproducible()
    {
        var unit = (MxDotUnit)UnitSpecParser.Parse("mx_dot", "mxfp8_e4m3", null).Create();
        VectorSet v = unit.GenerateVectors(2000, 5);
        Assert.Equal(2000, v.Count);
        Assert.Equal(v.ToHex(), unit.GenerateVectors(2000, 5).ToHex());
        Assert.NotEqual(v.ToHex(), unit.GenerateVectors(2000, 6).ToHex());
        Assert.Equal(["a", "b", "scale_a", "scale_b", "sum", "scale", "invalid"], v.Fields.Select(f => f.Name));
        Assert.Equal(42, v.Fields.Single(f => f.Name == "sum").Width);
        Assert.Equal(10, v.Fields.Single(f => f.Name == "scale").Width);
    }

    private static byte[] Codes(SplitMix64 random, BlockFormat f) =>
        Enumerable.Range(0, 32).Select(_ => (byte)random.Below(1UL << f.Element.TotalBits)).ToArray();
}

/// <summary>Many random MXFP8 blocks (not committed) through Icarus Verilog.</summary>
public class MxDotSimulationTests(ITestOutputHelper output)
{
    /// <summary>
    /// Random blocks per run: 10^5. Icarus spends about 0.2 ms of CPU per MXFP8 block (32 multipliers and the adder
    /// tree), generation about 5 s, so the test takes about 25 s on an idle two-core machine (more beside other tests).
    /// </summary>
    private const int Blocks = 100_000;

    [Fact]
    public void Many_random_mxfp8_blocks_pass_in_iverilog()
    {
        string iverilog = Simulators.Require("iverilog", "iverilog"), vvp = Simulators.Require("vvp", "iverilog");
        IRtlUnit unit = UnitSpecParser.Parse("mx_dot", "mxfp8_e4m3", null).Create();
        string work = Directory.CreateTempSubdirectory("fp4sim-mxdot-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            VectorSet vectors = unit.GenerateVectors(Blocks, 20260101);
            var files = RtlFiles.WriteRtl(unit, vectors, work);
            RtlFiles.WriteVectors(unit, vectors, work);
            TimeSpan generation = clock.Elapsed;
            var (code, log) = Simulators.Run(iverilog, work, TimeSpan.FromMinutes(1), ["-g2001", "-Wall", "-o", "sim", .. files]);
            Assert.True(code == 0 && log.Trim().Length == 0, $"iverilog:\n{log}");
            var (_, run) = Simulators.Run(vvp, work, TimeSpan.FromMinutes(3), ["-n", "sim"]);
            int passed = Simulators.PassedVectors(run, $"iverilog {unit.ModuleName}");
            Assert.Equal(Blocks, passed);
            output.WriteLine($"iverilog {unit.ModuleName}: PASS {passed} random vectors, 0 mismatches " +
                             $"(generation {generation.TotalSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
