using System.Runtime.InteropServices;
using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using ILGPU;
using ILGPU.Runtime;

namespace Fp4Sim.Gpu;

/// <summary>
/// The element cast kernels (<see cref="CastKernels"/>) on an <see cref="IlgpuSession"/>. Methods copy the inputs in, run
/// one kernel, copy the results out, and return the kernel time in seconds (transfers excluded); device buffers are the
/// session's, reused between calls.
/// </summary>
public sealed class IlgpuCast : IDisposable
{
    private readonly IlgpuSession _session;
    private readonly bool _ownsSession;
    private readonly Action<Index1D, int, KernelCast, ulong, ArrayView<uint>, ArrayView<byte>> _encode;
    private readonly Action<Index1D, int, KernelCast, ArrayView<byte>, ArrayView<uint>> _decode;

    /// <summary>Loads the cast kernels on <paramref name="session"/> (which the caller keeps and disposes).</summary>
    public IlgpuCast(IlgpuSession session) : this(session, ownsSession: false)
    {
    }

    private IlgpuCast(IlgpuSession session, bool ownsSession)
    {
        _session = session;
        _ownsSession = ownsSession;
        Accelerator a = session.Accelerator;
        _encode = a.LoadAutoGroupedStreamKernel<Index1D, int, KernelCast, ulong, ArrayView<uint>, ArrayView<byte>>(CastKernels.Encode);
        _decode = a.LoadAutoGroupedStreamKernel<Index1D, int, KernelCast, ArrayView<byte>, ArrayView<uint>>(CastKernels.Decode);
    }

    /// <summary>The session the kernels run on.</summary>
    public IlgpuSession Session => _session;

    /// <summary>The accelerator kind this context runs on.</summary>
    public AcceleratorKind Kind => _session.Kind;

    /// <summary>The accelerator's name as ILGPU reports it.</summary>
    public string DeviceName => _session.DeviceName;

    /// <summary>Opens a session of its own on the first accelerator of the given kind and loads the kernels.</summary>
    /// <exception cref="GpuException">No such accelerator, or ILGPU failed to set it up.</exception>
    public static IlgpuCast Open(AcceleratorKind kind)
    {
        IlgpuSession session = IlgpuSession.Open(kind);
        try
        {
            return new IlgpuCast(session, ownsSession: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            session.Dispose();
            string name = kind.ToString().ToLowerInvariant();
            throw new GpuException($"ILGPU {name} accelerator: {e.GetType().Name}: {IlgpuSession.FirstLine(e.Message)}");
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
        CheckByteCodes(format);
        if (codes.Length != inputBits.Length) throw new ArgumentException("codes and inputs differ in length");
        var cast = new KernelCast(format, ctx, seed);
        if (inputBits.Length == 0) return 0;
        ArrayView<uint> input = _session.Buffer<uint>("cast.bits", inputBits.Length);
        ArrayView<byte> output = _session.Buffer<byte>("cast.codes", codes.Length);
        input.CopyFromCPU(ref MemoryMarshal.GetReference(inputBits), inputBits.Length);
        int threads = _session.GridThreads(inputBits.Length);
        double seconds = _session.Time(() => _encode(threads, threads, cast, firstIndex, input, output));
        output.CopyToCPU(ref MemoryMarshal.GetReference(codes), codes.Length);
        return seconds;
    }

    /// <summary>Decodes codes (one per byte; formats of at most 8 bits) to float32 bit patterns, as Decoder.DecodeToSingle.</summary>
    public double Decode(FormatInfo format, ReadOnlySpan<byte> codes, Span<uint> outputBits)
    {
        CheckByteCodes(format);
        if (codes.Length != outputBits.Length) throw new ArgumentException("codes and outputs differ in length");
        var cast = new KernelCast(format, RoundingContext.Default);
        if (codes.Length == 0) return 0;
        ArrayView<byte> input = _session.Buffer<byte>("cast.codes", codes.Length);
        ArrayView<uint> output = _session.Buffer<uint>("cast.bits", outputBits.Length);
        input.CopyFromCPU(ref MemoryMarshal.GetReference(codes), codes.Length);
        int threads = _session.GridThreads(codes.Length);
        double seconds = _session.Time(() => _decode(threads, threads, cast, input, output));
        output.CopyToCPU(ref MemoryMarshal.GetReference(outputBits), outputBits.Length);
        return seconds;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsSession) _session.Dispose();
    }

    private static void CheckByteCodes(FormatInfo format)
    {
        if (format.TotalBits > 8) throw new ArgumentException($"format {format.Name} has {format.TotalBits} bits; codes travel one per byte");
    }
}
