using Fp4Sim.Numerics.Codec;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>One ILGPU context on the CPU accelerator for the whole collection (kernel loading is the slow part).</summary>
public sealed class IlgpuCpuFixture : IDisposable
{
    /// <summary>The opened context.</summary>
    public IlgpuSession Session { get; } = IlgpuSession.Open(AcceleratorKind.Cpu);

    /// <summary>The cast kernels.</summary>
    public IlgpuCast Cast => _cast ??= new IlgpuCast(Session);

    /// <summary>The block quantization kernels.</summary>
    public IlgpuBlocks Blocks => _blocks ??= new IlgpuBlocks(Session);

    /// <summary>The MXFP4 GEMM kernel.</summary>
    public IlgpuGemm Gemm => _gemm ??= new IlgpuGemm(Session);

    private IlgpuCast? _cast;
    private IlgpuBlocks? _blocks;
    private IlgpuGemm? _gemm;

    /// <inheritdoc/>
    public void Dispose() => Session.Dispose();

    /// <summary>Counts disagreements; the message names the first counterexamples (input, reference, ILGPU result).</summary>
    public static (long Count, string Message) Compare(string what, uint[] inputs, uint[] expected, uint[] actual)
    {
        (long count, IReadOnlyList<string> first) = Counterexamples.Scan(inputs, i => expected[i], i => actual[i], "ilgpu", 5);
        return (count, $"{what}: {count} of {inputs.Length} differ; first: {string.Join("; ", first)}");
    }
}

[CollectionDefinition(Name)]
public sealed class IlgpuCpuCollection : ICollectionFixture<IlgpuCpuFixture>
{
    public const string Name = "ilgpu cpu accelerator";
}
