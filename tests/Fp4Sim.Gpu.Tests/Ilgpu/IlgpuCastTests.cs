using System.Diagnostics;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Xunit.Abstractions;

namespace Fp4Sim.Gpu.Tests.Ilgpu;

/// <summary>
/// The ILGPU cast kernels on ILGPU's CPU accelerator against the scalar reference <see cref="Encoder"/>/<see cref="Decoder"/>:
/// for every format of <see cref="GpuCastCheck.FormatSpecs"/>, every rounding mode (stochastic included, with
/// StochasticBits.For(seed, i) drawn in the kernel) × both overflow modes, every decision point plus a seeded random
/// sample; every code's decode. The CPU accelerator emulates GPU threads (about 0.5 M elements/s here), so the random
/// sample is small; the large sweeps are for a real GPU.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCastTests(IlgpuCpuFixture fixture, ITestOutputHelper output)
{
    private const int RandomPerMode = 1 << 15;

    /// <summary>The formats <c>fp4sim gpu check</c> runs.</summary>
    public static TheoryData<string> SmallFormats => new(GpuCastCheck.FormatSpecs);

    [Theory]
    [MemberData(nameof(SmallFormats))]
    public void Encode_matches_the_reference_in_every_mode_on_decision_points_and_random_inputs(string spec)
    {
        var clock = Stopwatch.StartNew();
        long compared = CastKernelChecks.EncodeInEveryMode(fixture.Cast, spec, RandomPerMode);
        output.WriteLine($"{spec}: {compared} encodes, 0 mismatches, {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Stochastic_rounding_continues_the_stream_at_the_first_index()
    {
        FormatInfo format = KnownFormats.E2M1;
        uint[] inputs = CastInputs.RandomBits(format, seed: 4, 4096);
        var ctx = new RoundingContext(RoundingMode.Sr, OverflowMode.Saturate);
        var codes = new byte[inputs.Length];
        fixture.Cast.Encode(format, ctx, inputs, codes, seed: 11, firstIndex: 1000);
        uint[] expected = inputs.Select((b, i) => Encoder.Encode(format, BitConverter.UInt32BitsToSingle(b),
            ctx with { RandomBits = StochasticBits.For(11, 1000 + (ulong)i) })).ToArray();
        var (count, message) = IlgpuCpuFixture.Compare("e2m1 sr from index 1000", inputs, expected, codes.Select(c => (uint)c).ToArray());
        Assert.True(count == 0, message);
    }

    [Theory]
    [MemberData(nameof(SmallFormats))]
    public void Decode_matches_the_reference_for_every_code(string spec) => CastKernelChecks.DecodeEveryCode(fixture.Cast, spec);

    [Fact]
    public void Refuses_what_the_kernels_do_not_implement()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            fixture.Cast.Encode(FormatSpec.Parse("e2m1:subnormals=ftz"), RoundingContext.Default, [0u], new byte[1]));
        Assert.Contains("ftz", e.Message);
        e = Assert.Throws<ArgumentException>(() => fixture.Cast.Encode(KnownFormats.E2M1,
            RoundingContext.Default with { Convention = CastConvention.Gfloat }, [0u], new byte[1]));
        Assert.Contains("fp4sim convention", e.Message);
        e = Assert.Throws<ArgumentException>(() => fixture.Cast.Decode(FormatSpec.Parse("fp16"), [0], new uint[1]));
        Assert.Contains("one per byte", e.Message);
    }
}
