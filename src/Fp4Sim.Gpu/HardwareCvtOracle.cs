using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Fp4Sim.Gpu.Kernels;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Fp4Sim.Gpu;

/// <summary>Which devices can run a hardware conversion.</summary>
public enum HardwareCvtGroup
{
    /// <summary>The FP8 pair conversions: sm_89 with PTX ISA 8.1, and every later architecture (ordinary PTX, JIT-compatible upward).</summary>
    Fp8,
    /// <summary>
    /// The FP4, FP6 and E8M0 pair conversions: PTX ISA 8.6+, only architecture-specific targets (sm_100a, sm_101a, sm_120a;
    /// sm_103a and sm_121a from PTX ISA 8.8): PTX for an "a" target runs on that compute capability alone.
    /// </summary>
    ArchSpecific,
}

/// <summary>
/// One NVIDIA hardware conversion and the reference mode that should agree with it.
/// </summary>
/// <param name="Ptx">The instruction as written in the kernel, e.g. <c>cvt.rn.satfinite.e4m3x2.f32</c>.</param>
/// <param name="Kernel">The <see cref="HardwareCvtKernels"/> method that emits it.</param>
/// <param name="Format">The catalogue format of one converted element.</param>
/// <param name="Context">The reference's rounding and overflow mode for this instruction.</param>
/// <param name="Group">Which targets carry the instruction.</param>
public sealed record HardwareCvtInstruction(string Ptx, string Kernel, FormatInfo Format, RoundingContext Context, HardwareCvtGroup Group)
{
    private static readonly RoundingContext RneSaturate = new(RoundingMode.Rne, OverflowMode.Saturate);

    /// <summary>
    /// Every float32-pair conversion PTX has for these formats. The FP8/FP4/FP6 forms exist only with .satfinite (there is
    /// no non-saturating f32 source form); E8M0 has .rz and .rp, each with and without .satfinite.
    /// </summary>
    public static IReadOnlyList<HardwareCvtInstruction> All { get; } =
    [
        new("cvt.rn.satfinite.e4m3x2.f32", nameof(HardwareCvtKernels.E4m3x2), KnownFormats.E4M3, RneSaturate, HardwareCvtGroup.Fp8),
        new("cvt.rn.satfinite.e5m2x2.f32", nameof(HardwareCvtKernels.E5m2x2), KnownFormats.E5M2, RneSaturate, HardwareCvtGroup.Fp8),
        new("cvt.rn.satfinite.e2m1x2.f32", nameof(HardwareCvtKernels.E2m1x2), KnownFormats.E2M1, RneSaturate, HardwareCvtGroup.ArchSpecific),
        new("cvt.rn.satfinite.e2m3x2.f32", nameof(HardwareCvtKernels.E2m3x2), KnownFormats.E2M3, RneSaturate, HardwareCvtGroup.ArchSpecific),
        new("cvt.rn.satfinite.e3m2x2.f32", nameof(HardwareCvtKernels.E3m2x2), KnownFormats.E3M2, RneSaturate, HardwareCvtGroup.ArchSpecific),
        new("cvt.rz.ue8m0x2.f32", nameof(HardwareCvtKernels.Ue8m0x2Rz), KnownFormats.E8M0,
            new RoundingContext(RoundingMode.Rtz, OverflowMode.Ieee), HardwareCvtGroup.ArchSpecific),
        new("cvt.rz.satfinite.ue8m0x2.f32", nameof(HardwareCvtKernels.Ue8m0x2RzSatfinite), KnownFormats.E8M0,
            new RoundingContext(RoundingMode.Rtz, OverflowMode.Saturate), HardwareCvtGroup.ArchSpecific),
        new("cvt.rp.ue8m0x2.f32", nameof(HardwareCvtKernels.Ue8m0x2Rp), KnownFormats.E8M0,
            new RoundingContext(RoundingMode.Rup, OverflowMode.Ieee), HardwareCvtGroup.ArchSpecific),
        new("cvt.rp.satfinite.ue8m0x2.f32", nameof(HardwareCvtKernels.Ue8m0x2RpSatfinite), KnownFormats.E8M0,
            new RoundingContext(RoundingMode.Rup, OverflowMode.Saturate), HardwareCvtGroup.ArchSpecific),
    ];

