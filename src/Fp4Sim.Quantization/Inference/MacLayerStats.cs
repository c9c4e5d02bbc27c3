using Fp4Sim.Numerics.Gemm;

using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Inference;

/// <summary>A runner of linear layers on the MAC engine that reports what each layer's accumulators did.</summary>
public interface IMacRunner : ILinearRunner
{
    /// <summary>Per layer, what its accumulators did so far.</summary>
    IReadOnlyDictionary<string, MacLayerStats> Stats { get; }
}

/// <summary>What one layer's accumulators did over a run: register events and how many outputs they touched.</summary>
public sealed class MacLayerStats
{
    private readonly object _gate = new();

    /// <summary>The layer's name.</summary>
    public string Layer { get; }

    /// <summary>The accumulator the layer ran in (its grid resolved for <c>fixed:W.grid</c>).</summary>
    public string Accumulator { get; internal set; } = "";

    /// <summary>How the layer's dots were computed: <c>fixed-point table</c>, <c>float32 adds</c> or <c>reference</c>.</summary>
    public string Path { get; internal set; } = "";

    /// <summary>Saturated and wrapped adds, skipped invalid terms, products rounded onto the grid (fixed-point registers only).</summary>
    public FixedPointCounts Counts { get; private set; }

    /// <summary>Whether <see cref="Counts"/> were counted (a fixed-point register on the fast path).</summary>
    public bool Counted { get; internal set; }

    /// <summary>Dot products computed.</summary>
    public long Outputs { get; private set; }

    /// <summary>Outputs whose register saturated or wrapped at least once.</summary>
    public long OverflowedOutputs { get; private set; }

    /// <summary>Outputs with at least one product rounded onto the grid.</summary>
    public long RoundedOutputs { get; private set; }

    /// <summary>Outputs whose register raised the invalid flag (or whose result is NaN).</summary>
    public long InvalidOutputs { get; private set; }

    /// <summary>Multiply-accumulates performed.</summary>
    public long Macs { get; private set; }

    /// <summary>An empty record for a layer.</summary>
    public MacLayerStats(string layer) => Layer = layer;

    internal void Add(FixedPointCounts counts, ReadOnlySpan<RegisterEvents> events, long macs)
    {
        long overflowed = 0, rounded = 0, invalid = 0;
        foreach (RegisterEvents e in events)
        {
            if ((e & (RegisterEvents.Saturated | RegisterEvents.Wrapped)) != 0) overflowed++;
            if ((e & RegisterEvents.Rounded) != 0) rounded++;
            if ((e & RegisterEvents.Invalid) != 0) invalid++;
        }
        lock (_gate)
        {
            Counts += counts;
            Outputs += events.Length; OverflowedOutputs += overflowed; RoundedOutputs += rounded; InvalidOutputs += invalid; Macs += macs;
        }
    }

    internal void Add(long outputs, long invalidOutputs, long macs)
    {
        lock (_gate) { Outputs += outputs; InvalidOutputs += invalidOutputs; Macs += macs; }
    }
}
