using System.Reflection;
using ILGPU;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>The ILGPU entry point of the exact MXFP4 GEMM: a grid-stride loop over the outputs.</summary>
public static class GemmKernels
{
    /// <summary>C = A · Bᵀ for MXFP4 A (M × K) and B (N × K), one output per iteration (<see cref="KernelMxGemmOps.Output"/>).</summary>
    public static void MxFp4(Index1D thread, int threads, KernelMxGemm gemm, ArrayView<byte> a, ArrayView<uint> aScales, ArrayView<byte> b,
        ArrayView<uint> bScales, ArrayView<float> c, ArrayView<byte> fallback)
    {
        for (long o = thread.X; o < c.Length; o += threads)
            KernelMxGemmOps.Output(gemm, o, a, aScales, b, bScales, c, fallback);
    }

    /// <summary>Every entry point, for ahead-of-time compilation checks (PTX without a device).</summary>
    public static IReadOnlyList<MethodInfo> EntryPoints { get; } = [typeof(GemmKernels).GetMethod(nameof(MxFp4))!];
}
