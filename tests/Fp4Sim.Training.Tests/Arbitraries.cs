using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;
using Fp4Sim.Training.Tests.Quartet;
using FsCheck;
using FsCheck.Fluent;

namespace Fp4Sim.Training.Tests;

/// <summary>One 32-element group to quantize: a group <see cref="N"/> of <see cref="QuartetQuantizerTests.Groups"/> (its kind is N mod 7).</summary>
public sealed record QuartetInput(int N, float[] Values)
{
    public override string ToString() => $"group {N} (kind {N % 7}): [{string.Join(", ", Values.Select(v => v.ToString("R")))}]";
}

/// <summary>A random sign vector's seed and a 32-element group to rotate.</summary>
public sealed record RotationInput(ulong SignSeed, float[] X)
{
    public override string ToString() => $"signs of seed {SignSeed}: [{string.Join(", ", X.Select(v => v.ToString("R")))}]";
}

/// <summary>
/// The FsCheck generators and shrinkers of this project's property tests, one per argument type; a test class takes
/// them with <c>[Properties(Arbitrary = new[] { typeof(Arbitraries) })]</c>.
/// </summary>
public static class Arbitraries
{
    private static readonly Gen<ulong> Seeds = Gen.Choose(int.MinValue, int.MaxValue)
        .SelectMany(hi => Gen.Choose(int.MinValue, int.MaxValue).Select(lo => ((ulong)(uint)hi << 32) | (uint)lo));

    /// <summary>
    /// Every kind of <see cref="QuartetQuantizerTests.Group"/> equally likely (n in [0, 84): each kind with each of its
    /// zero cases), each from a random stream.
    /// </summary>
    public static Arbitrary<QuartetInput> QuartetInputs() => Arb.From(
        Gen.Choose(0, 83).SelectMany(n => Seeds.Select(seed => new QuartetInput(n, QuartetQuantizerTests.Group(new SplitMix64(seed), n)))),
        input => Simpler(input.Values).Select(v => input with { Values = v }));

    /// <summary>Any sign seed; Gaussian values scaled by 2^[-30, 30) (binary64 sums that round, so the order matters).</summary>
    public static Arbitrary<RotationInput> RotationInputs() => Arb.From(
        Seeds.SelectMany(signs => Seeds.Select(seed =>
        {
            var rng = new SplitMix64(seed);
            return new RotationInput(signs, [.. HadamardTests.Gaussian(rng, 32).Select(v => v * MathF.Pow(2, (int)rng.Below(60) - 30))]);
        })),
        input => Simpler(input.X).Select(x => input with { X = x }));

    /// <summary>A group with one element replaced by 0 or a simpler float (the length stays 32).</summary>
    private static IEnumerable<float[]> Simpler(float[] values) =>
        Shrink.Array(values, v => v == 0 ? [] : new[] { 0f }.Concat(Shrink.Single(v)), minLength: values.Length);
}
