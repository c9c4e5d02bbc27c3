namespace Fp4Sim.Gpu;

/// <summary>
/// The GPU path cannot run: no CUDA driver or device for ILGPU, an accelerator ILGPU cannot set up. The message is one
/// line naming the cause (the CLI prints it as <c>fp4sim: gpu: …</c> and exits 3); the CPU paths are unaffected.
/// </summary>
public sealed class GpuException(string message) : Exception(message);
