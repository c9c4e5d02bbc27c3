using BenchmarkDotNet.Attributes;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Benchmarks;

/// <summary>
/// The exact MXFP4 GEMM (fp32 and exact accumulators) against float32 SGEMM on the dequantized operands (the
/// fake-quant route's matmul; dequantization is timed by <c>fp4sim bench mxgemm</c>), all cores. GFLOP/s =
/// 2·M·N·K / mean time.
/// </summary>
[MemoryDiagnoser(false)]
public class MxGemmBenchmarks
{
    private MxMatrix _a = null!, _b = null!;
    private float[] _da = [], _dbT = [], _c = [];
    private readonly Accumulator _fp32 = new IeeeAccumulator(KnownFormats.Fp32);

    /// <summary>M×N×K.</summary>
    [Params("1024x1024x1024", "4096x4096x1024")]
    public string Shape { get; set; } = "1024x1024x1024";

    private int M => GemmShape.Dimension(Shape, 0);
    private int N => GemmShape.Dimension(Shape, 1);
    private int K => GemmShape.Dimension(Shape, 2);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(12345);
        float[] Gaussian(int n) => Enumerable.Range(0, n)
            .Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();
        _a = MxMatrix.Quantize(KnownBlockFormats.MxFp4, Gaussian(M * K), M, K, new BlockQuantizeOptions());
        _b = MxMatrix.Quantize(KnownBlockFormats.MxFp4, Gaussian(N * K), N, K, new BlockQuantizeOptions());
        _da = Enumerable.Range(0, M * K).Select(i => (float)_a.Data.Value(i)).ToArray();
        _dbT = new float[K * N];
        for (int j = 0; j < N; j++)
            for (int k = 0; k < K; k++) _dbT[k * N + j] = (float)_b.Data.Value(j * K + k);
        _c = new float[M * N];
    }

    [Benchmark]
    public void ExactGemmFp32Accumulator() => MxFp4Gemm.Multiply(_a, _b, _fp32, _c, threads: 0);

    [Benchmark]
    public void ExactGemmExactAccumulator() => MxFp4Gemm.Multiply(_a, _b, ExactAccumulator.Fp32, _c, threads: 0);

    [Benchmark(Baseline = true)]
    public void Float32SgemmOnDequantized() => Sgemm.Multiply(_da, _dbT, _c, M, N, K, threads: 0);
}
