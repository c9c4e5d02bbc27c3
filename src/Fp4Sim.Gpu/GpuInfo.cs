namespace Fp4Sim.Gpu;

/// <summary>What <c>fp4sim gpu info</c> reports about device 0.</summary>
/// <param name="Name">The device name.</param>
/// <param name="ComputeCapabilityMajor">Compute capability, major.</param>
/// <param name="ComputeCapabilityMinor">Compute capability, minor.</param>
/// <param name="TotalMemoryBytes">Device memory.</param>
/// <param name="Multiprocessors">Streaming multiprocessors.</param>
/// <param name="DriverVersion">The CUDA version the driver supports, "major.minor".</param>
/// <param name="NvrtcVersion">NVRTC's version, or the reason it cannot be loaded.</param>
/// <param name="BandwidthGBps">Theoretical memory bandwidth: 2 transfers per memory clock × bus width.</param>
public sealed record GpuInfo(
    string Name, int ComputeCapabilityMajor, int ComputeCapabilityMinor, long TotalMemoryBytes, int Multiprocessors,
    string DriverVersion, string NvrtcVersion, double BandwidthGBps);
