using Fp4Sim.Gpu.Tests.Ilgpu;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Gpu.Tests;

/// <summary>
/// The ILGPU cast, block and GEMM kernels on CUDA device 0 against the reference, with the checks the CPU-accelerator tests use
/// (<see cref="CastKernelChecks"/>) and larger samples. Skipped with <see cref="IlgpuSession.CudaUnavailableReason"/> where
/// ILGPU finds no CUDA device; they never pass vacuously (element counts are asserted).
/// </summary>
public sealed class GpuKernelTests
{
    private const int RandomPerMode = 1 << 20;

    [GpuTheory]
    [InlineData("e2m1")]
    [InlineData("e4m3")]
    [InlineData("e5m2")]
    [InlineData("e8m0")]
    [InlineData("int8")]
    [InlineData("e3m2:subnormals=off")]
    public void Encode_kernel_matches_the_scalar_reference(string spec)
    {
        using IlgpuCast cuda = IlgpuCast.Open(AcceleratorKind.Cuda);
        Assert.Equal(AcceleratorKind.Cuda, cuda.Kind);
        CastKernelChecks.EncodeInEveryMode(cuda, spec, RandomPerMode);
    }

    [GpuFact]
    public void Decode_kernel_matches_the_scalar_reference_for_every_code()
    {
        using IlgpuCast cuda = IlgpuCast.Open(AcceleratorKind.Cuda);
        foreach (string spec in GpuCastCheck.FormatSpecs) CastKernelChecks.DecodeEveryCode(cuda, spec);
    }

    [GpuFact]
    public void Gpu_check_runs_every_kernel_without_a_mismatch()
    {
        using IlgpuCast cuda = IlgpuCast.Open(AcceleratorKind.Cuda);
        var results = GpuCastCheck.Run(cuda, randomCount: 100_000, seed: 9, _ => { });
        Assert.Equal(GpuCastCheck.FormatSpecs.Count * (GpuCastCheck.IlgpuModes.Count * 2 + 1), results.Count);
        Assert.All(results, r => Assert.True(r.Elements > 100_000 && r.Mismatches == 0,
            $"{r.Kernel}: {r.Mismatches} mismatches; {string.Join("; ", r.FirstCounterexamples)}"));
    }

    [GpuFact]
    public void Block_and_gemm_kernels_match_the_reference_on_cuda()
    {
        using IlgpuSession session = IlgpuSession.Open(AcceleratorKind.Cuda);
        var results = GpuBlockCheck.Run(session, elements: 1 << 18, gemmSize: 512, seed: 9, _ => { });
        Assert.Equal(KnownBlockFormats.All.Count * GpuCastCheck.IlgpuModes.Count + 4, results.Count);
        Assert.All(results, r => Assert.True(r.Elements > 0 && r.Mismatches == 0,
            $"{r.Kernel}: {r.Mismatches} mismatches; {string.Join("; ", r.FirstCounterexamples)}"));
    }

    [GpuFact]
    public void Gpu_info_describes_a_real_device()
    {
        GpuInfo info = GpuInfo.Query();
        Assert.False(string.IsNullOrWhiteSpace(info.Name));
        Assert.True(info.ComputeCapabilityMajor >= 3 && info.TotalMemoryBytes > 0 && info.Multiprocessors > 0 && info.BandwidthGBps > 0,
            info.ToString());
        Assert.Equal(GpuInfo.IlgpuAssemblyVersion, info.IlgpuVersion);
        Assert.Matches(@"^\d+\.\d+$", info.DriverVersion);
    }

    [Fact]
    public void Gpu_info_without_a_cuda_device_throws_the_one_line_reason()
    {
        if (IlgpuSession.CudaUnavailableReason() is not { } reason)
        {
            Assert.False(string.IsNullOrWhiteSpace(GpuInfo.Query().Name)); // a CUDA device: described above
            return;
        }
        var e = Assert.Throws<GpuException>(() => GpuInfo.Query());
        Assert.Equal(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
