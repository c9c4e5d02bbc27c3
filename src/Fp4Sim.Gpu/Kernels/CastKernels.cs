using System.Reflection;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// The ILGPU entry points (implicitly grouped: one thread per element). The same methods run on ILGPU's CPU accelerator
/// and, compiled to PTX, on CUDA. Codes travel one per byte (every format these kernels serve has at most 8 bits).
/// </summary>
public static class CastKernels
{
    /// <summary>
    /// float32 bits → codes, element i rounded by <see cref="KernelCodec.Encode"/>; for stochastic rounding element i
    /// uses StochasticBits.For(<see cref="KernelCast.Seed"/>, <paramref name="firstIndex"/> + i).
    /// </summary>
    public static void Encode(Index1D i, KernelCast cast, ulong firstIndex, ArrayView<uint> inputBits, ArrayView<byte> codes)
    {
        uint random = cast.Mode == KernelCast.Sr ? KernelCodec.StochasticBitsFor(cast.Seed, firstIndex + (ulong)i.X) : 0u;
        codes[i] = (byte)KernelCodec.Encode(cast, inputBits[i], random);
    }

    /// <summary>codes → float32 bits by <see cref="KernelCodec.DecodeToSingleBits"/> (the cast's rounding fields are unused).</summary>
    public static void Decode(Index1D i, KernelCast cast, ArrayView<byte> codes, ArrayView<uint> outputBits) =>
        outputBits[i] = KernelCodec.DecodeToSingleBits(cast, codes[i]);

    /// <summary>Every entry point, for ahead-of-time compilation checks (PTX without a device).</summary>
    public static IReadOnlyList<MethodInfo> EntryPoints { get; } =
    [
        typeof(CastKernels).GetMethod(nameof(Encode))!,
        typeof(CastKernels).GetMethod(nameof(Decode))!,
    ];
}
