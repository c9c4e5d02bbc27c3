using BenchmarkDotNet.Attributes;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Benchmarks;

/// <summary>
/// E2M1 × E2M1 into a fixed-point register (fixed:16.2, saturating): the reference
/// (<see cref="Accumulator.Dot"/>: exact products and BigInteger adds, term by term) against the fast path
/// <see cref="FixedPointGemm"/> (product table, 64-bit adds), one core, same codes; MAC/s = M·N·K / mean time.
/// </summary>
[MemoryDiagnoser(false)]
public class FixedPointGemmBenchmarks
{
    private const int M = 64, N = 64, K = 512;
    private readonly FixedPointAccumulator _accumulator = new(16, 2);
    private byte[] _a = [], _b = [];
    private uint[][] _rowsA = [], _rowsB = [];
    private int[] _rowOperands = [];
    private ProductGrid? _grid;
    private readonly long[] _words = new long[M * N];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(12345);
        _a = Enumerable.Range(0, M * K).Select(_ => (byte)random.Next(16)).ToArray();
        _b = Enumerable.Range(0, N * K).Select(_ => (byte)random.Next(16)).ToArray();
        _rowsA = Enumerable.Range(0, M).Select(i => _a.Skip(i * K).Take(K).Select(c => (uint)c).ToArray()).ToArray();
        _rowsB = Enumerable.Range(0, N).Select(j => _b.Skip(j * K).Take(K).Select(c => (uint)c).ToArray()).ToArray();
        _grid = ProductGrid.For(KnownFormats.E2M1, KnownFormats.E2M1, _accumulator);
        _rowOperands = _a.Select(c => _grid.RowOperand(c, 0)).ToArray();
    }

    [Benchmark(Baseline = true)]
    public UInt128 Reference()
    {
        UInt128 last = 0;
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) last = _accumulator.Dot(KnownFormats.E2M1, _rowsA[i], KnownFormats.E2M1, _rowsB[j]).Bits;
        return last;
    }

    [Benchmark]
    public FixedPointCounts FastPath() => FixedPointGemm.Multiply(_grid!, _rowOperands, _b, M, N, K, _words);
}
