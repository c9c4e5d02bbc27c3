using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Gpu.Tests;

/// <summary>
/// The cast kernels on the GPU (NVRTC + driver API) against the reference. Skipped with the reason where no CUDA
/// driver or device exists; they never pass vacuously (element counts are asserted).
/// </summary>
public sealed class GpuKernelTests
{
    private const int RandomCount = 1_000_000;

    [GpuTheory]
    [InlineData("e2m1")]
    [InlineData("e4m3")]
    [InlineData("e5m2")]
    [InlineData("e8m0")]
    [InlineData("int8")]
    [InlineData("e3m2:subnormals=off")]
    public void Encode_kernel_matches_the_scalar_reference(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        using GpuSession session = GpuSession.Open();
        uint[] inputs = [.. CastInputs.EdgeBits(format), .. CastInputs.RandomBits(format, seed: 3, RandomCount)];
        Assert.True(inputs.Length > RandomCount);
        foreach (RoundingMode mode in GpuCastCheck.Modes)
        {
            foreach (OverflowMode overflow in new[] { OverflowMode.Saturate, OverflowMode.Ieee })
            {
                var ctx = new RoundingContext(mode, overflow);
                var gpu = new byte[inputs.Length];
                session.Encode(new CastParameters(format, ctx), inputs, gpu);
                uint[] expected = inputs.Select(b => Encoder.Encode(format, BitConverter.UInt32BitsToSingle(b), ctx)).ToArray();
                var (count, message) = Mismatches.Compare($"gpu {spec} {mode} {overflow}", inputs, expected, gpu.Select(c => (uint)c).ToArray());
                Assert.True(count == 0, message);
            }
        }
    }

    [GpuFact]
    public void Decode_kernel_matches_the_scalar_reference_for_every_code()
    {
        using GpuSession session = GpuSession.Open();
        foreach (string spec in GpuCastCheck.FormatSpecs)
        {
            FormatInfo format = FormatSpec.Parse(spec);
            byte[] codes = Enumerable.Range(0, (int)format.CodeCount).Select(c => (byte)c).ToArray();
            var gpu = new uint[codes.Length];
            session.Decode(new FormatParameters(format), codes, gpu);
            uint[] expected = codes.Select(c => BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(format, c))).ToArray();
            var (count, message) = Mismatches.Compare($"gpu decode {spec}", codes.Select(c => (uint)c).ToArray(), expected, gpu);
            Assert.True(count == 0, message);
        }
    }

    [GpuFact]
    public void Gpu_check_runs_every_kernel_without_a_mismatch()
    {
        using GpuSession session = GpuSession.Open();
        var results = GpuCastCheck.Run(session, randomCount: 100_000, seed: 9, _ => { });
        Assert.Equal(GpuCastCheck.FormatSpecs.Count * (GpuCastCheck.Modes.Count * 2 + 1), results.Count);
        Assert.All(results, r => Assert.True(r.Elements > 100_000 && r.Mismatches == 0,
            $"{r.Kernel}: {r.Mismatches} mismatches; {string.Join("; ", r.FirstCounterexamples)}"));
    }

    [GpuFact]
    public void Gpu_info_describes_a_real_device()
    {
        GpuInfo info = GpuSession.QueryInfo();
        Assert.False(string.IsNullOrWhiteSpace(info.Name));
        Assert.True(info.ComputeCapabilityMajor >= 3 && info.TotalMemoryBytes > 0 && info.BandwidthGBps > 0, info.ToString());
    }
}
