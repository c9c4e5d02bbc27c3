using System.Numerics;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>
/// The incremental form of every accumulator (<see cref="Accumulator.Begin"/>): the array forms are loops over it, and
/// it equals the former whole-array loops of each model, rebuilt here from the models' public steps; a result read
/// part-way is the sum of the prefix and leaves the sum unchanged.
/// </summary>
public class RunningSumTests
{
    public static TheoryData<string, string, string, bool> Models => new()
    {
        { "exact", "e4m3", "e5m2", true },
        { "exact:bf16", "fp16", "fp16", false },
        { "fp32", "fp16", "fp16", true },
        { "fp16", "e4m3", "e4m3", false },
        { "bf16", "bf16", "e2m1", true },
        { "fixed:16.2", "e2m1", "e2m1", false },
        { "fixed:12.2:round:wrap", "e2m1", "e1m2", false },
        { "fixed:40.10:round", "fp16", "fp16", true },
        { "fixed:20.0:wrap", "int8", "int8", false },
        { "tc:v100", "fp16", "fp16", true },
        { "tc:v100-f16", "e2m1", "e3m2", false },
        { "tc:a100", "bf16", "e4m3", false },
        { "tc:h100", "fp16", "fp16", true },
        { "tc:h100-fp8", "e4m3", "e5m2", false },
        { "tc:b200-mxf4", "e2m1", "e2m1", false },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Streamed_equals_the_former_array_loop(string name, string a, string b, bool specials)
    {
        Accumulator acc = AccumulatorSpec.Parse(name);
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var random = new SplitMix64(0xACC0 + (ulong)name.Length * 977 + (ulong)a.Length);
        for (int trial = 0; trial < 60; trial++)
        {
            MacTerm[] terms = RandomTerms(random, fa, fb, (int)random.Below(120), specials);
            MacResult reference = FormerLoop(acc, terms);
            Assert.Equal(reference, acc.Accumulate(terms));
            RunningSum sum = acc.Begin();
            foreach (MacTerm t in terms) sum.Add(t);
            Assert.Equal(reference, sum.Result());
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_result_read_part_way_is_the_prefix_sum_and_changes_nothing(string name, string a, string b, bool specials)
    {
        Accumulator acc = AccumulatorSpec.Parse(name);
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var random = new SplitMix64(0xB00 + (ulong)name.Length);
        for (int trial = 0; trial < 20; trial++)
        {
            MacTerm[] terms = RandomTerms(random, fa, fb, 1 + (int)random.Below(70), specials);
            RunningSum sum = acc.Begin();
            for (int i = 0; i < terms.Length; i++)
            {
                sum.Add(terms[i]);
                Assert.Equal(acc.Accumulate(terms.AsSpan(0, i + 1)), sum.Result());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Dot_is_the_accumulation_of_the_exact_products(string name, string a, string b, bool specials)
    {
        Accumulator acc = AccumulatorSpec.Parse(name);
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var random = new SplitMix64(0xD07);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = (int)random.Below(100);
            uint[] x = new uint[n], y = new uint[n];
            for (int i = 0; i < n; i++) (x[i], y[i]) = (Code(random, fa, specials), Code(random, fb, specials));
            MacTerm[] terms = x.Select((c, i) => MacTerm.Product(fa, c, fb, y[i])).ToArray();
            Assert.Equal(FormerLoop(acc, terms), acc.Dot(fa, x, fb, y));
        }
    }

    [Fact]
    public void An_empty_sum_is_plus_zero_in_every_model()
    {
        foreach (string name in new[] { "exact", "fp16", "fixed:8.2", "tc:h100" })
            Assert.Equal(FormerLoop(AccumulatorSpec.Parse(name), []), AccumulatorSpec.Parse(name).Begin().Result());
    }

    /// <summary>Each model's accumulation as it was written before the incremental form (one loop over the array).</summary>
    private static MacResult FormerLoop(Accumulator accumulator, ReadOnlySpan<MacTerm> terms)
    {
        switch (accumulator)
        {
            case ExactAccumulator e:
            {
                ExactValue sum = ExactValue.PositiveZero;
                foreach (MacTerm t in terms) sum = ExactValue.Add(sum, t.Value);
                return MacResult.InFormat(e.Output, Encoder.EncodeExact(e.Output, sum, new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee)));
            }
            case IeeeAccumulator ieee:
            {
                uint acc = 0;
                foreach (MacTerm t in terms) acc = ieee.Step(acc, t.Value);
                return MacResult.InFormat(ieee.Format, acc);
            }
            case FixedPointAccumulator f:
            {
                BigInteger acc = BigInteger.Zero;
                bool invalid = false;
                foreach (MacTerm t in terms)
                {
                    if (!t.Value.IsFinite) { invalid = true; continue; }
                    acc = f.Limit(acc + f.OnGrid(t.Value));
                }
                UInt128 bits = (UInt128)(acc & ((BigInteger.One << f.Width) - 1));
                return new MacResult(ExactValue.Of(acc, -f.FractionBits), bits, f.Width, null, invalid);
            }
            case TensorCoreAccumulator tc:
            {
                FormatInfo output = tc.Model.Output;
                uint c = 0;
                for (int start = 0; start < terms.Length; start += tc.Model.GroupSize)
                {
                    c = tc.Fuse(c, terms.Slice(start, Math.Min(tc.Model.GroupSize, terms.Length - start)));
                    if (Decoder.Classify(output, c) == CodeClass.NaN) break;
                }
                return MacResult.InFormat(output, c);
            }
            default:
                throw new InvalidOperationException(accumulator.Name);
        }
    }

    private static MacTerm[] RandomTerms(SplitMix64 random, FormatInfo fa, FormatInfo fb, int n, bool specials)
    {
        var terms = new MacTerm[n];
        for (int i = 0; i < n; i++) terms[i] = MacTerm.Product(fa, Code(random, fa, specials), fb, Code(random, fb, specials));
        return terms;
    }

    /// <summary>A random code; a non-finite one only when <paramref name="specials"/>, and then rarely (1 in 16 draws of one).</summary>
    private static uint Code(SplitMix64 random, FormatInfo f, bool specials)
    {
        while (true)
        {
            uint code = (uint)random.Below(f.CodeCount);
            if (double.IsFinite(Decoder.Decode(f, code)) || (specials && random.Below(16) == 0)) return code;
        }
    }
}
