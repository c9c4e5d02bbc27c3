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
    private const ulong SrSeed = 5;

    /// <summary>The formats <c>fp4sim gpu check</c> runs.</summary>
    public static TheoryData<string> SmallFormats => new(GpuCastCheck.FormatSpecs);

    [Theory]
    [MemberData(nameof(SmallFormats))]
    public void Encode_matches_the_reference_in_every_mode_on_decision_points_and_random_inputs(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        uint[] edges = CastInputs.EdgeBits(format);
        long compared = 0;
        var clock = Stopwatch.StartNew();
        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            uint[] inputs = [.. edges, .. CastInputs.RandomBits(format, seed: 2000 + (int)mode, RandomPerMode)];
            foreach (OverflowMode overflow in new[] { OverflowMode.Saturate, OverflowMode.Ieee })
            {
                var ctx = new RoundingContext(mode, overflow);
                uint[] expected = new uint[inputs.Length];
                for (int i = 0; i < inputs.Length; i++)
                {
                    RoundingContext c = mode == RoundingMode.Sr ? ctx with { RandomBits = StochasticBits.For(SrSeed, (ulong)i) } : ctx;
                    expected[i] = Encoder.Encode(format, BitConverter.UInt32BitsToSingle(inputs[i]), c);
                }
                var codes = new byte[inputs.Length];
                fixture.Cast.Encode(format, ctx, inputs, codes, seed: SrSeed);
                var (count, message) = IlgpuCpuFixture.Compare($"{spec} {RoundingNames.Name(mode)} {overflow}", inputs, expected,
                    codes.Select(c => (uint)c).ToArray());
                Assert.True(count == 0, message);
                compared += inputs.Length;
            }
        }
        Assert.True(compared > 12 * RandomPerMode);
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
    public void Decode_matches_the_reference_for_every_code(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        byte[] codes = Enumerable.Range(0, (int)format.CodeCount).Select(c => (byte)c).ToArray();
        var actual = new uint[codes.Length];
        fixture.Cast.Decode(format, codes, actual);
        uint[] expected = codes.Select(c => BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(format, c))).ToArray();
        var (count, message) = IlgpuCpuFixture.Compare($"decode {spec}", codes.Select(c => (uint)c).ToArray(), expected, actual);
        Assert.True(count == 0, message);
        Assert.Equal((int)format.CodeCount, codes.Length);
    }

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
