using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using Fp4Sim.Numerics.Vectorized;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>The vector casts against the scalar reference, element by element, bit for bit.</summary>
public class FastCastParityTests
{
    public static TheoryData<string> Small => TestFormats.Small;

    private static IEnumerable<RoundingContext> DeterministicContexts() =>
        from mode in Enum.GetValues<RoundingMode>()
        where mode != RoundingMode.Sr
        from overflow in Enum.GetValues<OverflowMode>()
        select new RoundingContext(mode, overflow);

    /// <summary>Every decision point of the format (values, midpoints, their float neighbours), float32 specials and edges.</summary>
    private static float[] EdgeSet(FormatInfo f) => CastInputs.EdgeBits(f).Select(BitConverter.UInt32BitsToSingle).ToArray();

    private static float[] SeededRandom(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = i % 2 == 0
                ? BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))
                : (float)((random.NextDouble() * 2 - 1) * Math.ScaleB(1.0, random.Next(-20, 20)));
        return values;
    }

    private static void AssertParity(FormatInfo f, float[] input, RoundingContext ctx, int threads = 1)
    {
        string? mismatch = Mismatch(f, input, ctx, threads);
        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>Null when the fast encode equals the reference on every input, else a line naming the first differences.</summary>
    private static string? Mismatch(FormatInfo f, float[] input, RoundingContext ctx, int threads = 1)
    {
        var fast = new byte[input.Length];
        FastCast.Encode(f, input, fast, ctx, threads);
        uint[] inputs = input.Select(BitConverter.SingleToUInt32Bits).ToArray();
        (long count, IReadOnlyList<string> first) = Counterexamples.Scan(inputs, i => Encoder.Encode(f, input[i], ctx), i => fast[i], "fast", 5);
        return count == 0 ? null : $"{f.Name} {ctx.Mode} {ctx.Overflow}: {count} of {input.Length} differ; first: {string.Join("; ", first)}";
    }

    /// <summary>The float formats among <see cref="Small"/> (integers have no bias).</summary>
    public static TheoryData<string> SmallFloats
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (FormatInfo f in TestFormats.UpTo(8).Where(f => !f.IsInteger)) data.Add(f.Name);
            return data;
        }
    }

    /// <summary>
    /// float32's own boundaries, both signs, every exponent field (zero, subnormal, each normal binade, Inf/NaN): the
    /// significands 0, 1, 2, 3, half ± 1, max − 1, max and a few seeded random ones. Where a custom bias moves a format
    /// past float32's range, the format's decision points collapse onto these.
    /// </summary>
    private static float[] Float32Boundaries(int seed)
    {
        var random = new Random(seed);
        var values = new List<float>();
        for (uint signExponent = 0; signExponent < 512; signExponent++)
        {
            uint top = signExponent << 23;
            foreach (uint m in (ReadOnlySpan<uint>)[0, 1, 2, 3, 0x3FFFFF, 0x400000, 0x400001, 0x7FFFFE, 0x7FFFFF])
                values.Add(BitConverter.UInt32BitsToSingle(top | m));
            for (int i = 0; i < 4; i++) values.Add(BitConverter.UInt32BitsToSingle(top | (uint)random.Next(1 << 23)));
        }
        return [.. values];
    }

    /// <summary>
    /// Custom biases at and beyond float32's range (both directions, <see cref="BiasSweep"/>) for every ≤ 8-bit float format,
    /// every deterministic mode and both overflow modes: every decision point of the format, float32's boundaries and
    /// specials, and seeded random patterns (half uniform, half in the format's range).
    /// </summary>
    [Theory, MemberData(nameof(SmallFloats))]
    public void Encode_BiasesAtAndBeyondFloat32Range_EqualReference(string spec)
    {
        FormatInfo format = FormatSpec.Parse(spec);
        int seed = StableSeed.Of(spec) & 0xFFFF;
        float[] boundaries = Float32Boundaries(seed);
        var mismatches = new List<string>();
        int cases = 0;
        foreach (FormatInfo f in BiasSweep.Variants(format))
        {
            FormatSpec.Validate(f);
            float[] random = CastInputs.RandomBits(f, seed ^ f.Bias, 4096).Select(BitConverter.UInt32BitsToSingle).ToArray();
            float[] input = [.. EdgeSet(f), .. boundaries, .. random];
            foreach (RoundingContext ctx in DeterministicContexts())
            {
                cases++;
                if (Mismatch(f, input, ctx) is { } line) mismatches.Add(line);
            }
        }
        Assert.True(cases >= 10 * 10, $"{spec}: only {cases} bias/mode cases");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases} cases differ: {string.Join(" | ", mismatches.Take(6))}");
    }

    [Theory, MemberData(nameof(SmallFloats))]
    public void Decode_EveryByte_BiasesAtAndBeyondFloat32Range_EqualReference(string spec)
    {
        byte[] codes = [.. Enumerable.Range(0, 256 * 2 + 7).Select(i => (byte)i)];
        foreach (FormatInfo f in BiasSweep.Variants(FormatSpec.Parse(spec)))
        {
            var fast = new float[codes.Length];
            FastCast.Decode(f, codes, fast);
            for (int i = 0; i < codes.Length; i++)
                Assert.True(BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, codes[i])) == BitConverter.SingleToUInt32Bits(fast[i]),
                    $"{f.Name} code 0x{codes[i]:x2}");
        }
    }

    [Theory, MemberData(nameof(Small))]
    public void Encode_EdgeSetAndSeededRandom_EqualReference(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        float[] input = [.. EdgeSet(f), .. SeededRandom(1 << 15, StableSeed.Of(spec) & 0xFFFF)];
        foreach (RoundingContext ctx in DeterministicContexts()) AssertParity(f, input, ctx);
    }

    /// <summary>
    /// The same with the kernels capped at AVX2, so a plain test run on an AVX-512 machine covers the 32-bit lanes of the
    /// formats that otherwise take 16-bit lanes (the test command reruns everything under each cap as well).
    /// </summary>
    [Theory, MemberData(nameof(Small))]
    public void Encode_EdgeSetAndSeededRandom_UnderAvx2Cap_EqualReference(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        float[] input = [.. EdgeSet(f), .. SeededRandom(1 << 13, StableSeed.Of(spec) & 0xFFFF)];
        using IDisposable _ = InstructionSets.Limit(InstructionSet.Avx2);
        foreach (RoundingContext ctx in DeterministicContexts()) AssertParity(f, input, ctx);
    }

    [Theory]
    [InlineData(0x3F880008u, 0x39)] // 1.0625 + 2^-20: above half a quantum only through the low half's bit (the sticky bit)
    [InlineData(0x3F880000u, 0x38)] // 1.0625: a tie, the even code
    [InlineData(0x3F8FFFFFu, 0x39)]
    [InlineData(0x3F87FFFFu, 0x38)] // just below the tie: every lower-half bit set, still below half
    public void Encode_E4m3_StickyFoldExamples_AsDocumented(uint bits, int code)
    {
        // docs/semantics.md §6 (lane width): on 16-bit lanes the low half of the float survives only as the sticky bit.
        float[] input = [.. Enumerable.Repeat(BitConverter.UInt32BitsToSingle(bits), 64)];
        var codes = new byte[64];
        FastCast.Encode(KnownFormats.E4M3, input, codes, RoundingContext.Default);
        Assert.All(codes, c => Assert.Equal(code, c));
        Assert.Equal((uint)code, Encoder.Encode(KnownFormats.E4M3, input[0], RoundingContext.Default));
    }

    [Fact]
    public void Encode_EveryLengthUpTo256_WithSpecialsInjected()
    {
        float[] pool = [.. SeededRandom(300, 99)];
        pool[3] = float.NaN; pool[40] = float.NegativeInfinity; pool[77] = -0f; pool[130] = 1e30f; pool[250] = float.Epsilon;
        FormatInfo[] formats = [KnownFormats.E2M1, KnownFormats.E4M3, KnownFormats.E8M0, KnownFormats.Int8, KnownFormats.UInt4, KnownFormats.E5M3Fnu];
        foreach (FormatInfo f in formats)
            for (int length = 0; length <= 256; length++)
                AssertParity(f, pool[..length], RoundingContext.Default);
    }

    [Fact]
    public void Encode_AtEveryAlignment_EqualsReference()
    {
        float[] pool = SeededRandom(1000, 17);
        pool[5] = float.NaN; pool[9] = float.PositiveInfinity;
        foreach (FormatInfo f in new[] { KnownFormats.E2M1, KnownFormats.E5M2 })
            for (int offset = 0; offset < 8; offset++)
            {
                ReadOnlySpan<float> slice = pool.AsSpan(offset, 300);
                var fast = new byte[slice.Length + 3];
                FastCast.Encode(f, slice, fast.AsSpan(3), RoundingContext.Default);
                for (int i = 0; i < slice.Length; i++) Assert.Equal(Encoder.Encode(f, slice[i], RoundingContext.Default), fast[3 + i]);
                var decoded = new float[slice.Length + 1];
                FastCast.Decode(f, fast.AsSpan(3 + offset, 200), decoded.AsSpan(1, 200));
                for (int i = 0; i < 200; i++)
                    Assert.Equal(BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, fast[3 + offset + i])),
                        BitConverter.SingleToUInt32Bits(decoded[1 + i]));
            }
    }

    [Fact]
    public void Encode_MultiCore_EqualsReference()
    {
        float[] input = SeededRandom(FastCast.ParallelThreshold * 2 + 13, 5);
        AssertParity(KnownFormats.E4M3, input, RoundingContext.Default, threads: 2);
        AssertParity(KnownFormats.E2M1, input, new RoundingContext(RoundingMode.Rdn, OverflowMode.Ieee), threads: 0);
    }

    [Theory]
    [InlineData("e4m3", 1)]
    [InlineData("e2m1", 2)]
    [InlineData("int8", 0)]
    public void Decode_LongSpanWithNonTemporalStores_EqualsReference(string spec, int threads)
    {
        // Past FastCast.NonTemporalThreshold the stores bypass the caches; the destination starts off a 64-byte boundary.
        FormatInfo f = FormatSpec.Parse(spec);
        int count = FastCast.NonTemporalThreshold + 77;
        byte[] codes = new byte[count];
        new Random(11).NextBytes(codes);
        float[] decoded = new float[count + 3];
        FastCast.Decode(f, codes, decoded.AsSpan(3), threads);
        float[] table = [.. Enumerable.Range(0, 256).Select(c => Decoder.DecodeToSingle(f, (uint)c))];
        for (int i = 0; i < count; i++)
            if (BitConverter.SingleToUInt32Bits(table[codes[i]]) != BitConverter.SingleToUInt32Bits(decoded[3 + i]))
                Assert.Fail($"{spec} element {i} code 0x{codes[i]:x2}");
    }

    [Theory, MemberData(nameof(Small))]
    public void Decode_EveryByte_EqualsReference(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        byte[] codes = [.. Enumerable.Range(0, 256 * 3 + 5).Select(i => (byte)i)];
        var fast = new float[codes.Length];
        FastCast.Decode(f, codes, fast);
        for (int i = 0; i < codes.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(f, codes[i])), BitConverter.SingleToUInt32Bits(fast[i]));
    }

    [Fact]
    public void Encode_RejectsWideFormatsAndStochasticRounding()
    {
        Assert.Throws<ArgumentException>(() => FastCast.Encode(KnownFormats.Fp16, new float[4], new byte[4], RoundingContext.Default));
        Assert.Throws<ArgumentException>(() => FastCast.Encode(KnownFormats.E2M1, new float[4], new byte[4], new RoundingContext(RoundingMode.Sr)));
    }
}
