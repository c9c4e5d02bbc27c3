using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Fp4Sim.Numerics.Tests.Support;

/// <summary>
/// The FsCheck generators and shrinkers of this project's property tests, one per argument type (see Cases.cs).
/// A test class takes them with <c>[Properties(Arbitrary = new[] { typeof(Arbitraries) })]</c>; where the range of a
/// type depends on the oracle (which formats, how long a dot product), a nested class here gives that distribution
/// and the property names it: <c>[Property(Arbitrary = new[] { typeof(Arbitraries.Fp16Chain) })]</c>.
/// </summary>
public static class Arbitraries
{
    private static readonly FormatInfo[] AllFormats = [.. TestFormats.UpTo(32)];

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    private static readonly Gen<double> Unit =
        Gen.Choose(0, (1 << 26) - 1).SelectMany(hi => Gen.Choose(0, (1 << 27) - 1).Select(lo => ((double)hi * (1 << 27) + lo) / (1L << 53)));

    /// <summary>Every float32 bit pattern equally likely (NaNs and infinities included).</summary>
    private static readonly Gen<float> AnyFloat32 = Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle);

    /// <summary>
    /// Random float32 bit patterns (every binade equally likely) and, half the time, float64 values near the format's
    /// range with full 52-bit significands: bits that float32 inputs never carry. Finite only.
    /// </summary>
    internal static Gen<double> Inputs(FormatInfo f)
    {
        Gen<double> anyFloat = AnyFloat32.Select(x => (double)x);
        double max = CodeSpace.MaxFinite(f), tiny = CodeSpace.MinSubnormal(f);
        int low = Math.ILogB(tiny) - 3, high = Math.Min(Math.ILogB(max) + 3, 1020);
        Gen<long> mantissa = Gen.Choose(0, (1 << 26) - 1).SelectMany(hi => Gen.Choose(0, (1 << 26) - 1).Select(lo => ((long)hi << 26) | (long)lo));
        Gen<double> inRange = Gen.Choose(low, high).SelectMany(e => mantissa.Select(m =>
            Math.ScaleB(BitConverter.Int64BitsToDouble(0x3FF0000000000000L | m), e) * ((m & 1) == 0 ? 1 : -1)));
        return Gen.OneOf(anyFloat, inRange).Where(double.IsFinite);
    }

    /// <summary>Every tested format (<see cref="TestFormats.UpTo"/> 32 bits), each equally likely, with a value from <see cref="Inputs"/>.</summary>
    public static Arbitrary<FormatValue> FormatValues() => Arb.From(
        Gen.Elements(AllFormats).SelectMany(f => Inputs(f).Select(x => new FormatValue(f, x))),
        v => Shrink.Double(v.X).Select(x => v with { X = x }));

    /// <summary>As <see cref="FormatValues"/>, two values of one format.</summary>
    public static Arbitrary<FormatValuePair> FormatValuePairs() => Arb.From(
        Gen.Elements(AllFormats).SelectMany(f => Inputs(f).SelectMany(a => Inputs(f).Select(b => new FormatValuePair(f, a, b)))),
        p => Shrink.Double(p.A).Select(a => p with { A = a }).Concat(Shrink.Double(p.B).Select(b => p with { B = b })));

    /// <summary>
    /// Every tested format, deterministic rounding mode and overflow mode, each equally likely, with a value whose
    /// binade is uniform in [2^-160, 2^160): far beyond every format's range on both sides.
    /// </summary>
    public static Arbitrary<EncodeCase> EncodeCases()
    {
        RoundingMode[] modes = [RoundingMode.Rne, RoundingMode.Rna, RoundingMode.Rtz, RoundingMode.Rup, RoundingMode.Rdn];
        Gen<double> x = Unit.SelectMany(u => Gen.Choose(-160, 159).Select(e => Math.ScaleB(u * 2 - 1, e)));
        Gen<RoundingContext> contexts = Gen.Elements(modes)
            .SelectMany(m => Gen.Elements(Enum.GetValues<OverflowMode>()).Select(o => new RoundingContext(m, o)));
        return Arb.From(
            Gen.Elements(AllFormats).SelectMany(f => contexts.SelectMany(c => x.Select(v => new EncodeCase(f, c, v)))),
            c => Shrink.Double(c.X).Select(v => c with { X = v }));
    }

    /// <summary>
    /// x / d for e2m1, e4m3, e5m2 and e3m2 without subnormals: d in [1, 2)·2^[-8, 8), x uniform in [0, 1.2·max·d]
    /// (a fifth of the quotients saturate).
    /// </summary>
    public static Arbitrary<Quotient> Quotients()
    {
        FormatInfo[] formats = [.. new[] { "e2m1", "e4m3", "e5m2", "e3m2:subnormals=off" }.Select(FormatSpec.Parse)];
        Gen<float> divisors = Unit.SelectMany(u => Gen.Choose(-8, 7).Select(e => (float)Math.ScaleB(1 + u, e)));
        static bool InRange(Quotient q) => q.D > 0 && q.X >= 0 && q.X <= CodeSpace.MaxFinite(q.Format) * q.D * 1.2;
        return Arb.From(
            Gen.Elements(formats).SelectMany(f => divisors.SelectMany(d =>
                Unit.Select(u => new Quotient(f, (float)(u * CodeSpace.MaxFinite(f) * d * 1.2), d)))),
            q => Shrink.Single(q.X).Select(x => q with { X = x }).Concat(Shrink.Single(q.D).Select(d => q with { D = d })).Where(InRange));
    }

    /// <summary>Any float32 bit pattern over 2^e, e uniform in [-60, 60).</summary>
    public static Arbitrary<PowerOfTwoQuotient> PowerOfTwoQuotients() => Arb.From(
        AnyFloat32.SelectMany(x => Gen.Choose(-60, 59).Select(e => new PowerOfTwoQuotient(x, e))),
        q => Shrink.Single(q.X).Select(x => q with { X = x }).Concat(Shrink.Toward0(q.Exponent).Select(e => q with { Exponent = e })));

    /// <summary>1 to 8 bits a code, 0 to 70 codes, every code of that width equally likely.</summary>
    public static Arbitrary<BitCodes> BitCodes() => Arb.From(
        Gen.Choose(1, 8).SelectMany(bits => Gen.Choose(0, 70).SelectMany(n =>
            Gen.ArrayOf(Gen.Choose(0, (1 << bits) - 1).Select(c => (byte)c), n).Select(codes => new BitCodes(bits, codes)))),
        c => Shrink.Array(c.Codes, code => Shrink.Toward0(code).Select(s => (byte)s)).Select(codes => c with { Codes = codes }));

    /// <summary>
    /// Pairs of block formats (mxfp4·mxfp4, mxfp6_e2m3·mxfp4, mxfp8_e4m3·mxfp8_e5m2, mxint8·mxfp8_e4m3, nvfp4·nvfp4), 1 to 8
    /// blocks of float32 values ±[0, 1)·2^[-6, 6].
    /// </summary>
    public static Arbitrary<BlockPair> BlockPairs()
    {
        (BlockFormat A, BlockFormat B)[] pairs = [.. new[]
        {
            ("mxfp4", "mxfp4"), ("mxfp6_e2m3", "mxfp4"), ("mxfp8_e4m3", "mxfp8_e5m2"), ("mxint8", "mxfp8_e4m3"), ("nvfp4", "nvfp4"),
        }.Select(p => (KnownBlockFormats.Parse(p.Item1), KnownBlockFormats.Parse(p.Item2)))];
        Gen<float> value = Unit.SelectMany(u => Gen.Choose(-6, 6).Select(e => (float)((u * 2 - 1) * Math.ScaleB(1, e))));
        return Arb.From(
            Gen.Elements(pairs).SelectMany(p => Gen.Choose(1, 8).SelectMany(blocks =>
                Gen.ArrayOf(value, blocks * p.A.BlockSize).SelectMany(x =>
                    Gen.ArrayOf(value, blocks * p.A.BlockSize).Select(y => new BlockPair(p.A, p.B, x, y))))),
            ShrinkBlocks);
    }

    private static IEnumerable<BlockPair> ShrinkBlocks(BlockPair p)
    {
        int size = p.A.BlockSize, blocks = p.X.Length / size;
        for (int k = 0; k < blocks && blocks > 1; k++) // one block fewer
            yield return p with { X = [.. p.X[..(k * size)], .. p.X[((k + 1) * size)..]], Y = [.. p.Y[..(k * size)], .. p.Y[((k + 1) * size)..]] };
        for (int i = 0; i < p.X.Length; i++)
            foreach (float v in new[] { 0f }.Concat(Shrink.Single(p.X[i])).Where(v => v != p.X[i]))
            {
                float[] x = (float[])p.X.Clone();
                x[i] = v;
                yield return p with { X = x };
            }
        for (int i = 0; i < p.Y.Length; i++)
            foreach (float v in new[] { 0f }.Concat(Shrink.Single(p.Y[i])).Where(v => v != p.Y[i]))
            {
                float[] y = (float[])p.Y.Clone();
                y[i] = v;
                yield return p with { Y = y };
            }
    }

    /// <summary>
    /// Dot products of 1 to <paramref name="maxLength"/> finite codes of one of <paramref name="pairs"/>; a code
    /// shrinks to code 0, to its magnitude, then to half its code, within <paramref name="allowedA"/>/<paramref name="allowedB"/>.
    /// </summary>
    internal static Arbitrary<CodeVector> CodeVectors(int maxLength, (string A, string B)[] pairs,
        Func<FormatInfo, uint, bool>? allowedA = null, Func<FormatInfo, uint, bool>? allowedB = null)
    {
        static bool Finite(FormatInfo f, uint c) => double.IsFinite(Decoder.Decode(f, c));
        Func<FormatInfo, uint, bool> okA = allowedA ?? Finite, okB = allowedB ?? Finite;
        Gen<uint> Codes(FormatInfo f, Func<FormatInfo, uint, bool> ok) =>
            Gen.Choose(0, (int)f.CodeCount - 1).Select(c => (uint)c).Where(c => ok(f, c));
        (FormatInfo A, FormatInfo B)[] formats = [.. pairs.Select(p => (FormatSpec.Parse(p.A), FormatSpec.Parse(p.B)))];
        Gen<(uint, uint)> Pair(FormatInfo a, FormatInfo b) => Codes(a, okA).SelectMany(x => Codes(b, okB).Select(y => (x, y)));
        return Arb.From(
            Gen.Elements(formats).SelectMany(f => Gen.Choose(1, maxLength).SelectMany(n => Gen.ArrayOf(Pair(f.A, f.B), n)
                .Select(p => new CodeVector(f.A, f.B, [.. p.Select(q => q.Item1)], [.. p.Select(q => q.Item2)])))),
            v => Shrink.Array(v.X.Zip(v.Y).ToArray(), p => SimplerCodes(v.A, p.First, okA).Select(x => (x, p.Second))
                    .Concat(SimplerCodes(v.B, p.Second, okB).Select(y => (p.First, y))), minLength: 1)
                .Select(p => v with { X = [.. p.Select(q => q.Item1)], Y = [.. p.Select(q => q.Item2)] }));
    }

    private static IEnumerable<uint> SimplerCodes(FormatInfo f, uint code, Func<FormatInfo, uint, bool> ok) =>
        new[] { 0u, code & ~f.SignMask, code >> 1 }.Where(c => c < code && ok(f, c)).Distinct();

    /// <summary>The tensor-core models v100 and h100 on fp16 dot products and h100-fp8 on e4m3 ones, 1 to 80 terms.</summary>
    public static Arbitrary<TensorCoreCase> TensorCoreCases()
    {
        Arbitrary<CodeVector> fp16 = CodeVectors(80, [("fp16", "fp16")]), e4m3 = CodeVectors(80, [("e4m3", "e4m3")]);
        Gen<TensorCoreCase> Of(string model, Arbitrary<CodeVector> vectors) =>
            vectors.Generator.Select(v => new TensorCoreCase(TensorCoreModel.Parse(model), v));
        return Arb.From(
            Gen.OneOf(Of("v100", fp16), Of("h100", fp16), Of("h100-fp8", e4m3)),
            c => (c.Vector.A.Name == "fp16" ? fp16 : e4m3).Shrinker(c.Vector).Select(v => c with { Vector = v }));
    }

    // Code-vector distributions: which format pairs and lengths an oracle holds for.

    /// <summary>Exact sums (order-free, and a register of <c>RegisterFor(a, b, 80)</c> holds them).</summary>
    public static class ExactSums
    {
        public static Arbitrary<CodeVector> Vectors() => CodeVectors(80, [("e2m1", "e2m1"), ("e4m3", "e5m2"), ("fp16", "fp16")]);
    }

    /// <summary>fp32 accumulation against the exact sum (half an ulp per add).</summary>
    public static class Fp32Bound
    {
        public static Arbitrary<CodeVector> Vectors() => CodeVectors(80, [("e4m3", "e4m3"), ("e2m1", "fp16")]);
    }

    /// <summary>fp32 accumulation as a chain of float FMAs: 1 to 79 terms.</summary>
    public static class Fp32Chain
    {
        public static Arbitrary<CodeVector> Vectors() =>
            CodeVectors(79, [("e4m3", "e4m3"), ("e5m2", "e5m2"), ("e2m1", "e4m3"), ("fp16", "fp16")]);
    }

    /// <summary>fp16 accumulation: formats whose running sums binary64 holds exactly, 1 to 63 terms.</summary>
    public static class Fp16Chain
    {
        public static Arbitrary<CodeVector> Vectors() => CodeVectors(63, [("e4m3", "e4m3"), ("e2m1", "e2m1")]);
    }

    /// <summary>bf16 accumulation of e4m3 products, 1 to 63 terms.</summary>
    public static class Bf16Chain
    {
        public static Arbitrary<CodeVector> Vectors() => CodeVectors(63, [("e4m3", "e4m3")]);
    }

    /// <summary>e5m2 products, 1 to 199 terms: every partial sum is exact in binary64.</summary>
    public static class E5M2Sums
    {
        public static Arbitrary<CodeVector> Vectors() => CodeVectors(199, [("e5m2", "e5m2")]);
    }

    /// <summary>
    /// e4m3 dot products of 1 to 63 terms: a positive finite (codes below 0x7F), b any code with bit 3 clear (so never
    /// NaN).
    /// </summary>
    public static class PositiveTimesE4M3
    {
        public static Arbitrary<CodeVector> Vectors() =>
            CodeVectors(63, [("e4m3", "e4m3")], allowedA: (_, c) => c < 0x7F, allowedB: (_, c) => (c & 0x8) == 0);
    }
}
