using Fp4Sim.Gpu;
using Xunit;

namespace Fp4Sim.TestSupport;

/// <summary>
/// A fact that needs a CUDA device ILGPU can use: xunit v2 has no run-time skip, so the constructor sets
/// <see cref="FactAttribute.Skip"/> to <see cref="IlgpuSession.CudaUnavailableReason"/> ("ILGPU finds no CUDA device", …).
/// On a machine with a GPU the test runs the real kernels.
/// </summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (GpuAvailability.Reason is { } reason) Skip = reason;
    }
}

/// <summary>The theory counterpart of <see cref="GpuFactAttribute"/>.</summary>
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    public GpuTheoryAttribute()
    {
        if (GpuAvailability.Reason is { } reason) Skip = reason;
    }
}

/// <summary>
/// A theory about the behaviour without a GPU (error lines, exit codes): skipped on a machine where the GPU path works,
/// whose own behaviour the <see cref="GpuFactAttribute"/> tests cover.
/// </summary>
public sealed class NoGpuTheoryAttribute : TheoryAttribute
{
    public NoGpuTheoryAttribute()
    {
        if (GpuAvailability.Reason is null) Skip = "ILGPU finds a CUDA device";
    }
}

/// <summary><see cref="IlgpuSession.CudaUnavailableReason"/>, asked once per test process (it creates an ILGPU context).</summary>
internal static class GpuAvailability
{
    private static readonly Lazy<string?> Cached = new(IlgpuSession.CudaUnavailableReason);

    /// <summary>Why ILGPU cannot use CUDA here, or null when it finds a device.</summary>
    public static string? Reason => Cached.Value;
}