    /// <summary>The reference mode in fp4sim's words, e.g. <c>e4m3 rne saturate</c>.</summary>
    public string ReferenceMode =>
        $"{Format.Name} {RoundingNames.Name(Context.Mode)} {Context.Overflow.ToString().ToLowerInvariant()}";
}

/// <summary>A PTX <c>.target</c> and <c>.version</c> pair.</summary>
/// <param name="Target">e.g. <c>sm_89</c> or <c>sm_100a</c>.</param>
/// <param name="Major">PTX ISA major version.</param>
/// <param name="Minor">PTX ISA minor version.</param>
public readonly record struct PtxTarget(string Target, int Major, int Minor)
{
    /// <summary>The version as PTX writes it, e.g. <c>8.6</c>.</summary>
    public string Version => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}

/// <summary>
/// The hardware conversions (<see cref="HardwareCvtKernels"/>) on a CUDA <see cref="IlgpuSession"/>, as an oracle for the
/// reference encoder (the session's context, accelerator and device buffers, as every kernel family uses them).
/// <para>
/// ILGPU 1.5.3 writes <c>.target sm_80</c> for every architecture from sm_80 up, and the driver refuses these
/// instructions there. So each kernel is compiled by the accelerator's own PTX backend, its <c>.target</c> (and, where the
/// instruction needs a newer one, <c>.version</c>) line is rewritten (<see cref="Retarget(string, PtxTarget)"/>), and the
/// rewritten text is wrapped in a new <see cref="PTXCompiledKernel"/> that
/// <see cref="Accelerator.LoadAutoGroupedKernel(CompiledKernel)"/> hands to the driver's JIT. ILGPU 1.5.3 has no public
/// way to build a PTXCompiledKernel from text: its constructor and <see cref="CompiledKernel"/>'s EntryPoint are internal,
/// reached here by reflection (<see cref="WithAssembly"/>), which pins this route to ILGPU 1.5.3's internals.
/// </para>
/// Every failure to load is a one-line <see cref="GpuException"/>.
/// </summary>
public sealed class HardwareCvtOracle
{
    private readonly IlgpuSession _session;
    private readonly CudaAccelerator _accelerator;
    private readonly Dictionary<string, Action<AcceleratorStream, Index1D, ArrayView<uint>, ArrayView<byte>>> _loaded = [];

    /// <summary>The oracle on <paramref name="session"/>'s CUDA device (the caller keeps and disposes the session).</summary>
    /// <exception cref="GpuException">The session is not on CUDA: the instructions exist only there.</exception>
    public HardwareCvtOracle(IlgpuSession session)
    {
        _session = session;
        _accelerator = session.Accelerator as CudaAccelerator
            ?? throw new GpuException($"hardware cvt oracle: needs a CUDA accelerator, not {session.DeviceName}");
    }

    /// <summary>The device name as ILGPU reports it.</summary>
    public string DeviceName => _accelerator.Name;

    /// <summary>The device's compute capability, e.g. (9, 0).</summary>
    public (int Major, int Minor) ComputeCapability => (_accelerator.Architecture.Major, _accelerator.Architecture.Minor);

