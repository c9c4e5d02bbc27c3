using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// <see cref="EncodeKernel.RunScaled"/>'s argument checks (its codes are proven through <see cref="FastBlockQuantizer"/>'s
/// parity tests): every offset within ±<see cref="EncodeKernel.MaxExponentOffset"/> is taken, and one beyond it is named,
/// wherever it sits among the blocks (the offsets are checked eight at a time, then one by one); and
/// <see cref="EncodeKernel.RunStaged"/> gives the codes of the values its source stages.
/// </summary>
public sealed unsafe class EncodeKernelTests
{
    private const int Blocks = 19, BlockSize = 32;

    [Theory]
    [InlineData(0, 513)]
    [InlineData(9, -513)]
    [InlineData(15, int.MinValue)]
    [InlineData(17, int.MaxValue)]
    [InlineData(18, 1 << 20)]
    public void An_offset_beyond_the_limit_is_named(int block, int offset)
    {
        if (!EncodeKernel.IsSupported) return; // the scalar cap: nothing to run (FP4SIM_ISA=scalar reruns)
        int[] offsets = Offsets();
        offsets[block] = offset;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Run(offsets));
        Assert.Contains($"block {block}: offset {offset} is beyond ±512", error.Message);
    }

    [Fact]
    public void Offsets_at_the_limit_are_taken()
    {
        if (!EncodeKernel.IsSupported) return;
        int[] offsets = Offsets();
        byte[] codes = Run(offsets);
        // Block b's values times 2^offset[b], rounded once: the reference's quotient x / 2^−offset.
        var ctx = new RoundingContext(RoundingMode.Rne, OverflowMode.Saturate);
        for (int i = 0; i < codes.Length; i++)
        {
            uint expected = Fp4Sim.Numerics.Codec.Encoder.EncodeQuotient(KnownFormats.E2M1, Value(i), Math.ScaleB(1.0, -offsets[i / BlockSize]), ctx);
            Assert.True(expected == codes[i], $"element {i}: code 0x{codes[i]:X}, expected 0x{expected:X}");
        }
    }

    [Fact]
    public void Staged_values_encode_as_the_same_values_read_from_memory()
    {
        if (!EncodeKernel.IsSupported) return;
        CastPlan plan = CastPlan.Create(KnownFormats.E2M1, new RoundingContext(RoundingMode.Rne, OverflowMode.Saturate));
        float[] values = Enumerable.Range(0, 96).Select(i => (i - 48) / 7f).ToArray();
        byte[] read = new byte[96], staged = new byte[96];
        fixed (float* v = values)
        fixed (byte* r = read)
        fixed (byte* s = staged)
        {
            EncodeKernel.Run(plan, RoundingMode.Rne, v, r, 96);
            var source = new Copy(v);
            EncodeKernel.RunStaged(plan, RoundingMode.Rne, ref source, s, 96);
        }
        Assert.Equal(read, staged);
        Assert.Throws<ArgumentException>(() => StageTooFew(plan, values));
    }

    private static void StageTooFew(CastPlan plan, float[] values)
    {
        byte[] codes = new byte[48];
        fixed (float* v = values)
        fixed (byte* c = codes)
        {
            var source = new Copy(v);
            EncodeKernel.RunStaged(plan, RoundingMode.Rne, ref source, c, 48); // not a multiple of 32
        }
    }

    private readonly struct Copy(float* values) : IStagedSource
    {
        public void Stage32(nint index, float* buffer)
        {
            for (int i = 0; i < 32; i++) buffer[i] = values[index + i];
        }
    }

    /// <summary>Element i's value: −3 … 3 in steps of 1/2, with a zero.</summary>
    private static float Value(int i) => (i % 13 - 6) / 2f;

    private static int[] Offsets() =>
        Enumerable.Range(0, Blocks).Select(b => b % 4 == 3 ? 0 : (b % 3 - 1) * EncodeKernel.MaxExponentOffset).ToArray();

    private static byte[] Run(int[] offsets)
    {
        FormatInfo format = KnownFormats.E2M1;
        CastPlan plan = CastPlan.Create(format, new RoundingContext(RoundingMode.Rne, OverflowMode.Saturate));
        float[] values = Enumerable.Range(0, Blocks * BlockSize).Select(Value).ToArray();
        byte[] codes = new byte[values.Length];
        fixed (float* v = values)
        fixed (byte* c = codes)
        fixed (int* o = offsets)
            EncodeKernel.RunScaled(plan, RoundingMode.Rne, v, c, Blocks, BlockSize, o);
        return codes;
    }
}
