using Fp4Sim.Gpu.Kernels;
using ILGPU;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Xunit.Abstractions;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>
/// The hardware-conversion kernels compile to PTX with no device (ILGPU's PTX backend is managed code), and the target
/// rewrite gives text the driver would accept for those instructions: the exact <c>cvt</c> line, the rewritten
/// <c>.target</c>/<c>.version</c>, no <c>.target sm_80</c> left. No PTX assembler exists here, so whether ptxas accepts
/// the text is not checked; the GPU run of <see cref="HardwareCvtCheck"/> is where it would fail.
/// </summary>
public sealed class HardwareCvtPtxTests(ITestOutputHelper output)
{
    public static TheoryData<string> Instructions => new(HardwareCvtInstruction.All.Select(i => i.Ptx));

    public static TheoryData<string, int, int> InstructionsAndDevices
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (HardwareCvtInstruction i in HardwareCvtInstruction.All)
            {
                if (i.Group == HardwareCvtGroup.Fp8) data.Add(i.Ptx, 9, 0);
                else
                {
                    data.Add(i.Ptx, 10, 0);
                    data.Add(i.Ptx, 10, 3);
                    data.Add(i.Ptx, 12, 0);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(InstructionsAndDevices))]
    public void Kernel_compiles_and_is_retargeted(string ptxName, int major, int minor)
    {
        HardwareCvtInstruction instruction = HardwareCvtInstruction.All.Single(i => i.Ptx == ptxName);
        PtxTarget target = HardwareCvtOracle.TargetFor(instruction, major, minor)!.Value;
        using Context context = Context.Create(b => b.CPU());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        (string ptx, PTXCompiledKernel compiled) = HardwareCvtOracle.CompilePtx(backend, instruction, target);
        output.WriteLine(ptx);

        Assert.Contains(".target sm_80\n", compiled.PTXAssembly); // ILGPU's own line, the reason for the rewrite
        Assert.DoesNotContain(".target sm_80", ptx);
        Assert.Contains($"\n.target {target.Target}\n", ptx);
        Assert.Contains(".version 8.0\n", compiled.PTXAssembly);
        Assert.Contains($"\n.version {target.Version}\n", ptx); // raised: FP8 on sm_89 needs 8.1, the others 8.6 and up
        Assert.Single(ptx.Split('\n'), l => l.Contains(instruction.Ptx + " hw, ", StringComparison.Ordinal));
        Assert.Contains($".visible .entry Kernel_{instruction.Kernel}(", ptx);
        // Only the two header lines change (every version written has the same length as ILGPU's 8.0).
        Assert.Equal(compiled.PTXAssembly.Length - ".target sm_80".Length + $".target {target.Target}".Length, ptx.Length);
    }

    [Fact]
    public void The_rewritten_text_travels_in_a_compiled_kernel_ilgpu_can_load()
    {
        // The one step of the device route that needs ILGPU internals, checked here without a device.
        HardwareCvtInstruction instruction = HardwareCvtInstruction.All[0];
        using Context context = Context.Create(b => b.CPU());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        (string ptx, PTXCompiledKernel compiled) = HardwareCvtOracle.CompilePtx(backend, instruction, new PtxTarget("sm_89", 8, 1));
        PTXCompiledKernel copy = HardwareCvtOracle.WithAssembly(compiled, ptx);
        Assert.Same(ptx, copy.PTXAssembly);
        Assert.Equal(compiled.Name, copy.Name);
        Assert.Equal(compiled.NumParameters, copy.NumParameters);
        Assert.Equal(compiled.IndexType, copy.IndexType);
        Assert.Same(compiled.Info, copy.Info);
        Assert.Same(compiled.Context, copy.Context);
    }