    /// <summary>
    /// The PTX target and version an instruction needs on a device of compute capability
    /// <paramref name="major"/>.<paramref name="minor"/>, or null where that device has no such instruction. The version is
    /// the instruction's (or the target's) minimum; <see cref="Retarget(string, PtxTarget)"/> never lowers ILGPU's own.
    /// </summary>
    public static PtxTarget? TargetFor(HardwareCvtInstruction instruction, int major, int minor) => instruction.Group switch
    {
        // sm_89 PTX is JIT-compiled for any later device: one target for Ada, Hopper, Blackwell and beyond. The f32 → FP8
        // pair conversions need PTX ISA 8.1 on sm_89 (7.8 allowed them on sm_90 only).
        HardwareCvtGroup.Fp8 => major * 10 + minor >= 89 ? new PtxTarget("sm_89", 8, 1) : null,
        // PTX ISA 8.6 lists sm_100a, sm_101a and sm_120a for these; sm_120a itself is a PTX ISA 8.7 target. Later PTX ISA
        // versions give them to every member of the sm_100/sm_120 families, whose other "a" targets (sm_103a, sm_121a) need
        // PTX ISA 8.8.
        _ => (major, minor) switch
        {
            (10, 0) => new PtxTarget("sm_100a", 8, 6),
            (10, 1) => new PtxTarget("sm_101a", 8, 6),
            (10, 3) => new PtxTarget("sm_103a", 8, 8),
            (12, 0) => new PtxTarget("sm_120a", 8, 7),
            (12, 1) => new PtxTarget("sm_121a", 8, 8),
            _ => null,
        },
    };

    /// <summary>Whether <paramref name="device"/> can run <paramref name="instruction"/> (from its compute capability).</summary>
    public static bool IsAvailable(HardwareCvtInstruction instruction, CudaDevice device) =>
        device.Architecture is { } a && TargetFor(instruction, a.Major, a.Minor) is not null;

    /// <summary>Whether this oracle's device can run <paramref name="instruction"/>.</summary>
    public bool IsAvailable(HardwareCvtInstruction instruction) =>
        TargetFor(instruction, ComputeCapability.Major, ComputeCapability.Minor) is not null;

    /// <summary>
    /// Converts float32 bit patterns with <paramref name="instruction"/>, one code per byte in <paramref name="codes"/>.
    /// </summary>
    /// <exception cref="GpuException">The device lacks the instruction, or the driver refused the rewritten PTX.</exception>
    public void Convert(HardwareCvtInstruction instruction, ReadOnlySpan<uint> inputBits, Span<byte> codes)
    {
        if (codes.Length != inputBits.Length) throw new ArgumentException("codes and inputs differ in length");
        if (inputBits.Length == 0) return;
        var kernel = Load(instruction);
        int pairs = (inputBits.Length + 1) / 2;
        ArrayView<uint> input = _session.Buffer<uint>("cvt.bits", 2L * pairs);
        ArrayView<byte> output = _session.Buffer<byte>("cvt.codes", 2L * pairs);
        input.MemSetToZero(); // the odd element's partner
        input.SubView(0, inputBits.Length).CopyFromCPU(ref MemoryMarshal.GetReference(inputBits), inputBits.Length);
        kernel(_accelerator.DefaultStream, pairs, input, output);
        _accelerator.Synchronize();
        output.SubView(0, codes.Length).CopyToCPU(ref MemoryMarshal.GetReference(codes), codes.Length);
    }

    /// <summary>
    /// Compiles <paramref name="instruction"/>'s kernel with <paramref name="backend"/> (no device needed) and returns the
    /// PTX with its target rewritten for <paramref name="target"/>, and the compiled kernel that ILGPU produced.
    /// </summary>
    public static (string Ptx, PTXCompiledKernel Compiled) CompilePtx(PTXBackend backend, HardwareCvtInstruction instruction, PtxTarget target)
    {
        var compiled = (PTXCompiledKernel)backend.Compile(
            EntryPointDescription.FromImplicitlyGroupedKernel(HardwareCvtKernels.EntryPoint(instruction.Kernel)), default);
        return (Retarget(compiled.PTXAssembly, target), compiled);
    }

