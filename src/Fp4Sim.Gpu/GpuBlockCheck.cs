using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu;

/// <summary>
/// The block part of <c>fp4sim gpu check</c>: the MX/NVFP4 quantization kernels against <see cref="BlockQuantizer.Quantize"/>
/// (every block format × element rounding mode, each line covering both scale rules × the three NaN policies), and the
/// MXFP4 GEMM kernel against <see cref="MxFp4Gemm"/> (itself tested bit-exact against <see cref="MxGemmReference"/>) with
/// the binary32 and the exact accumulator.
/// </summary>
public static class GpuBlockCheck
{
    /// <summary>Runs every block and GEMM check; <paramref name="report"/> receives each result as soon as it is known.</summary>
    /// <param name="session">The accelerator.</param>
    /// <param name="elements">Elements per (format, mode, rule, policy) case, rounded down to whole blocks (at least one block).</param>
    /// <param name="gemmSize">M = N = K of the realistic GEMM (a multiple of 32).</param>
    /// <param name="seed">Input seed (and the stochastic rounding stream's).</param>
    /// <param name="report">Called with each result.</param>
    public static IReadOnlyList<KernelCheckResult> Run(IlgpuSession session, long elements, int gemmSize, int seed, Action<KernelCheckResult> report)
    {
        var results = new List<KernelCheckResult>();
        var blocks = new IlgpuBlocks(session);
        foreach (BlockFormat format in KnownBlockFormats.All)
        {
            int count = (int)Math.Max(1, Math.Min(elements, 1 << 24) / format.BlockSize);
            foreach (RoundingMode mode in GpuCastCheck.IlgpuModes)
            {
                var parts = new List<KernelCheckResult>();
                double seconds = 0;
                int cases = 0;
                long compared = 0;
                foreach (ScaleRule rule in Enum.GetValues<ScaleRule>())
                    foreach (BlockNaNPolicy policy in Enum.GetValues<BlockNaNPolicy>())
                    {
                        var options = new BlockQuantizeOptions(rule, mode, policy, ScaleRounding: RoundingMode.Rne, Seed: (ulong)seed);
                        float[] values = BlockInputs.Values(format, count, seed + cases, withSpecials: cases % 2 == 0, narrow: cases % 3 != 0);
                        cases++;
                        QuantizedBlocks expected = BlockQuantizer.Quantize(format, values, options);
                        QuantizedBlocks actual = blocks.Quantize(format, values, options, out double s);
                        seconds += s;
                        compared += values.Length;
                        uint[] bits = Array.ConvertAll(values, BitConverter.SingleToUInt32Bits);
                        uint[] firstOfBlock = [.. Enumerable.Range(0, expected.Scales.Length).Select(b => bits[b * format.BlockSize])];
                        parts.Add(KernelCheckResult.Of("scales", firstOfBlock, i => expected.Scales[i], i => actual.Scales[i], 0, 0));
                        parts.Add(KernelCheckResult.Of("elements", bits, i => expected.Elements[i], i => actual.Elements[i], 0, 0));
                        parts.Add(KernelCheckResult.Of("tensor scale", [0u], _ => BitConverter.SingleToUInt32Bits(expected.TensorScale),
                            _ => BitConverter.SingleToUInt32Bits(actual.TensorScale), 0, 0));
                    }
                // Per case: read 4 bytes per value, write one code byte per value and one scale word per block.
                double bytes = cases * (double)count * format.BlockSize * (5 + 4.0 / format.BlockSize);
                var result = new KernelCheckResult($"mxquant {format.Name} {RoundingNames.Name(mode)}", compared,
                    parts.Sum(p => p.Mismatches), [.. parts.SelectMany(p => p.FirstCounterexamples).Take(5)],
                    seconds > 0 ? bytes / seconds / 1e9 : 0, "2 scale rules x 3 NaN policies");
                results.Add(result);
                report(result);
            }
        }
        foreach (KernelCheckResult r in Gemm(session, gemmSize, seed))
        {
            results.Add(r);
            report(r);
        }
        return results;
    }

    /// <summary>The GEMM cases: realistic n³ operands, then scales spread beyond both fast paths' bounds, with NaN blocks.</summary>
    private static IEnumerable<KernelCheckResult> Gemm(IlgpuSession session, int n, int seed)
    {
        var gemm = new IlgpuGemm(session);
        foreach ((string name, int m, int k, bool realistic) in new[] { ("realistic", n, n, true), ("wide scales and NaN blocks", 64, 512, false) })
        {
            MxMatrix a = GemmOperand(m, k, seed, realistic), b = GemmOperand(m, k, seed + 1, realistic);
            foreach (Accumulator acc in new Accumulator[] { new IeeeAccumulator(KnownFormats.Fp32), ExactAccumulator.Fp32 })
            {
                float[] expected = MxFp4Gemm.Multiply(a, b, acc);
                float[] actual = gemm.Multiply(a, b, acc, out GemmRun run);
                uint[] index = [.. Enumerable.Range(0, expected.Length).Select(i => (uint)i)];
                KernelCheckResult r = KernelCheckResult.Of($"gemm mxfp4 {m}x{m}x{k} {acc.Name}", index,
                    i => BitConverter.SingleToUInt32Bits(expected[i]), i => BitConverter.SingleToUInt32Bits(actual[i]), run.Seconds,
                    bytesPerElement: 4 + 2.0 * k * (1 + 4.0 / 32) / m);
                double macs = (double)m * m * k;
                double rate = run.Seconds > 0 ? macs / run.Seconds / 1e9 : 0;
                yield return r with { Note = $"{name}: {run.Fallbacks} by the host reference, {rate:F2} GMAC/s" };
            }
        }
    }

    private static MxMatrix GemmOperand(int rows, int k, int seed, bool realistic)
    {
        var random = new Random(seed);
        var values = new float[rows * k];
        int binade = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (i % 32 == 0) binade = realistic ? random.Next(-3, 3) : random.Next(-130, 128);
            values[i] = (float)Math.ScaleB(BlockInputs.Gaussian(random), binade);
            if (!float.IsFinite(values[i])) values[i] = 0;
            if (!realistic && random.Next(500) == 0) values[i] = float.NaN;
        }
        return MxMatrix.Quantize(KnownBlockFormats.MxFp4, values, rows, k, new BlockQuantizeOptions());
    }
}
