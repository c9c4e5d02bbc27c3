using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Training.Model;

/// <summary>The four block linears of a decoder block, in the order of the seed derivation.</summary>
internal enum BlockLinear
{
    /// <summary>Fused Q, K, V projection.</summary>
    Qkv = 0,

    /// <summary>Attention output projection.</summary>
    AttentionOutput = 1,

    /// <summary>Fused gate/up projection.</summary>
    GateUp = 2,

    /// <summary>Down projection.</summary>
    Down = 3,
}

/// <summary>The seed of each <see cref="ILinearGemms.Backward"/> call.</summary>
internal static class BackwardSeeds
{
    /// <summary>
    /// seed = SplitMix64(runSeed ⊕ key·0x9E3779B97F4A7C15).Next() with key = (step + 1)·2³² + layer·2⁸ + linear. Distinct
    /// (step, layer, linear) give distinct keys (layer &lt; 2²⁴, linear &lt; 2⁸); multiplying by an odd constant, the XOR and
    /// SplitMix64's first output are bijections of 64-bit words, so within a run every call gets a different seed. The
    /// key is never 0, so no call reuses SplitMix64(runSeed), the stream that seeds the weights and the batches.
    /// </summary>
    public static ulong For(ulong runSeed, int step, int layer, BlockLinear linear)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, 1 << 24);
        ulong key = ((ulong)(step + 1) << 32) | ((ulong)layer << 8) | (ulong)linear;
        return new SplitMix64(runSeed ^ (key * 0x9E3779B97F4A7C15UL)).Next();
    }
}
