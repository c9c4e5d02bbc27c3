using System.Reflection;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>The ILGPU entry points of block quantization: grid-stride loops over elements (amax) or blocks (quantize).</summary>
public static class BlockKernels
{
    /// <summary>
    /// The tensor's finite amax as float32 bits, folded into <paramref name="result"/>[0] by an atomic max (the caller
    /// zeroes it first): <see cref="Fp4Sim.Numerics.Blocks.BlockQuantizer.FiniteAmax"/> of the whole tensor.
    /// </summary>
    public static void FiniteAmax(Index1D thread, int threads, ArrayView<uint> values, ArrayView<uint> result)
    {
        uint amax = 0;
        for (long e = thread.X; e < values.Length; e += threads)
        {
            uint magnitude = values[e] & 0x7FFFFFFF;
            if (KernelCodec.Finite(magnitude) && magnitude > amax) amax = magnitude;
        }
        Atomic.Max(ref result[0], amax);
    }

    /// <summary>One scale code per block and one element code per value (<see cref="KernelBlockQuantizer.QuantizeBlock"/>).</summary>
    public static void Quantize(Index1D thread, int threads, KernelBlock block, ulong firstElement, ArrayView<uint> values,
        ArrayView<uint> scales, ArrayView<byte> elements)
    {
        for (long b = thread.X; b < scales.Length; b += threads)
            KernelBlockQuantizer.QuantizeBlock(block, b, firstElement, values, scales, elements);
    }

    /// <summary>Every entry point, for ahead-of-time compilation checks (PTX without a device).</summary>
    public static IReadOnlyList<MethodInfo> EntryPoints { get; } =
    [
        typeof(BlockKernels).GetMethod(nameof(FiniteAmax))!,
        typeof(BlockKernels).GetMethod(nameof(Quantize))!,
    ];
}
