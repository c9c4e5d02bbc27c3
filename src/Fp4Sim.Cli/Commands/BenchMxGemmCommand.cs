using System.Diagnostics;
using System.Globalization;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench mxgemm</c>: on the same seeded MXFP4 operands, times (best of several runs) the exact MXFP4 GEMM and
/// the fake-quant route (dequantize both operands to float32, then the tuned <see cref="Sgemm"/>), checks a sample of
/// the exact result against <see cref="MxGemmReference"/> bit for bit, and ends with
/// <c>exact &lt;GFLOP/s&gt; fakequant &lt;GFLOP/s&gt;</c> (effective: 2·M·N·K per second).
/// </summary>
public static class BenchMxGemmCommand
{
    private const int Repetitions = 5;
    private const int SampleSize = 256;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("bench mxgemm", argv, "m", "n", "k", "threads", "acc", "seed");
        int m = (int)args.Integer("m", 1024, 1, 1 << 16, "an integer 1..65536");
        int n = (int)args.Integer("n", 1024, 1, 1 << 16, "an integer 1..65536");
        int k = (int)args.Integer("k", 1024, 32, 1 << 16, "a multiple of 32 in 32..65536");
        if (k % 32 != 0) throw new CliException($"bench mxgemm: --k {k} is not a multiple of the MXFP4 block size 32");
        if ((long)m * k > Array.MaxLength || (long)n * k > Array.MaxLength || (long)m * n > Array.MaxLength)
            throw new CliException($"bench mxgemm: {m}x{n}x{k} is too large for one array");
        int threads = (int)args.Integer("threads", 0, int.MinValue, int.MaxValue, "an integer; <= 0 means all cores");
        string accName = args.Optional("acc") ?? "fp32";
        Accumulator accumulator = accName switch
        {
            "fp32" => new IeeeAccumulator(Numerics.Formats.KnownFormats.Fp32),
            "exact" => ExactAccumulator.Fp32,
            _ => throw new CliException($"bench mxgemm: --acc '{accName}' is not supported by the fast GEMM (expected fp32 or exact)"),
        };
        ulong seed = args.Unsigned("seed", 1);

        MxMatrix a = null!, b = null!;
        float[] exact = [], fakeQuant = [];
        double exactSeconds = double.MaxValue, fakeSeconds = double.MaxValue, dequantSeconds = 0;
        int mismatches = 0, sampled = 0;
        Int8Peak peak = null!;
        StageProgress.Run(stderr, "generating and quantizing seeded data", stage =>
        {
            a = MxMatrix.Quantize(KnownBlockFormats.MxFp4, BenchData.Gaussian((long)m * k, k, seed), m, k, new BlockQuantizeOptions());
            b = MxMatrix.Quantize(KnownBlockFormats.MxFp4, BenchData.Gaussian((long)n * k, k, seed + 1), n, k, new BlockQuantizeOptions());
            exact = new float[(long)m * n];
            fakeQuant = new float[(long)m * n];
            stage("timing the exact MXFP4 GEMM");
            for (int r = 0; r <= Repetitions; r++) // run 0 warms up
            {
                long start = Stopwatch.GetTimestamp();
                MxFp4Gemm.Multiply(a, b, accumulator, exact, threads);
                if (r > 0) exactSeconds = Math.Min(exactSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            stage("timing dequantize + float32 SGEMM");
            float[] da = new float[(long)m * k], db = new float[(long)k * n];
            for (int r = 0; r <= Repetitions; r++)
            {
                long start = Stopwatch.GetTimestamp();
                MxDequantizer.ToSingle(a, da, transpose: false);
                MxDequantizer.ToSingle(b, db, transpose: true); // B is stored N x K (weights); SGEMM takes K x N
                double dequantized = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Sgemm.Multiply(da, db, fakeQuant, m, n, k, threads);
                double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (r > 0 && total < fakeSeconds) (fakeSeconds, dequantSeconds) = (total, dequantized);
            }
            stage("measuring the int8 dot-product peak");
            peak = Int8DotPeak.Measure(threads);
            stage("checking a sample against the scalar reference");
            var rng = new Random((int)seed);
            for (int s = 0; s < Math.Min(SampleSize, m * n); s++, sampled++)
            {
                int i = rng.Next(m), j = rng.Next(n);
                float reference = MxGemmReference.Element(a, b, i, j, accumulator);
                if (BitConverter.SingleToUInt32Bits(reference) == BitConverter.SingleToUInt32Bits(exact[(long)i * n + j])) continue;
                if (mismatches++ < 5)
                    stderr.Write($"fp4sim: bench mxgemm: mismatch at C[{i},{j}]: fast {Hex(exact[(long)i * n + j])}, reference {Hex(reference)}\n");
            }
            return 0;
        });
        if (mismatches > 0)
        {
            stderr.Write($"fp4sim: bench mxgemm: {mismatches} of {sampled} sampled outputs differ from the scalar reference\n");
            return 1;
        }

        double flops = 2.0 * m * n * k;
        double maxError = 0, scale = 0;
        for (long i = 0; i < exact.Length; i++)
        {
            maxError = Math.Max(maxError, Math.Abs((double)exact[i] - fakeQuant[i]));
            scale = Math.Max(scale, Math.Abs((double)exact[i]));
        }
        string workers = threads <= 0 ? $"all ({Environment.ProcessorCount})" : threads.ToString(CultureInfo.InvariantCulture);
        stdout.Write($"mxfp4 x mxfp4, M {m} N {n} K {k}, accumulator {accumulator.Name}, threads {workers}, best of {Repetitions}\n");
        stdout.Write($"exact: {Num(exactSeconds * 1e3)} ms, {Num(flops / exactSeconds / 1e9)} GFLOP/s; " +
                     $"{sampled} sampled outputs bit-identical to the scalar reference\n");
        stdout.Write($"fakequant (dequantize {Num(dequantSeconds * 1e3)} ms + float32 SGEMM {Num((fakeSeconds - dequantSeconds) * 1e3)} ms): " +
                     $"{Num(fakeSeconds * 1e3)} ms, {Num(flops / fakeSeconds / 1e9)} GFLOP/s " +
                     $"(SGEMM alone {Num(flops / (fakeSeconds - dequantSeconds) / 1e9)}); " +
                     $"max |exact - fakequant| = {maxError.ToString("G3", CultureInfo.InvariantCulture)} " +
                     $"(max |C| {scale.ToString("G3", CultureInfo.InvariantCulture)})\n");
        double exactMacs = flops / 2 / exactSeconds, ratio = exactMacs / peak.MacsPerSecond;
        stdout.Write($"int8 peak: {Num(peak.MacsPerSecond / 1e9)} GMAC/s ({peak.Sequence}, register-only, {peak.Threads} threads); " +
                     $"exact/peak {ratio.ToString("F2", CultureInfo.InvariantCulture)} (exact {Num(exactMacs / 1e9)} GMAC/s); " +
                     $"exact/fakequant {(fakeSeconds / exactSeconds).ToString("F2", CultureInfo.InvariantCulture)}\n");
        stdout.Write($"exact {Num(flops / exactSeconds / 1e9)} fakequant {Num(flops / fakeSeconds / 1e9)} " +
                     $"peak {Num(peak.MacsPerSecond / 1e9)} ratio {ratio.ToString("F2", CultureInfo.InvariantCulture)}\n");
        stdout.Flush();
        return 0;
    }

    private static string Hex(float x) => "0x" + BitConverter.SingleToUInt32Bits(x).ToString("x8", CultureInfo.InvariantCulture);

    private static string Num(double x) => x.ToString("F1", CultureInfo.InvariantCulture);
}
