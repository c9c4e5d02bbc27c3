using System.Diagnostics;
using System.Runtime.InteropServices;
using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Fp4Sim.Gpu;

/// <summary>Which ILGPU accelerator runs the kernels.</summary>
public enum AcceleratorKind
{
    /// <summary>CUDA device 0 (the kernels compiled to PTX by ILGPU).</summary>
    Cuda,
    /// <summary>ILGPU's CPU accelerator: the same kernel code, threads emulated on the CPU (slow; for tests and CI).</summary>
    Cpu,
}

/// <summary>
/// An ILGPU context on one accelerator with the cast kernels (<see cref="CastKernels"/>) loaded. Methods copy the inputs
/// in, run one kernel, copy the results out, and return the kernel time in seconds (transfers excluded).
/// Every failure to open is a one-line <see cref="GpuException"/>.
/// </summary>
public sealed class IlgpuCast : IDisposable
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, KernelCast, ulong, ArrayView<uint>, ArrayView<byte>> _encode;
    private readonly Action<Index1D, KernelCast, ArrayView<byte>, ArrayView<uint>> _decode;

    /// <summary>The accelerator kind this context runs on.</summary>
    public AcceleratorKind Kind { get; }

    /// <summary>The accelerator's name as ILGPU reports it.</summary>
    public string DeviceName => _accelerator.Name;

    private IlgpuCast(Context context, Accelerator accelerator, AcceleratorKind kind)
    {
        _context = context;
        _accelerator = accelerator;
        Kind = kind;
        _encode = accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelCast, ulong, ArrayView<uint>, ArrayView<byte>>(CastKernels.Encode);
        _decode = accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelCast, ArrayView<byte>, ArrayView<uint>>(CastKernels.Decode);
    }

    /// <summary>Parses cuda|cpu.</summary>
    public static AcceleratorKind ParseKind(string text) => text.ToLowerInvariant() switch
    {
        "cuda" => AcceleratorKind.Cuda,
        "cpu" => AcceleratorKind.Cpu,
        _ => throw new FormatException($"unknown accelerator '{text}' (expected cuda or cpu)"),
    };

    /// <summary>Why no CUDA accelerator can be opened here (ILGPU lists no CUDA device), or null when one exists.</summary>
    public static string? CudaUnavailableReason()
    {
        try
        {
            using Context context = Context.Create(b => b.Cuda());
            return context.GetCudaDevices().Count > 0 ? null : "ILGPU finds no CUDA device";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"ILGPU cannot use CUDA ({e.GetType().Name}: {FirstLine(e.Message)})";
        }
    }

    /// <summary>Opens a context on the first accelerator of the given kind and loads the kernels.</summary>
    /// <exception cref="GpuException">No such accelerator, or ILGPU failed to set it up.</exception>
    public static IlgpuCast Open(AcceleratorKind kind)
    {
        Context? context = null;
        try
        {
            context = kind == AcceleratorKind.Cuda ? Context.Create(b => b.Cuda()) : Context.Create(b => b.CPU());
            Accelerator accelerator;
            if (kind == AcceleratorKind.Cuda)
            {
                if (context.GetCudaDevices().Count == 0) throw new GpuException("ILGPU finds no CUDA device");
                accelerator = context.CreateCudaAccelerator(0);
            }
            else
            {
                accelerator = context.CreateCPUAccelerator(0);
            }
            try
            {
                return new IlgpuCast(context, accelerator, kind);
            }
            catch
            {
                accelerator.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is not GpuException and not OutOfMemoryException)
        {
            context?.Dispose();
            throw new GpuException($"ILGPU {kind.ToString().ToLowerInvariant()} accelerator: {e.GetType().Name}: {FirstLine(e.Message)}");
        }
        catch
        {
            context?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Encodes float32 bit patterns into <paramref name="codes"/> (one byte per code; formats of at most 8 bits). For
    /// <see cref="RoundingMode.Sr"/>, element i uses StochasticBits.For(<paramref name="seed"/>, <paramref name="firstIndex"/> + i)
    /// (the context's own RandomBits are ignored).
    /// </summary>
    public double Encode(FormatInfo format, RoundingContext ctx, ReadOnlySpan<uint> inputBits, Span<byte> codes,
        ulong seed = 0, ulong firstIndex = 0)
    {
        if (format.TotalBits > 8) throw new ArgumentException($"format {format.Name} has {format.TotalBits} bits; codes travel one per byte");
        if (codes.Length != inputBits.Length) throw new ArgumentException("codes and inputs differ in length");
        var cast = new KernelCast(format, ctx, seed);
        if (inputBits.Length == 0) return 0;
        using MemoryBuffer1D<uint, Stride1D.Dense> input = _accelerator.Allocate1D<uint>(inputBits.Length);
        using MemoryBuffer1D<byte, Stride1D.Dense> output = _accelerator.Allocate1D<byte>(codes.Length);
        input.View.CopyFromCPU(ref MemoryMarshal.GetReference(inputBits), inputBits.Length);
        _accelerator.Synchronize();
        long start = Stopwatch.GetTimestamp();
        _encode(inputBits.Length, cast, firstIndex, input.View, output.View);
        _accelerator.Synchronize();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        output.View.CopyToCPU(ref MemoryMarshal.GetReference(codes), codes.Length);
        return seconds;
    }

    /// <summary>Decodes codes (one per byte; formats of at most 8 bits) to float32 bit patterns, as Decoder.DecodeToSingle.</summary>
    public double Decode(FormatInfo format, ReadOnlySpan<byte> codes, Span<uint> outputBits)
    {
        if (format.TotalBits > 8) throw new ArgumentException($"format {format.Name} has {format.TotalBits} bits; codes travel one per byte");
        if (codes.Length != outputBits.Length) throw new ArgumentException("codes and outputs differ in length");
        var cast = new KernelCast(format, RoundingContext.Default);
        if (codes.Length == 0) return 0;
        using MemoryBuffer1D<byte, Stride1D.Dense> input = _accelerator.Allocate1D<byte>(codes.Length);
        using MemoryBuffer1D<uint, Stride1D.Dense> output = _accelerator.Allocate1D<uint>(outputBits.Length);
        input.View.CopyFromCPU(ref MemoryMarshal.GetReference(codes), codes.Length);
        _accelerator.Synchronize();
        long start = Stopwatch.GetTimestamp();
        _decode(codes.Length, cast, input.View, output.View);
        _accelerator.Synchronize();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        output.View.CopyToCPU(ref MemoryMarshal.GetReference(outputBits), outputBits.Length);
        return seconds;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
