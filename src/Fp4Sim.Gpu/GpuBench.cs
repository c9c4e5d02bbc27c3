using System.Runtime.InteropServices;
using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;
using ILGPU;
using ILGPU.Runtime;

namespace Fp4Sim.Gpu;

/// <summary>One benchmarked kernel: its best kernel time and the best time of the stream yardstick moving the same bytes.</summary>
/// <param name="Kernel">e.g. "encode e4m3 rne".</param>
/// <param name="Elements">Elements per run.</param>
/// <param name="BytesPerElement">Bytes read and written per element.</param>
/// <param name="Seconds">Best kernel time over the repeats (transfers excluded).</param>
/// <param name="StreamSeconds">Best time of the yardstick (<see cref="StreamKernels"/>) on the same accelerator and sizes.</param>
public sealed record GpuBenchResult(string Kernel, long Elements, double BytesPerElement, double Seconds, double StreamSeconds)
{
    /// <summary>Bytes moved per second of kernel time, in GB/s.</summary>
    public double GigabytesPerSecond => Elements * BytesPerElement / Seconds / 1e9;

    /// <summary>The yardstick's GB/s.</summary>
    public double StreamGigabytesPerSecond => Elements * BytesPerElement / StreamSeconds / 1e9;

    /// <summary>Kernel throughput as a fraction of the yardstick's.</summary>
    public double OfStream => StreamSeconds / Seconds;
}

/// <summary>
/// <c>fp4sim bench gpu</c>: times the cast, decode and block kernels on one accelerator next to a kernel that moves the
/// same bytes with no arithmetic (best of several runs each, same data), and checks the deterministic encodes against
/// <see cref="FastCast"/> (itself proven bit-exact against the scalar reference).
/// </summary>
public static class GpuBench
{
    /// <summary>Runs every benchmark on <paramref name="count"/> seeded Gaussian values; <paramref name="stage"/> names each step.</summary>
    /// <exception cref="InvalidOperationException">An encode disagreed with the CPU reference (the message names the first element).</exception>
    public static IReadOnlyList<GpuBenchResult> Run(IlgpuSession session, int count, int repeats, Action<string> stage)
    {
        stage("generating seeded data");
        var random = new Random(1);
        float[] values = new float[count - count % 32];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(BlockInputs.Gaussian(random) * 3);
        uint[] bits = MemoryMarshal.Cast<float, uint>(values).ToArray();
        var cast = new IlgpuCast(session);
        var blocks = new IlgpuBlocks(session);
        var results = new List<GpuBenchResult>();
        stage("timing the stream yardsticks");
        double narrow = Stream(session, bits, repeats, widen: false), widen = Stream(session, bits, repeats, widen: true);
        var codes = new byte[values.Length];
        var expected = new byte[values.Length];
        foreach ((FormatInfo format, RoundingMode mode) in new[]
        {
            (KnownFormats.E2M1, RoundingMode.Rne), (KnownFormats.E4M3, RoundingMode.Rne), (KnownFormats.E4M3, RoundingMode.Sr),
        })
        {
            string name = $"encode {format.Name} {RoundingNames.Name(mode)}";
            stage($"timing {name}");
            var ctx = new RoundingContext(mode, OverflowMode.Saturate);
            double best = Best(repeats, () => cast.Encode(format, ctx, bits, codes, seed: 7));
            if (mode != RoundingMode.Sr)
            {
                FastCast.Encode(format, values, expected, ctx, threads: 0);
                int first = codes.AsSpan().CommonPrefixLength(expected);
                if (first < codes.Length)
                    throw new InvalidOperationException($"{name}: element {first} (input 0x{bits[first]:x8}) gives 0x{codes[first]:x2}, " +
                        $"the CPU reference 0x{expected[first]:x2}");
            }
            results.Add(new GpuBenchResult(name, values.Length, 5, best, narrow));
        }
        stage("timing decode e4m3");
        var decoded = new uint[values.Length];
        results.Add(new GpuBenchResult("decode e4m3", values.Length, 5, Best(repeats, () => cast.Decode(KnownFormats.E4M3, codes, decoded)), widen));
        foreach (BlockFormat format in new[] { KnownBlockFormats.MxFp4, KnownBlockFormats.NvFp4 })
        {
            stage($"timing mxquant {format.Name}");
            double best = Best(repeats, () =>
            {
                blocks.Quantize(format, values, new BlockQuantizeOptions(), out double seconds);
                return seconds;
            });
            // NVFP4 reads the tensor twice (the amax, then the blocks).
            double bytes = (format.HasTensorScale ? 9 : 5) + 4.0 / format.BlockSize;
            results.Add(new GpuBenchResult($"mxquant {format.Name} rne", values.Length, bytes, best, narrow * bytes / 5));
        }
        return results;
    }

    private static double Best(int repeats, Func<double> run)
    {
        run(); // warm-up: kernel compilation, buffer allocation
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++) best = Math.Min(best, run());
        return best;
    }

    private static double Stream(IlgpuSession session, uint[] bits, int repeats, bool widen)
    {
        Accelerator a = session.Accelerator;
        ArrayView<uint> words = session.Buffer<uint>("stream.words", bits.Length);
        ArrayView<byte> bytes = session.Buffer<byte>("stream.bytes", bits.Length);
        words.CopyFromCPU(bits);
        int threads = session.GridThreads(bits.Length);
        if (widen)
        {
            var kernel = a.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<byte>, ArrayView<uint>>(StreamKernels.Widen);
            return Best(repeats, () => session.Time(() => kernel(threads, threads, bytes, words)));
        }
        var narrow = a.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<uint>, ArrayView<byte>>(StreamKernels.Narrow);
        return Best(repeats, () => session.Time(() => narrow(threads, threads, words, bytes)));
    }
}
