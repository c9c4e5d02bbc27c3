using Fp4Sim.Gpu;
using Fp4Sim.TestSupport;
using Fp4Sim.Training.Quartet;
using Fp4Sim.Training.Quartet.Gpu;
using Xunit.Abstractions;

namespace Fp4Sim.Training.Tests.Quartet.Gpu;

/// <summary>
/// Quartet's quantizer kernels on ILGPU's CPU accelerator against <see cref="QuartetQuantizer.QuantizeGroup"/>, group for
/// group (scale, 32 codes, mask), for each method: Gaussian groups at binades across and beyond E8M0's range (both
/// clamps), all-zero and constant groups, float32 subnormals, heavy outliers (QuEST's mask), values on E2M1 ties.
/// </summary>
public sealed class IlgpuQuartetTests(ITestOutputHelper output) : IDisposable
{
    private const int Groups = 4096;
    private readonly IlgpuSession _session = IlgpuSession.Open(AcceleratorKind.Cpu);

    public void Dispose() => _session.Dispose();

    [Theory]
    [InlineData(QuartetMethod.Quest)]
    [InlineData(QuartetMethod.AbsMax)]
    [InlineData(QuartetMethod.AbsMaxSr)]
    public void Groups_match_the_reference_code_for_code(QuartetMethod method)
    {
        float[] r = QuartetGpuCheck.Groups(Groups, seed: 3);
        const ulong seed = 19, first = 320;
        QuartetGroups gpu = new IlgpuQuartet(_session).Quantize(method, r, seed, first);
        int size = QuartetQuantizer.GroupSize;
        long differing = 0, masked = 0;
        string first5 = "";
        for (int g = 0; g < Groups; g++)
        {
            QuartetGroup expected = QuartetQuantizer.QuantizeGroup(method, r.AsSpan(g * size, size), seed, first + (ulong)(g * size));
            bool same = expected.Scale == gpu.Scales[g] && expected.Mask == gpu.Masks[g]
                && expected.Elements.AsSpan().SequenceEqual(gpu.Elements.AsSpan(g * size, size));
            if (expected.Mask != uint.MaxValue) masked++;
            if (same) continue;
            if (++differing <= 5)
                first5 += $" group {g}: scale {expected.Scale:X}/{gpu.Scales[g]:X} mask {expected.Mask:X8}/{gpu.Masks[g]:X8};";
        }
        Assert.True(differing == 0, $"{method}: {differing} of {Groups} groups differ (reference/ilgpu):{first5}");
        if (method == QuartetMethod.Quest) Assert.True(masked > 0, "no QuEST group clipped anything");
        output.WriteLine($"{method}: {Groups} groups equal ({masked} with clipped elements), kernel {gpu.Seconds * 1e3:F1} ms");
    }

    [GpuFact]
    public void Quartet_kernels_match_the_reference_on_cuda()
    {
        using IlgpuSession cuda = IlgpuSession.Open(AcceleratorKind.Cuda);
        var results = QuartetGpuCheck.Run(cuda, groups: 1 << 15, seed: 9, _ => { });
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Elements > 0 && r.Mismatches == 0, $"{r.Kernel}: {string.Join("; ", r.FirstCounterexamples)}"));
    }

    [Fact]
    public void Refuses_non_finite_values_and_partial_groups()
    {
        var quartet = new IlgpuQuartet(_session);
        float[] r = new float[64];
        r[40] = float.NaN;
        Assert.Contains("element 8 of group 1", Assert.Throws<ArgumentException>(() => quartet.Quantize(QuartetMethod.Quest, r)).Message);
        Assert.Contains("whole number", Assert.Throws<ArgumentException>(() => quartet.Quantize(QuartetMethod.AbsMax, new float[40])).Message);
    }
}
