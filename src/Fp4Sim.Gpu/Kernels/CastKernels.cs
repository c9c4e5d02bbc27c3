using System.Reflection;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// The ILGPU entry points of the element casts: grid-stride loops (thread t handles elements t, t + threads, …, see
/// <see cref="IlgpuSession.GridThreads"/>). The same methods run on ILGPU's CPU accelerator and, compiled to PTX, on CUDA.
/// Codes travel one per byte (every format these kernels serve has at most 8 bits).
/// </summary>
public static class CastKernels
{
    /// <summary>
    /// float32 bits → codes, element e rounded by <see cref="KernelCodec.Encode"/>; for stochastic rounding element e
    /// uses StochasticBits.For(<see cref="KernelCast.Seed"/>, <paramref name="firstIndex"/> + e).
    /// </summary>
    public static void Encode(Index1D thread, int threads, KernelCast cast, ulong firstIndex, ArrayView<uint> inputBits, ArrayView<byte> codes)
    {
        for (long e = thread.X; e < inputBits.Length; e += threads)
        {
            uint random = cast.Mode == KernelCast.Sr ? KernelCodec.StochasticBitsFor(cast.Seed, firstIndex + (ulong)e) : 0u;
            codes[e] = (byte)KernelCodec.Encode(cast, inputBits[e], random);
        }
    }

    /// <summary>codes → float32 bits by <see cref="KernelCodec.DecodeToSingleBits"/> (the cast's rounding fields are unused).</summary>
    public static void Decode(Index1D thread, int threads, KernelCast cast, ArrayView<byte> codes, ArrayView<uint> outputBits)
    {
        for (long e = thread.X; e < codes.Length; e += threads)
            outputBits[e] = KernelCodec.DecodeToSingleBits(cast, codes[e]);
    }

    /// <summary>Every entry point, for ahead-of-time compilation checks (PTX without a device).</summary>
    public static IReadOnlyList<MethodInfo> EntryPoints { get; } =
    [
        typeof(CastKernels).GetMethod(nameof(Encode))!,
        typeof(CastKernels).GetMethod(nameof(Decode))!,
    ];
}
