using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Training.Quartet;

/// <summary>
/// Quantizes a stream of groups of 32 one after another (<c>fp4sim quartet quantize</c>): rotate, then quantize. The seed
/// starts a <see cref="SplitMix64"/> stream whose first output seeds the random Hadamard's signs and whose second the
/// stochastic rounding; element i of group g takes the rounding bits at stream index 32·g + i.
/// </summary>
public sealed class GroupStream
{
    private readonly QuartetMethod _method;
    private readonly HadamardRotation _rotation;
    private readonly ulong _srSeed;
    private readonly float[] _rotated = new float[HadamardRotation.Size];
    private ulong _groups;

    /// <summary>A stream quantizing with <paramref name="method"/> after the rotation <paramref name="kind"/>.</summary>
    public GroupStream(QuartetMethod method, HadamardKind kind, SignPlacement placement, ulong seed)
    {
        var streams = new SplitMix64(seed);
        ulong signSeed = streams.Next();
        _srSeed = streams.Next();
        _method = method;
        _rotation = kind switch
        {
            HadamardKind.None => HadamardRotation.None,
            HadamardKind.Fixed => HadamardRotation.Fixed,
            _ => HadamardRotation.Random(signSeed, placement),
        };
    }

    /// <summary>The rotation every group goes through.</summary>
    public HadamardRotation Rotation => _rotation;

    /// <summary>Rotates and quantizes the next group.</summary>
    /// <exception cref="ArgumentException">Not 32 values, or a NaN or infinity among them.</exception>
    public QuartetGroup Next(ReadOnlySpan<float> group)
    {
        QuartetQuantizer.CheckGroup(group);
        _rotation.RotateGroup(group, _rotated);
        QuartetGroup q = QuartetQuantizer.QuantizeGroup(_method, _rotated, _srSeed, _groups * HadamardRotation.Size);
        _groups++;
        return q;
    }
}