    /// <summary>
    /// Replaces the one <c>.target</c> line by <paramref name="target"/>'s and raises the one <c>.version</c> line to its
    /// version where ILGPU's is lower (never lowers it: ILGPU's text may use what its own version allows).
    /// </summary>
    /// <exception cref="InvalidOperationException">The text lacks exactly one line of either kind (a changed ILGPU).</exception>
    public static string Retarget(string ptx, PtxTarget target)
    {
        string[] lines = ptx.Split('\n');
        int targetLine = SingleLine(lines, ".target ");
        int versionLine = SingleLine(lines, ".version ");
        lines[targetLine] = $".target {target.Target}";
        string[] version = lines[versionLine][".version ".Length..].Trim().Split('.');
        (int major, int minor) = (int.Parse(version[0], CultureInfo.InvariantCulture), int.Parse(version[1], CultureInfo.InvariantCulture));
        if ((major, minor).CompareTo((target.Major, target.Minor)) < 0) lines[versionLine] = $".version {target.Version}";
        return string.Join('\n', lines);
    }

    /// <summary>
    /// A copy of <paramref name="kernel"/> carrying <paramref name="ptx"/> instead of its own text: the same entry point and
    /// kernel info, so ILGPU's launcher (argument layout, grouping) is the one it built for the original.
    /// </summary>
    /// <exception cref="InvalidOperationException">This ILGPU version lacks the internal members used (not 1.5.3).</exception>
    public static PTXCompiledKernel WithAssembly(PTXCompiledKernel kernel, string ptx)
    {
        const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
        PropertyInfo? entryPoint = typeof(CompiledKernel).GetProperty("EntryPoint", Internal);
        ConstructorInfo? constructor = typeof(PTXCompiledKernel).GetConstructor(Internal, null,
            [typeof(Context), typeof(EntryPoint), typeof(CompiledKernel.KernelInfo), typeof(string)], null);
        if (entryPoint is null || constructor is null)
        {
            throw new InvalidOperationException(
                "ILGPU's internal PTXCompiledKernel(Context, EntryPoint, KernelInfo, string) is not there (ILGPU 1.5.3 expected)");
        }
        return (PTXCompiledKernel)constructor.Invoke([kernel.Context, entryPoint.GetValue(kernel), kernel.Info, ptx]);
    }

    private Action<AcceleratorStream, Index1D, ArrayView<uint>, ArrayView<byte>> Load(HardwareCvtInstruction instruction)
    {
        if (_loaded.TryGetValue(instruction.Kernel, out var loaded)) return loaded;
        (int major, int minor) = ComputeCapability;
        PtxTarget target = TargetFor(instruction, major, minor)
            ?? throw new GpuException($"{instruction.Ptx}: not on compute capability {major}.{minor} ({Needs(instruction.Group)})");
        try
        {
            (string ptx, PTXCompiledKernel compiled) = CompilePtx(_accelerator.Backend, instruction, target);
            Kernel kernel = _accelerator.LoadAutoGroupedKernel(WithAssembly(compiled, ptx));
            var launcher = kernel.CreateLauncherDelegate<Action<AcceleratorStream, Index1D, ArrayView<uint>, ArrayView<byte>>>();
            _loaded[instruction.Kernel] = launcher;
            return launcher;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not GpuException)
        {
            string cause = $"{e.GetType().Name}: {IlgpuSession.FirstLine(e.Message)}";
            throw new GpuException($"{instruction.Ptx} for {target.Target} (PTX {target.Version}): {cause}");
        }
    }

    /// <summary>What a device needs for <paramref name="group"/>, in words.</summary>
    public static string Needs(HardwareCvtGroup group) =>
        group == HardwareCvtGroup.Fp8 ? "needs sm_89 or later" : "needs compute capability 10.0, 10.1, 10.3, 12.0 or 12.1";

    private static int SingleLine(string[] lines, string prefix)
    {
        int[] found = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        return found.Length == 1
            ? found[0]
            : throw new InvalidOperationException($"expected one '{prefix.Trim()}' line in ILGPU's PTX, found {found.Length}");
    }
}