    [Theory]
    [InlineData(8, 6, null, null)]
    [InlineData(8, 9, "sm_89", null)]
    [InlineData(9, 0, "sm_89", null)]
    [InlineData(10, 0, "sm_89", "sm_100a")]
    [InlineData(10, 1, "sm_89", "sm_101a")]
    [InlineData(10, 3, "sm_89", "sm_103a")]
    [InlineData(11, 0, "sm_89", null)]
    [InlineData(12, 0, "sm_89", "sm_120a")]
    [InlineData(12, 1, "sm_89", "sm_121a")]
    public void Targets_follow_the_compute_capability(int major, int minor, string? fp8, string? archSpecific)
    {
        foreach (HardwareCvtInstruction i in HardwareCvtInstruction.All)
        {
            string? expected = i.Group == HardwareCvtGroup.Fp8 ? fp8 : archSpecific;
            Assert.Equal(expected, HardwareCvtOracle.TargetFor(i, major, minor)?.Target);
        }
    }

    [Fact]
    public void Retarget_raises_the_version_only_where_needed_and_refuses_unexpected_text()
    {
        const string Header = "//\n.version 8.0\n.target sm_80\n.address_size 64\n";
        Assert.Equal("//\n.version 8.0\n.target sm_90\n.address_size 64\n", HardwareCvtOracle.Retarget(Header, new("sm_90", 7, 8)));
        Assert.Equal("//\n.version 8.1\n.target sm_89\n.address_size 64\n", HardwareCvtOracle.Retarget(Header, new("sm_89", 8, 1)));
        Assert.Equal("//\n.version 8.6\n.target sm_100a\n.address_size 64\n", HardwareCvtOracle.Retarget(Header, new("sm_100a", 8, 6)));
        Assert.Throws<InvalidOperationException>(() => HardwareCvtOracle.Retarget(".version 8.0\n", new("sm_89", 7, 8)));
        Assert.Throws<InvalidOperationException>(() => HardwareCvtOracle.Retarget(Header + ".target sm_80\n", new("sm_89", 7, 8)));
    }

    [Fact]
    public void On_the_cpu_accelerator_the_kernels_run_but_write_nothing()
    {
        // CudaAsm.IsSupported is false off CUDA: the kernels return before the inline PTX, leaving the output as it was.
        using Context context = Context.Create(b => b.CPU());
        using Accelerator cpu = context.CreateCPUAccelerator(0);
        using MemoryBuffer1D<uint, Stride1D.Dense> bits = cpu.Allocate1D([0x3F800000u, 0x40000000u]);
        using MemoryBuffer1D<byte, Stride1D.Dense> codes = cpu.Allocate1D<byte>([0xAB, 0xCD]);
        foreach (HardwareCvtInstruction i in HardwareCvtInstruction.All)
        {
            // Loaded as the oracle loads on CUDA (a Kernel, then the launcher delegate type it asks for), so the delegate's
            // shape is checked here too.
            using Kernel kernel = cpu.LoadAutoGroupedKernel(HardwareCvtKernels.EntryPoint(i.Kernel));
            var launch = kernel.CreateLauncherDelegate<Action<AcceleratorStream, Index1D, ArrayView<uint>, ArrayView<byte>>>();
            launch(cpu.DefaultStream, 1, bits.View, codes.View);
            cpu.Synchronize();
            Assert.Equal([0xAB, 0xCD], codes.GetAsArray1D());
        }
    }

    [Fact]
    public void Off_cuda_the_oracle_is_refused_in_one_line()
    {
        using IlgpuSession cpu = IlgpuSession.Open(AcceleratorKind.Cpu);
        GpuException e = Assert.Throws<GpuException>(() => new HardwareCvtOracle(cpu));
        Assert.StartsWith("hardware cvt oracle: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        output.WriteLine(e.Message);
        if (IlgpuSession.CudaUnavailableReason() is null) return; // a machine with CUDA: the CUDA session opens
        GpuException noDevice = Assert.Throws<GpuException>(() => IlgpuSession.Open(AcceleratorKind.Cuda));
        Assert.DoesNotContain('\n', noDevice.Message);
    }
}
