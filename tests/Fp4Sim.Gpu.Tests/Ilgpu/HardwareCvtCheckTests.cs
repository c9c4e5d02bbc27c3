using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>
/// The comparison and classification of <see cref="HardwareCvtCheck"/>, fed with made-up "hardware" codes (no device runs
/// the instructions here): the reference itself, then the documented NaN differences, then a real disagreement.
/// </summary>
public sealed class HardwareCvtCheckTests
{
    private static HardwareCvtInstruction Instruction(string format) => HardwareCvtInstruction.All.First(i => i.Format.Name == format);

    [Fact]
    public void The_reference_agrees_with_itself()
    {
        foreach (HardwareCvtInstruction i in HardwareCvtInstruction.All)
        {
            uint[] inputs = HardwareCvtCheck.Inputs(i.Format, 1000, seed: 7);
            byte[] same = HardwareCvtCheck.Reference(i, inputs).Select(c => (byte)c).ToArray();
            HardwareCvtCheckResult r = HardwareCvtCheck.Compare(i, inputs, same);
            Assert.Equal((inputs.Length, 0L, 0L), (r.Elements, r.Mismatches, r.Unexplained));
            Assert.Null(r.Skipped);
        }
    }

    [Fact]
    public void A_canonical_nan_from_the_hardware_is_explained_and_a_wrong_finite_code_is_not()
    {
        HardwareCvtInstruction e4m3 = Instruction("e4m3");
        uint[] inputs = [0x7FC00000u, 0xFFC00001u, 0x7F800001u, 0x3F800000u, 0xBF800000u, 0x7F800000u];
        byte[] hardware = HardwareCvtCheck.Reference(e4m3, inputs).Select(c => (byte)c).ToArray();
        Assert.Equal([0x7F, 0xFF, 0x7F, 0x38, 0xB8, 0x7E], hardware); // reference: sign kept on NaN, +Inf saturates to 448
        hardware[1] = 0x7F; // a canonical NaN for the negative NaN input
        hardware[3] = 0x39; // 1.0 written as 1.125: no class explains it
        HardwareCvtCheckResult r = HardwareCvtCheck.Compare(e4m3, inputs, hardware);
        Assert.Equal((2L, 1L, 1L), (r.Mismatches, r.Explained, r.Unexplained));
        Assert.Equal(1L, r.ExplainedByClass[HardwareCvtCheck.NanEncoding]);
        Assert.Equal(["input 0x3f800000: reference 0x38 hardware 0x39"], r.FirstCounterexamples);
        Assert.Equal(["nan-encoding: input 0xffc00001: reference 0xff hardware 0x7f"], r.ExplainedExamples);
    }

    [Fact]
    public void Nan_into_a_format_without_nan_is_explained_only_as_a_max_magnitude_code()
    {
        FormatInfo e2m1 = KnownFormats.E2M1;
        const uint NegativeNaN = 0xFFC00000u;
        Assert.Equal(HardwareCvtCheck.NanToMax, HardwareCvtCheck.Explain(e2m1, NegativeNaN, reference: 0x7, hardware: 0xF));
        Assert.Null(HardwareCvtCheck.Explain(e2m1, NegativeNaN, reference: 0x7, hardware: 0x0));
        Assert.Null(HardwareCvtCheck.Explain(e2m1, 0x40C00000u, reference: 0x7, hardware: 0xF)); // 6.0 is no NaN
        Assert.Null(HardwareCvtCheck.Explain(KnownFormats.E5M2, NegativeNaN, reference: 0xFE, hardware: 0x1FE)); // not a code
        Assert.Equal(HardwareCvtCheck.NanEncoding, HardwareCvtCheck.Explain(KnownFormats.E5M2, NegativeNaN, reference: 0xFE, hardware: 0x7F));
    }

    [Fact]
    public void Lines_name_the_instruction_the_reference_mode_and_the_split()
    {
        HardwareCvtInstruction e4m3 = Instruction("e4m3");
        uint[] inputs = [0xFFC00000u, 0x3F800000u];
        HardwareCvtCheckResult r = HardwareCvtCheck.Compare(e4m3, inputs, [0x7F, 0x38]);
        IReadOnlyList<string> lines = HardwareCvtCheck.Lines(r);
        Assert.Equal(
            "cvt.rn.satfinite.e4m3x2.f32      vs e4m3 rne saturate              2 elements         1 mismatches: 1 explained "
            + "(nan-encoding 1), 0 unexplained", lines[0]);
        Assert.Equal("    explained nan-encoding: input 0xffc00000: reference 0xff hardware 0x7f", lines[1]);
        var skipped = new HardwareCvtCheckResult("cvt.rn.satfinite.e2m1x2.f32", "e2m1 rne saturate", 0, 0, 0,
            new Dictionary<string, long>(), [], [], "needs compute capability 10.0, 10.1, 10.3, 12.0 or 12.1 (device 9.0)");
        Assert.Equal(["cvt.rn.satfinite.e2m1x2.f32      vs e2m1 rne saturate    skipped: "
            + "needs compute capability 10.0, 10.1, 10.3, 12.0 or 12.1 (device 9.0)"], HardwareCvtCheck.Lines(skipped));
    }
}
