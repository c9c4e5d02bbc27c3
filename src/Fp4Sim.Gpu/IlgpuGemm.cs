using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using ILGPU;
using ILGPU.Runtime;

namespace Fp4Sim.Gpu;

/// <summary>What one GPU GEMM did.</summary>
/// <param name="Seconds">Kernel time (transfers and host fallbacks excluded).</param>
/// <param name="Fallbacks">
/// Outputs the kernel flagged (a NaN scale, or a term outside the fast paths' bounds), computed on the host by
/// <see cref="MxGemmReference.Element"/>.
/// </param>
public sealed record GemmRun(double Seconds, long Fallbacks);

/// <summary>
/// The exact MXFP4 GEMM on an <see cref="IlgpuSession"/> (<see cref="GemmKernels"/>): bit for bit
/// <see cref="MxGemmReference.Multiply"/> with the binary32 fused-add accumulator (<c>new IeeeAccumulator(KnownFormats.Fp32)</c>)
/// or the exact one (<see cref="ExactAccumulator.Fp32"/>), the same block order, and the reference itself for every
/// output the kernel flags.
/// </summary>
public sealed class IlgpuGemm
{
    private readonly IlgpuSession _session;
    private readonly Action<Index1D, int, KernelMxGemm, ArrayView<byte>, ArrayView<uint>, ArrayView<byte>, ArrayView<uint>, ArrayView<float>,
        ArrayView<byte>> _gemm;

    /// <summary>Loads the GEMM kernel on <paramref name="session"/>.</summary>
    public IlgpuGemm(IlgpuSession session)
    {
        _session = session;
        _gemm = session.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, KernelMxGemm, ArrayView<byte>, ArrayView<uint>, ArrayView<byte>,
            ArrayView<uint>, ArrayView<float>, ArrayView<byte>>(GemmKernels.MxFp4);
    }

    /// <summary>C = A · Bᵀ (row-major M × N) for MXFP4 A (M × K) and B (N × K).</summary>
    /// <exception cref="ArgumentException">Operands other than MXFP4, different K, or another accumulator.</exception>
    public float[] Multiply(MxMatrix a, MxMatrix b, Accumulator accumulator, out GemmRun run)
    {
        bool exact = accumulator switch
        {
            IeeeAccumulator { Format: var f } when f == KnownFormats.Fp32 => false,
            ExactAccumulator { Output: var f } when f == KnownFormats.Fp32 => true,
            _ => throw new ArgumentException($"the GPU GEMM takes the fp32 or exact accumulator, got {accumulator.Name}"),
        };
        if (a.Data.Format != KnownBlockFormats.MxFp4 || b.Data.Format != KnownBlockFormats.MxFp4)
            throw new ArgumentException($"the GPU GEMM takes mxfp4 × mxfp4, got {a.Data.Format.Name} × {b.Data.Format.Name}");
        if (a.Columns != b.Columns) throw new ArgumentException($"inner dimensions differ: A has K = {a.Columns}, B has K = {b.Columns}");
        int m = a.Rows, n = b.Rows, k = a.Columns, blocks = k / 32;
        var c = new float[(long)m * n];
        if (c.Length == 0) { run = new GemmRun(0, 0); return c; }
        ArrayView<byte> da = Upload("gemm.a", a.Data.Elements, (long)m * k);
        ArrayView<uint> dsa = Upload("gemm.as", a.Data.Scales, (long)m * blocks);
        ArrayView<byte> db = Upload("gemm.b", b.Data.Elements, (long)n * k);
        ArrayView<uint> dsb = Upload("gemm.bs", b.Data.Scales, (long)n * blocks);
        ArrayView<float> dc = _session.Buffer<float>("gemm.c", c.Length);
        ArrayView<byte> dflag = _session.Buffer<byte>("gemm.fallback", c.Length);
        var gemm = new KernelMxGemm(k, n, exact);
        int threads = _session.GridThreads(c.Length);
        double seconds = _session.Time(() => _gemm(threads, threads, gemm, da, dsa, db, dsb, dc, dflag));
        dc.CopyToCPU(c);
        var flags = new byte[c.Length];
        dflag.CopyToCPU(flags);
        long fallbacks = 0;
        for (long o = 0; o < flags.Length; o++)
        {
            if (flags[o] == 0) continue;
            c[o] = MxGemmReference.Element(a, b, (int)(o / n), (int)(o % n), accumulator);
            fallbacks++;
        }
        run = new GemmRun(seconds, fallbacks);
        return c;
    }

    private ArrayView<T> Upload<T>(string slot, T[] data, long length) where T : unmanaged
    {
        if (data.Length < length) throw new ArgumentException($"an operand holds {data.Length} values where {length} are needed");
        ArrayView<T> view = _session.Buffer<T>(slot, length);
        view.CopyFromCPU(data.AsSpan(0, (int)length));
        return view;
    }
}
