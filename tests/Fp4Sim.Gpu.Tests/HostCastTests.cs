using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu.Tests;

/// <summary>
/// The portable cast functions (the arithmetic of the CUDA kernels) built with g++ against the scalar reference
/// <see cref="Encoder"/>/<see cref="Decoder"/>: every decision point and a million seeded random inputs per format and
/// deterministic rounding mode, both overflow modes; every code's decode.
/// </summary>
[Collection(HostLibraryCollection.Name)]
public sealed class HostCastTests(HostLibraryFixture fixture)
{
    private const int RandomPerMode = 1_000_000;

    /// <summary>The formats <c>fp4sim gpu check</c> runs: every ≤ 8-bit catalogue format and rule-exercising variants.</summary>
    public static TheoryData<string> SmallFormats => new(SmallFormatNames);

    private static IEnumerable<string> SmallFormatNames => GpuCastCheck.FormatSpecs;

    /// <summary>Formats whose every code is decoded (16-bit ones included: the portable decode serves them too).</summary>
    public static TheoryData<string> DecodeFormats => new(SmallFormatNames.Concat(["fp16", "bf16", "e5m10:specials=fn", "int16"]));

    [Theory]
    [MemberData(nameof(SmallFormats))]
    public void Encode_matches_the_reference_on_decision_points_and_random_inputs(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        uint[] edges = CastInputs.EdgeBits(format);
        foreach (RoundingMode mode in GpuCastCheck.Modes)
        {
            uint[] inputs = [.. edges, .. CastInputs.RandomBits(format, seed: 1000 + (int)mode, RandomPerMode)];
            foreach (OverflowMode overflow in new[] { OverflowMode.Saturate, OverflowMode.Ieee })
            {
                var ctx = new RoundingContext(mode, overflow);
                uint[] expected = Reference(format, inputs, ctx, randomBits: null);
                var actual = new uint[inputs.Length];
                fixture.Library.Encode(new CastParameters(format, ctx), inputs, [], actual);
                var (count, message) = Mismatches.Compare($"{spec} {RoundingNames.Name(mode)} {overflow}", inputs, expected, actual);
                Assert.True(count == 0, message);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SmallFormats))]
    public void Stochastic_rounding_matches_the_reference_with_the_same_random_bits(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        uint[] inputs = [.. CastInputs.EdgeBits(format), .. CastInputs.RandomBits(format, seed: 77, 100_000)];
        uint[] randomBits = inputs.Select((_, i) => StochasticBits.For(seed: 5, (ulong)i)).ToArray();
        foreach (OverflowMode overflow in new[] { OverflowMode.Saturate, OverflowMode.Ieee })
        {
            var ctx = new RoundingContext(RoundingMode.Sr, overflow);
            uint[] expected = Reference(format, inputs, ctx, randomBits);
            var actual = new uint[inputs.Length];
            fixture.Library.Encode(new CastParameters(format, ctx), inputs, randomBits, actual);
            var (count, message) = Mismatches.Compare($"{spec} sr {overflow}", inputs, expected, actual);
            Assert.True(count == 0, message);
        }
    }

    [Theory]
    [MemberData(nameof(DecodeFormats))]
    public void Decode_matches_the_reference_for_every_code(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        uint[] codes = Enumerable.Range(0, (int)format.CodeCount).Select(c => (uint)c).ToArray();
        uint[] expected = codes.Select(c => BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(format, c))).ToArray();
        var actual = new uint[codes.Length];
        fixture.Library.Decode(new FormatParameters(format), codes, actual);
        var (count, message) = Mismatches.Compare($"decode {spec}", codes, expected, actual);
        Assert.True(count == 0, message);
    }

    [Fact]
    public void Edge_sets_hold_every_code_value_and_the_float32_specials()
    {
        FormatInfo e2m1 = KnownFormats.E2M1;
        var edges = CastInputs.EdgeBits(e2m1).ToHashSet();
        for (uint c = 0; c < e2m1.CodeCount; c++)
            Assert.Contains(BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(e2m1, c)), edges);
        Assert.Contains(0x7F800000u, edges);
        Assert.Contains(0xFFC00000u, edges);
        Assert.Contains(0x80000001u, edges);
    }

    private static uint[] Reference(FormatInfo format, uint[] inputs, RoundingContext ctx, uint[]? randomBits)
    {
        var expected = new uint[inputs.Length];
        Parallel.For(0, Environment.ProcessorCount, worker =>
        {
            for (int i = worker; i < inputs.Length; i += Environment.ProcessorCount)
            {
                RoundingContext c = randomBits is null ? ctx : ctx with { RandomBits = randomBits[i] };
                expected[i] = Encoder.Encode(format, BitConverter.UInt32BitsToSingle(inputs[i]), c);
            }
        });
        return expected;
    }
}
