namespace Fp4Sim.Gpu;

/// <summary>
/// The GPU path cannot run: no driver, no NVRTC, a kernel that does not compile, a failed CUDA call. The message is one
/// line naming the cause (the CLI prints it as <c>fp4sim: gpu: …</c> and exits 2); the CPU paths are unaffected.
/// </summary>
public sealed class GpuException(string message) : Exception(message);
