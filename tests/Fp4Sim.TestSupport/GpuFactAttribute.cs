using Fp4Sim.Gpu;
using Xunit;

namespace Fp4Sim.TestSupport;

/// <summary>
/// A fact that needs a CUDA driver and device: xunit v2 has no run-time skip, so the constructor sets
/// <see cref="FactAttribute.Skip"/> to the reason the GPU path is unavailable ("no CUDA driver found (…)").
/// On a machine with a GPU the test runs the real kernels.
/// </summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (GpuSession.UnavailableReason() is { } reason) Skip = reason;
    }
}

/// <summary>The theory counterpart of <see cref="GpuFactAttribute"/>.</summary>
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    public GpuTheoryAttribute()
    {
        if (GpuSession.UnavailableReason() is { } reason) Skip = reason;
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
        if (GpuSession.UnavailableReason() is null) Skip = "a CUDA driver and device are present";
    }
}
