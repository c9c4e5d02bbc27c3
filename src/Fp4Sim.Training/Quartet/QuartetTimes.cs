using System.Diagnostics;

namespace Fp4Sim.Training.Quartet;

/// <summary>Where a Quartet linear layer's time goes, summed over every call (thread-safe).</summary>
public sealed class QuartetTimes
{
    private long _rotation, _quantization, _gemm, _rest;

    /// <summary>Hadamard rotations (forward, backward and the inverse Hᵀ).</summary>
    public TimeSpan Rotation => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _rotation));

    /// <summary>Scales, E2M1 codes and masks.</summary>
    public TimeSpan Quantization => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _quantization));

    /// <summary>The exact MXFP4 GEMMs.</summary>
    public TimeSpan Gemm => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _gemm));

    /// <summary>Transposes and dequantization of the saved operands, the 16/9 rescale and the masks.</summary>
    public TimeSpan Rest => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _rest));

    internal T Rotate<T>(Func<T> work) => Time(ref _rotation, work);

    internal T Quantize<T>(Func<T> work) => Time(ref _quantization, work);

    internal T Multiply<T>(Func<T> work) => Time(ref _gemm, work);

    internal T Other<T>(Func<T> work) => Time(ref _rest, work);

    private static T Time<T>(ref long total, Func<T> work)
    {
        long start = Stopwatch.GetTimestamp();
        T result = work();
        Interlocked.Add(ref total, Stopwatch.GetTimestamp() - start);
        return result;
    }
}
