using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Fp4Sim.TestSupport;

/// <summary>
/// Compiles an implicitly grouped ILGPU kernel to PTX with no device and no driver (ILGPU's PTX backend is managed code),
/// for sm_90 with PTX ISA 8.0. ILGPU 1.5.3 writes <c>.target sm_80</c> for any requested architecture from sm_80 up.
/// </summary>
public static class PtxCompiler
{
    /// <summary>The PTX text of <paramref name="kernel"/>.</summary>
    public static string Compile(MethodInfo kernel)
    {
        using Context context = Context.Create(b => b.CPU());
        var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), default);
        return compiled.PTXAssembly;
    }
}
