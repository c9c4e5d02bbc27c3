using Fp4Sim.Numerics.IO;
using System.Numerics;
using Fp4Sim.Hardware;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Tests.Hardware;

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
        var unit = new FpMulUnit(fa, fb);
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
        Assert.Equal((new BigInteger(expected), invalid), new FpMulUnit(f, f).Emulate(a, b));
    }

    [Fact]
    public void Mac_steps_equal_the_accumulator_over_the_whole_sequence()
    {
        var rng = new SplitMix64(7);
        foreach (string acc in new[] { "fixed:12.2", "fixed:10.1:round:wrap", "fixed:9.0:round", "fixed:14.4:wrap" })
        {
            var unit = (FpMacUnit)UnitFactory.Create("fp_mac", "e2m1", acc);
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
    [InlineData("fp_mac", "e2m1", "fixed:8.2", "accumulator fixed:8.2 is too narrow for e2m1 x e2m1 products")]
    [InlineData("fp_mac", "e4m3", "fixed:16.4", "accumulator fixed:16.4 is too narrow")]
    [InlineData("fp_mac", "e2m1", null, "unit fp_mac needs an accumulator")]
    [InlineData("fp_mac", "e2m1", "fp32", "unit fp_mac implements fixed-point accumulators only")]
    [InlineData("fp_mul", "e2m1", "fixed:16.2", "unit fp_mul takes no accumulator")]
    [InlineData("fp_add", "e2m1", null, "unknown unit 'fp_add'")]
    [InlineData("fp_mul", "e8m0", null, "format e8m0: the RTL multiplier takes signed formats")]
    [InlineData("fp_mul", "fp32", null, "format fp32: the RTL multiplier takes operands of at most 16 bits")]
    [InlineData("fp_mul", "bf16", null, "bf16 x bf16: the exact product needs")]
    [InlineData("fp_mul", "e2m1,e2m1,e2m1", null, "malformed formats")]
    public void Unsupported_combinations_are_refused_with_a_reason(string kind, string formats, string? acc, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => UnitFactory.Create(kind, formats, acc));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Templates_are_embedded() => Assert.Contains("module {{module}}", RtlTemplates.Source("fp_mul.v.hbs"));

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
