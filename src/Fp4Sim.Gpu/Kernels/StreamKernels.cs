using System.Reflection;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// The memory-traffic yardsticks of <see cref="GpuBench"/>: grid-stride loops that move the same bytes as a cast kernel
/// with no arithmetic, so a kernel's time over theirs says how close it runs to what the accelerator can move.
/// </summary>
public static class StreamKernels
{
    /// <summary>Reads 4 bytes and writes 1 per element (the shape of an encode or a block quantization).</summary>
    public static void Narrow(Index1D thread, int threads, ArrayView<uint> input, ArrayView<byte> output)
    {
        for (long e = thread.X; e < input.Length; e += threads) output[e] = (byte)input[e];
    }

    /// <summary>Reads 1 byte and writes 4 per element (the shape of a decode).</summary>
    public static void Widen(Index1D thread, int threads, ArrayView<byte> input, ArrayView<uint> output)
    {
        for (long e = thread.X; e < input.Length; e += threads) output[e] = input[e];
    }

    /// <summary>Every entry point, for ahead-of-time compilation checks (PTX without a device).</summary>
    public static IReadOnlyList<MethodInfo> EntryPoints { get; } =
    [
        typeof(StreamKernels).GetMethod(nameof(Narrow))!,
        typeof(StreamKernels).GetMethod(nameof(Widen))!,
    ];
}
