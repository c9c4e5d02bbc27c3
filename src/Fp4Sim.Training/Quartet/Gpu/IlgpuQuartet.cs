using Fp4Sim.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace Fp4Sim.Training.Quartet.Gpu;

/// <summary>Quartet-quantized groups from the GPU: per group a scale code and a trust mask, per value an E2M1 code.</summary>
/// <param name="Scales">E8M0 scale codes, one per group.</param>
/// <param name="Elements">E2M1 codes, one per value.</param>
/// <param name="Masks">Trust masks, one per group (bit i set: element i kept).</param>
/// <param name="Seconds">Kernel time (transfers excluded).</param>
public sealed record QuartetGroups(uint[] Scales, byte[] Elements, uint[] Masks, double Seconds);

/// <summary>
/// Quartet's quantizers on an <see cref="IlgpuSession"/> (<see cref="QuartetKernels"/>): group for group the codes, scale
/// and mask of <see cref="QuartetQuantizer.QuantizeGroup"/>, group g taking stream index firstIndex + 32·g.
/// </summary>
public sealed class IlgpuQuartet
{
    private readonly IlgpuSession _session;
    private readonly Action<Index1D, int, KernelQuartet, ulong, ArrayView<uint>, ArrayView<uint>, ArrayView<byte>, ArrayView<uint>> _quantize;

    /// <summary>Loads the kernel on <paramref name="session"/>.</summary>
    public IlgpuQuartet(IlgpuSession session)
    {
        _session = session;
        _quantize = session.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, KernelQuartet, ulong, ArrayView<uint>, ArrayView<uint>,
            ArrayView<byte>, ArrayView<uint>>(QuartetKernels.Quantize);
    }

    /// <summary>Quantizes rotated values, a whole number of groups of 32.</summary>
    /// <exception cref="ArgumentException">Not whole groups, or a NaN or infinity (named by index, as the reference refuses).</exception>
    public QuartetGroups Quantize(QuartetMethod method, ReadOnlySpan<float> rotated, ulong srSeed = 0, ulong firstIndex = 0)
    {
        int size = QuartetQuantizer.GroupSize;
        if (rotated.Length % size != 0) throw new ArgumentException($"{rotated.Length} values are not a whole number of groups of {size}");
        for (int i = 0; i < rotated.Length; i++)
            if (!float.IsFinite(rotated[i]))
                throw new ArgumentException($"element {i % size} of group {i / size} is {rotated[i]}: MXFP4 has no code for NaN or infinity");
        int groups = rotated.Length / size;
        var result = new QuartetGroups(new uint[groups], new byte[rotated.Length], new uint[groups], 0);
        if (groups == 0) return result;
        var quartet = new KernelQuartet(method, srSeed);
        ArrayView<uint> input = _session.Buffer<uint>("quartet.r", rotated.Length);
        input.CopyFromCPU(System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(rotated));
        ArrayView<uint> scales = _session.Buffer<uint>("quartet.scales", groups);
        ArrayView<byte> elements = _session.Buffer<byte>("quartet.elements", rotated.Length);
        ArrayView<uint> masks = _session.Buffer<uint>("quartet.masks", groups);
        int threads = _session.GridThreads(groups);
        double seconds = _session.Time(() => _quantize(threads, threads, quartet, firstIndex, input, scales, elements, masks));
        scales.CopyToCPU(result.Scales);
        elements.CopyToCPU(result.Elements);
        masks.CopyToCPU(result.Masks);
        return result with { Seconds = seconds };
    }
}
