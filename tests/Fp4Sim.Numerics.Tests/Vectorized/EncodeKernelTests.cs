using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// <see cref="EncodeKernel.RunScaled"/>'s argument checks (its codes are proven through <see cref="FastBlockQuantizer"/>'s
/// parity tests): every offset within ±<see cref="EncodeKernel.MaxExponentOffset"/> is taken, and one beyond it is named,
/// wherever it sits among the blocks (the offsets are checked eight at a time, then one by one).
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
        byte[] codes = Run(Offsets());
        Assert.Equal(Blocks * BlockSize, codes.Length);
    }

    private static int[] Offsets() =>
        Enumerable.Range(0, Blocks).Select(b => (b % 3 - 1) * EncodeKernel.MaxExponentOffset).ToArray();

    private static byte[] Run(int[] offsets)
    {
        FormatInfo format = KnownFormats.E2M1;
        CastPlan plan = CastPlan.Create(format, new RoundingContext(RoundingMode.Rne, OverflowMode.Saturate));
        float[] values = Enumerable.Range(0, Blocks * BlockSize).Select(i => (float)(i % 7 - 3)).ToArray();
        byte[] codes = new byte[values.Length];
        fixed (float* v = values)
        fixed (byte* c = codes)
        fixed (int* o = offsets)
            EncodeKernel.RunScaled(plan, RoundingMode.Rne, v, c, Blocks, BlockSize, o);
        return codes;
    }
}
