using System.Reflection;
using ILGPU;

namespace Fp4Sim.Training.Quartet.Gpu;

/// <summary>The ILGPU entry point of Quartet's group quantizers: a grid-stride loop over groups of 32.</summary>
public static class QuartetKernels
{
    /// <summary>One scale code and mask per group, one E2M1 code per value (<see cref="KernelQuartetOps.QuantizeGroup"/>).</summary>
    public static void Quantize(Index1D thread, int threads, KernelQuartet quartet, ulong firstIndex, ArrayView<uint> rotated,
        ArrayView<uint> scales, ArrayView<byte> elements, ArrayView<uint> masks)
    {
        for (long g = thread.X; g < scales.Length; g += threads)
            KernelQuartetOps.QuantizeGroup(quartet, g, firstIndex, rotated, scales, elements, masks);
    }

    /// <summary>Every entry point, for ahead-of-time compilation checks (PTX without a device).</summary>
    public static IReadOnlyList<MethodInfo> EntryPoints { get; } = [typeof(QuartetKernels).GetMethod(nameof(Quantize))!];
}
