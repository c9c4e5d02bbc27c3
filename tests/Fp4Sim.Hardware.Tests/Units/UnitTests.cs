using System.Numerics;
using Fp4Sim.Hardware;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Hardware.Tests;

/// <summary>The unit records: widths agree with the MAC engine, emulation is the engine, unsupported combinations are refused.</summary>
public class UnitTests
{
    [Theory]
    [InlineData("e2m1", "e2m1")]
    [InlineData("e2m1", "e1m2")]
    [InlineData("e3m0", "e2m1")]
    [InlineData("e4m3", "e4m3")]
    [InlineData("e5m2", "e4m3")]
    [InlineData("e4m3fnuz", "e2m3")]
    [InlineData("int4", "int4")]
    [InlineData("int8", "e2m1")]
    [InlineData("fp16", "fp16")]
    public void Product_word_is_the_exact_register_for_one_term(string a, string b)
    {
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var unit = new FpMulUnit(new MultiplierSpec(fa, fb));
        Assert.Equal(ExactAccumulator.RegisterFor(fa, fb, 1), (unit.ProductWidth, unit.ProductFractionBits));
    }

    [Theory]
    [InlineData("e2m1", 0x7u, 0x7u, 144, false)]      // 6 * 6 = 36 = 144 quarters
    [InlineData("e2m1", 0xFu, 0x7u, -144, false)]     // -6 * 6
    [InlineData("e2m1", 0x1u, 0x9u, -1, false)]       // 0.5 * -0.5 = -1/4
    [InlineData("e4m3", 0x7Fu, 0x38u, 0, true)]       // NaN * 1
    [InlineData("int8", 0x80u, 0x80u, 16384, false)]  // -128 * -128
    public void Multiplier_emulation_gives_the_exact_product_word(string format, uint a, uint b, int expected, bool invalid)
    {
        FormatInfo f = FormatSpec.Parse(format);
        Assert.Equal((new BigInteger(expected), invalid), new FpMulUnit(new MultiplierSpec(f, f)).Emulate(a, b));
    }

    [Fact]
    public void Mac_steps_equal_the_accumulator_over_the_whole_sequence()
    {
        var rng = new SplitMix64(7);
        foreach (string acc in new[] { "fixed:12.2", "fixed:10.1:round:wrap", "fixed:9.0:round", "fixed:14.4:wrap" })
        {
            var unit = (FpMacUnit)UnitSpecParser.Parse("fp_mac", "e2m1", acc).Create();
            var terms = new List<MacTerm>();
            var state = new MacState(0, false);
            for (int i = 0; i < 300; i++)
            {
                uint a = (uint)rng.Below(16), b = (uint)rng.Below(16);
                state = unit.Step(state, clear: i == 0, init: 0, a, b);
                terms.Add(MacTerm.Product(KnownFormats.E2M1, a, KnownFormats.E2M1, b));
                MacResult whole = unit.Accumulator.Accumulate(terms.ToArray());
                Assert.Equal(FpMulUnit.Signed(whole.Bits, unit.Width), state.Acc);
            }
        }
    }

    [Theory]
    [InlineData("e2m1", "e2m1", "fixed:20.5", 2)]
    [InlineData("e2m1", "e1m2", "fixed:10.2:round", 3)]
    [InlineData("e4m3", "e2m1", "fixed:28.6:wrap", 4)]
    public void Psb_mac_steps_equal_ShiftInMac_over_the_whole_sequence(string a, string w, string acc, int shiftBits)
    {
        var unit = (FpMacUnit)UnitSpecParser.Parse("psb_mac", $"{a},{w}", acc, shiftBits).Create();
        FormatInfo fa = FormatSpec.Parse(a), fw = FormatSpec.Parse(w);
        var rng = new SplitMix64(11);
        var codes = new List<uint>();
        var weights = new List<uint>();
        var offsets = new List<int>();
        var state = new MacState(0, false);
        for (int i = 0; i < 400; i++)
        {
            codes.Add((uint)rng.Below(1UL << fa.TotalBits));
            weights.Add((uint)rng.Below(1UL << fw.TotalBits));
            offsets.Add((int)rng.Below((ulong)unit.MaxShift + 1));
            state = unit.Step(state, clear: i == 0, init: 0, codes[^1], weights[^1], offsets[^1]);
            MacResult whole = PreShiftedBias.ShiftInMac(fa, codes.ToArray(), offsets.ToArray(), fw, weights.ToArray(), unit.Accumulator);
            Assert.Equal(FpMulUnit.Signed(whole.Bits, unit.Width), state.Acc);
            Assert.Equal(whole.Invalid, state.Invalid);
        }
    }

