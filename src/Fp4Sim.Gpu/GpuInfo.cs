using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Fp4Sim.Gpu;

/// <summary>What <c>fp4sim gpu info</c> reports about CUDA device 0, as ILGPU's CUDA runtime sees it.</summary>
/// <param name="Name">The device name.</param>
/// <param name="ComputeCapabilityMajor">Compute capability, major.</param>
/// <param name="ComputeCapabilityMinor">Compute capability, minor.</param>
/// <param name="TotalMemoryBytes">Device memory.</param>
/// <param name="Multiprocessors">Streaming multiprocessors.</param>
/// <param name="DriverVersion">The CUDA version the driver supports, "major.minor".</param>
/// <param name="IlgpuVersion">The version of the ILGPU assembly that compiles and launches the kernels, e.g. "1.5.3".</param>
/// <param name="BandwidthGBps">Theoretical memory bandwidth: 2 transfers per memory clock × bus width (0 where the driver reports no clock).</param>
public sealed record GpuInfo(
    string Name, int ComputeCapabilityMajor, int ComputeCapabilityMinor, long TotalMemoryBytes, int Multiprocessors,
    string DriverVersion, string IlgpuVersion, double BandwidthGBps)
{
    /// <summary>ILGPU's assembly version, major.minor.patch.</summary>
    public static string IlgpuAssemblyVersion { get; } = typeof(Context).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>Describes CUDA device 0 through ILGPU (a context with the CUDA runtime; no accelerator, no kernel).</summary>
    /// <exception cref="GpuException">ILGPU lists no CUDA device, or cannot use CUDA at all (no driver).</exception>
    public static GpuInfo Query()
    {
        try
        {
            using Context context = Context.Create(b => b.Cuda());
            var devices = context.GetCudaDevices();
            if (devices.Count == 0) throw new GpuException(IlgpuSession.NoCudaDevice);
            CudaDevice device = devices[0];
            (int major, int minor) = ComputeCapability(device);
            // MemoryClockRate is the driver's CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, in kHz; MemoryBusWidth is in bits.
            double bandwidth = 2.0 * device.MemoryClockRate * 1e3 * device.MemoryBusWidth / 8 / 1e9;
            return new GpuInfo(device.Name, major, minor, device.MemorySize, device.NumMultiprocessors,
                $"{device.DriverVersion.Major}.{device.DriverVersion.Minor}", IlgpuAssemblyVersion, bandwidth);
        }
        catch (Exception e) when (e is not GpuException and not OutOfMemoryException)
        {
            throw new GpuException(IlgpuSession.CannotUseCuda(e));
        }
    }

    /// <summary>
    /// ILGPU's architecture where it knows the device's (it has none for compute capabilities newer than its table), else
    /// the driver's compute capability through ILGPU's CUDA API.
    /// </summary>
    private static (int Major, int Minor) ComputeCapability(CudaDevice device)
    {
        if (device.Architecture is { } architecture) return (architecture.Major, architecture.Minor);
        CudaError error = CudaAPI.CurrentAPI.GetDeviceComputeCapability(out int major, out int minor, device.DeviceId);
        if (error != CudaError.CUDA_SUCCESS) throw new GpuException($"ILGPU cannot read the compute capability of CUDA device 0 ({error})");
        return (major, minor);
    }
}
