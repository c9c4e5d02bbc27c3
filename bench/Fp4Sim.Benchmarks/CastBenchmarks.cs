using BenchmarkDotNet.Attributes;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Benchmarks;

/// <summary>
/// float32 → code and code → float32 casts: the vector fast path (one core and all cores), the scalar reference,
/// and a plain read-4-bytes-write-1-byte loop as the memory-traffic yardstick. Throughput = elements / mean time.
/// </summary>
[MemoryDiagnoser(false)]
public class CastBenchmarks
{
    private const int Count = 1 << 22;
    private float[] _values = [];
    private byte[] _codes = [];
    private float[] _decoded = [];
    private FormatInfo _format = KnownFormats.E2M1;

    [Params("e2m1", "e4m3")]
    public string Format { get; set; } = "e2m1";

    [GlobalSetup]
    public void Setup()
    {
        _format = FormatSpec.Parse(Format);
        var random = new Random(12345);
        _values = new float[Count];
        for (int i = 0; i < Count; i++) _values[i] = (float)((random.NextDouble() * 2 - 1) * Math.ScaleB(1.0, random.Next(-12, 12)));
        _codes = new byte[Count];
        _decoded = new float[Count];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public void CopyNarrowYardstick()
    {
        float[] v = _values; byte[] c = _codes;
        for (int i = 0; i < v.Length; i++) c[i] = (byte)BitConverter.SingleToInt32Bits(v[i]);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void EncodeFastOneCore() => FastCast.Encode(_format, _values, _codes, RoundingContext.Default, threads: 1);

    [Benchmark(OperationsPerInvoke = Count)]
    public void EncodeFastAllCores() => FastCast.Encode(_format, _values, _codes, RoundingContext.Default, threads: 0);

    [Benchmark(OperationsPerInvoke = Count)]
    public void EncodeReference()
    {
        for (int i = 0; i < _values.Length; i++) _codes[i] = (byte)Encoder.Encode(_format, _values[i], RoundingContext.Default);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void DecodeFastOneCore() => FastCast.Decode(_format, _codes, _decoded, threads: 1);
}