    [Theory]
    [InlineData("int8", "fixed:20.0", false)]
    [InlineData("int4", "fixed:9.0:wrap", true)]
    [InlineData("int6", "fixed:13.0", false)]
    public void Int_mac_steps_equal_a_long_integer_register(string format, string acc, bool wrap)
    {
        var unit = (FpMacUnit)UnitSpecParser.Parse("int_mac", format, acc).Create();
        FormatInfo f = FormatSpec.Parse(format);
        long max = (1L << (unit.Width - 1)) - 1, min = -max - 1, register = 0;
        var rng = new SplitMix64(5);
        var state = new MacState(0, false);
        bool limited = false;
        for (int i = 0; i < 5000; i++)
        {
            uint a = (uint)rng.Below(1UL << f.TotalBits), b = (uint)rng.Below(1UL << f.TotalBits);
            if (i % 500 == 250) (a, b) = (f.SignMask, f.SignMask); // (−2^(n−1))² runs push toward the top
            long sum = register + (long)Fp4Sim.Numerics.Codec.Decoder.Decode(f, a) * (long)Fp4Sim.Numerics.Codec.Decoder.Decode(f, b);
            register = wrap ? ((sum - min) & ((1L << unit.Width) - 1)) + min : Math.Clamp(sum, min, max);
            limited |= register != sum;
            state = unit.Step(state, clear: false, init: 0, a, b);
            Assert.Equal(register, (long)state.Acc);
            Assert.False(state.Invalid);
        }
        Assert.True(limited || !wrap, "the wrap configuration must actually wrap");
    }

    [Fact]
    public void Int_mac_has_no_float_multiplier_and_no_invalid_port()
    {
        var unit = (FpMacUnit)UnitSpecParser.Parse("int_mac", "int8", "fixed:32.0").Create();
        var files = unit.Generate();
        string v = Assert.Single(files).Text;
        Assert.Contains("a_ext * b_ext", v);
        Assert.DoesNotContain("invalid", v);
        Assert.DoesNotContain(unit.GenerateVectors(10, 1).Fields, field => field.Name == "invalid");
    }

    [Theory]
    [InlineData("fp_mac", "e2m1", "fixed:8.2", "accumulator fixed:8.2 is too narrow for e2m1 x e2m1 products")]
    [InlineData("int_mac", "e2m1", "fixed:16.2", "unit int_mac takes integer formats")]
    [InlineData("int_mac", "int4", null, "unit int_mac needs an accumulator")]
    [InlineData("fp_mac", "e4m3", "fixed:16.4", "accumulator fixed:16.4 is too narrow")]
    [InlineData("fp_mac", "e2m1", null, "unit fp_mac needs an accumulator")]
    [InlineData("fp_mac", "e2m1", "fp32", "unit fp_mac implements fixed-point accumulators only")]
    [InlineData("fp_mul", "e2m1", "fixed:16.2", "unit fp_mul takes no accumulator")]
    [InlineData("fp_add", "e2m1", null, "unknown unit 'fp_add'")]
    [InlineData("fp_mul", "e8m0", null, "format e8m0: the RTL multiplier takes signed formats")]
    [InlineData("fp_mul", "float8_e5m3fnu", null, "format e5m3fnu: the RTL multiplier takes signed formats")]
    [InlineData("int_mac", "uint4", "fixed:16.0", "format uint4: the RTL multiplier takes two's complement integers")]
    [InlineData("fp_mul", "fp32", null, "format fp32: the RTL multiplier takes operands of at most 16 bits")]
    [InlineData("fp_mul", "bf16", null, "bf16 x bf16: the exact product needs")]
    [InlineData("fp_mul", "e2m1,e2m1,e2m1", null, "malformed formats")]
    public void Unsupported_combinations_are_refused_with_a_reason(string kind, string formats, string? acc, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => UnitSpecParser.Parse(kind, formats, acc).Create());
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("psb_mac", 6, "shift bits must be 1..5")]
    [InlineData("psb_mac", 0, "unit psb_mac needs a shift input of 1..5 bits")]
    [InlineData("fp_mac", 2, "unit fp_mac takes no shift input (that is psb_mac)")]
    public void Shift_inputs_belong_to_psb_mac_only(string kind, int shiftBits, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => UnitSpecParser.Parse(kind, "e2m1", "fixed:24.8", shiftBits).Create());
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Templates_are_embedded() => Assert.Contains("module {{ module }}", RtlTemplates.Source("fp_mul.v.sbn"));

    [Fact]
    public void Atomic_write_replaces_the_file_and_leaves_no_temporary()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-atomic-").FullName;
        try
        {
            string path = Path.Combine(dir, "sub", "x.v");
            AtomicFile.WriteAllText(path, "old");
            AtomicFile.WriteAllText(path, "new");
            Assert.Equal("new", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
