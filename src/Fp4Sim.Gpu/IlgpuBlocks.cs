using System.Runtime.InteropServices;
using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Blocks;
using ILGPU;
using ILGPU.Runtime;

namespace Fp4Sim.Gpu;

/// <summary>
/// MX and NVFP4 block quantization on an <see cref="IlgpuSession"/> (<see cref="BlockKernels"/>): the same codes, scales
/// and tensor scale as <see cref="BlockQuantizer.Quantize"/> for every block format, both scale rules, every NaN policy
/// and every element rounding mode (fp4sim convention). A two-level format's tensor amax is reduced on the device; the
/// one tensor scale it gives is <see cref="BlockQuantizer.TensorScaleForAmax"/> on the host.
/// </summary>
public sealed class IlgpuBlocks
{
    private readonly IlgpuSession _session;
    private readonly Action<Index1D, int, ArrayView<uint>, ArrayView<uint>> _amax;
    private readonly Action<Index1D, int, KernelBlock, ulong, ArrayView<uint>, ArrayView<uint>, ArrayView<byte>> _quantize;

    /// <summary>Loads the block kernels on <paramref name="session"/>.</summary>
    public IlgpuBlocks(IlgpuSession session)
    {
        _session = session;
        Accelerator a = session.Accelerator;
        _amax = a.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<uint>, ArrayView<uint>>(BlockKernels.FiniteAmax);
        _quantize = a.LoadAutoGroupedStreamKernel<Index1D, int, KernelBlock, ulong, ArrayView<uint>, ArrayView<uint>, ArrayView<byte>>(
            BlockKernels.Quantize);
    }

    /// <summary>Quantizes <paramref name="values"/> (a whole number of blocks) as <see cref="BlockQuantizer.Quantize"/> does.</summary>
    /// <param name="format">The block format.</param>
    /// <param name="values">The tensor, float32.</param>
    /// <param name="options">Scale rule, element rounding, NaN policy, NVFP4 scale rounding, stochastic seed; fp4sim convention only.</param>
    /// <param name="seconds">Kernel time (the amax reduction included; transfers excluded).</param>
    /// <exception cref="ArgumentException">Not whole blocks, or options the kernels do not implement.</exception>
    public QuantizedBlocks Quantize(BlockFormat format, ReadOnlySpan<float> values, BlockQuantizeOptions options, out double seconds)
    {
        if (values.Length % format.BlockSize != 0)
            throw new ArgumentException($"{values.Length} values are not a whole number of {format.Name} blocks of {format.BlockSize}");
        int blocks = values.Length / format.BlockSize;
        var scales = new uint[blocks];
        var elements = new byte[values.Length];
        _ = new KernelBlock(format, options, 1f); // refuse before any transfer
        ArrayView<uint> input = _session.Buffer<uint>("blocks.values", values.Length);
        input.CopyFromCPU(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<float, uint>(values)), values.Length);
        seconds = 0;
        float tensorScale = 1f;
        if (format.HasTensorScale)
        {
            ArrayView<uint> amax = _session.Buffer<uint>("blocks.amax", 1);
            amax.MemSetToZero();
            int amaxThreads = _session.GridThreads(values.Length);
            seconds += _session.Time(() => _amax(amaxThreads, amaxThreads, input, amax));
            var amaxBits = new uint[1];
            amax.CopyToCPU(amaxBits);
            tensorScale = BlockQuantizer.TensorScaleForAmax(format, BitConverter.UInt32BitsToSingle(amaxBits[0]));
        }
        if (blocks > 0)
        {
            var block = new KernelBlock(format, options, tensorScale);
            ArrayView<uint> scaleView = _session.Buffer<uint>("blocks.scales", blocks);
            ArrayView<byte> elementView = _session.Buffer<byte>("blocks.elements", values.Length);
            int threads = _session.GridThreads(blocks);
            seconds += _session.Time(() => _quantize(threads, threads, block, 0, input, scaleView, elementView));
            scaleView.CopyToCPU(scales);
            elementView.CopyToCPU(elements);
        }
        return new QuantizedBlocks(format, scales, elements, tensorScale);
    }
}
