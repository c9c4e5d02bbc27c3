using BenchmarkDotNet.Attributes;
using Fp4Sim.Numerics.Gemm;

namespace Fp4Sim.Benchmarks;

/// <summary>
/// The float32 GEMM baseline (C = A·B, row-major) on one core and all cores. One operation = one multiply-add,
/// so GFLOP/s = 2 / (mean time per operation in ns).
/// </summary>
[MemoryDiagnoser(false)]
public class SgemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

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
        _a = new float[M * K];
        _b = new float[K * N];
        _c = new float[M * N];
        for (int i = 0; i < _a.Length; i++) _a[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < _b.Length; i++) _b[i] = (float)(random.NextDouble() * 2 - 1);
    }

    [Benchmark(Baseline = true)]
    public void OneCore() => Sgemm.Multiply(_a, _b, _c, M, N, K, threads: 1);

    [Benchmark]
    public void AllCores() => Sgemm.Multiply(_a, _b, _c, M, N, K, threads: 0);
}
