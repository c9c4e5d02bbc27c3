using System.Diagnostics;
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
    /// <summary>ILGPU's CPU accelerator: the same kernel code, GPU threads emulated on the CPU (for tests and CI).</summary>
    Cpu,
}

/// <summary>
/// An ILGPU context on one accelerator, shared by the kernel families (<see cref="IlgpuCast"/>, <see cref="IlgpuBlocks"/>,
/// <see cref="IlgpuGemm"/>): it opens the device, sizes grid-stride launches and keeps device buffers between calls, so a
/// run of many kernels allocates once per slot and size. Every failure to open is a one-line <see cref="GpuException"/>.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class IlgpuSession : IDisposable
{
    private readonly Context _context;
    private readonly Dictionary<(string Slot, Type Element), MemoryBuffer> _buffers = [];

    /// <summary>The accelerator kind this context runs on.</summary>
    public AcceleratorKind Kind { get; }

    /// <summary>The ILGPU accelerator (kernels are loaded on it by the kernel families).</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The accelerator's name as ILGPU reports it.</summary>
    public string DeviceName => Accelerator.Name;

    private IlgpuSession(Context context, Accelerator accelerator, AcceleratorKind kind)
    {
        _context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    /// <summary>The reason given where ILGPU's CUDA runtime loads but lists no device.</summary>
    internal const string NoCudaDevice = "ILGPU finds no CUDA device";

    /// <summary>Why no CUDA accelerator can be opened here (ILGPU lists no CUDA device), or null when one exists.</summary>
    public static string? CudaUnavailableReason()
    {
        try
        {
            using Context context = Context.Create(b => b.Cuda());
            return context.GetCudaDevices().Count > 0 ? null : NoCudaDevice;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CannotUseCuda(e);
        }
    }

    /// <summary>The one-line reason for an exception from ILGPU's CUDA runtime (e.g. no driver library).</summary>
    internal static string CannotUseCuda(Exception e) => $"ILGPU cannot use CUDA ({e.GetType().Name}: {FirstLine(e.Message)})";

    /// <summary>Opens a context on the first accelerator of the given kind.</summary>
    /// <exception cref="GpuException">No such accelerator, or ILGPU failed to set it up.</exception>
    public static IlgpuSession Open(AcceleratorKind kind)
    {
        Context? context = null;
        try
        {
            context = kind == AcceleratorKind.Cuda ? Context.Create(b => b.Cuda()) : Context.Create(b => b.CPU());
            Accelerator accelerator;
            if (kind == AcceleratorKind.Cuda)
            {
                if (context.GetCudaDevices().Count == 0) throw new GpuException(NoCudaDevice);
                accelerator = context.CreateCudaAccelerator(0);
            }
            else
            {
                accelerator = context.CreateCPUAccelerator(0);
            }
            return new IlgpuSession(context, accelerator, kind);
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
    /// Threads for a grid-stride launch over <paramref name="work"/> items: enough to fill the accelerator, never more than
    /// the work. Each kernel thread then loops over items t, t + threads, …: on a GPU this is the usual full occupancy, and
    /// on the CPU accelerator it keeps the per-thread emulation cost off the per-element path (about a thousand times
    /// faster there than one thread per element, measured).
    /// </summary>
    public int GridThreads(long work) => (int)Math.Max(1, Math.Min(work, (long)Accelerator.MaxNumThreads * (Kind == AcceleratorKind.Cuda ? 4 : 1)));

    /// <summary>A device view of <paramref name="length"/> elements in the named slot, reusing the slot's buffer when it is big enough.</summary>
    public ArrayView<T> Buffer<T>(string slot, long length) where T : unmanaged
    {
        long size = Math.Max(1, length);
        if (_buffers.TryGetValue((slot, typeof(T)), out MemoryBuffer? held) && held.Length >= size)
            return ((MemoryBuffer1D<T, Stride1D.Dense>)held).View.SubView(0, length);
        held?.Dispose();
        MemoryBuffer1D<T, Stride1D.Dense> buffer = Accelerator.Allocate1D<T>(size);
        _buffers[(slot, typeof(T))] = buffer;
        return buffer.View.SubView(0, length);
    }

    /// <summary>Runs <paramref name="launch"/> and waits for the accelerator; returns the seconds it took (transfers excluded).</summary>
    public double Time(Action launch)
    {
        Accelerator.Synchronize();
        long start = Stopwatch.GetTimestamp();
        launch();
        Accelerator.Synchronize();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (MemoryBuffer buffer in _buffers.Values) buffer.Dispose();
        _buffers.Clear();
        Accelerator.Dispose();
        _context.Dispose();
    }

    internal static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
