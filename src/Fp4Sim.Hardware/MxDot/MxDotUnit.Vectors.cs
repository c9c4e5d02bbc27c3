using System.Numerics;
using System.Text.Json.Nodes;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Hardware;

public sealed partial record MxDotUnit
{
    /// <summary>
    /// Vectors (blocks) when no count is given. Each vector is a whole pair of blocks (~600 bits for MXFP8), so the
    /// committed default set stays around a megabyte per unit; <c>fp4sim rtl vectors --count N</c> writes more.
    /// </summary>
    public const int DefaultCount = 10_000;

    private OperandDecoder A => Lane.A;

    private OperandDecoder B => Lane.B;

    private static uint[] ScaleCorners => [0, (uint)ScaleFormat.Bias, NaNScale - 1, NaNScale]; // 2^−127, 1, 2^127, NaN

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonNode> Configuration => new SortedDictionary<string, JsonNode>
    {
        ["format_a"] = FormatA.Name,
        ["format_b"] = FormatB.Name,
        ["element_a"] = FormatA.Element.Name,
        ["element_b"] = FormatB.Element.Name,
        ["block_size"] = BlockSize,
        ["sum"] = $"{SumWidth}-bit two's complement, {SumFractionBits} fraction bits",
        ["scale"] = $"{ScaleWidth}-bit two's complement: scale_a + scale_b - {-ScaleOffset}",
    };

    /// <summary>
    /// <paramref name="count"/> (default <see cref="DefaultCount"/>) block pairs: first the directed ones (zeros, the
    /// largest magnitudes with equal signs, which reach the sum word's limit, and with alternating signs, which cancel;
    /// smallest subnormals, random subnormals; each under every pair of the scales 0x00, 0x7F, 0xFE, 0xFF; then every
    /// NaN/∞ code of each format in one lane, also against a zero), then seeded random blocks: uniform codes, finite
    /// codes, or finite codes whose products share a sign, with random or corner scales. Expected outputs come from
    /// <see cref="Emulate"/>.
    /// </summary>
    public VectorSource Vectors(int? count, ulong seed)
    {
        int total = count ?? DefaultCount;
        int directed = Directed(new SplitMix64(seed)).Count, randomBlocks = Math.Max(0, total - directed);
        var layout = new VectorLayout(Spec.Kind.Name(), ModuleName, Fields, seed,
            $"directed: {Math.Min(total, directed)} blocks (zeros, largest magnitudes with equal and alternating signs, subnormals, " +
                  $"under scales 0x00/0x7f/0xfe/0xff; NaN/Inf elements); then {randomBlocks} random blocks (uniform codes, finite codes, " +
                  $"or same-sign products; random or corner scales), SplitMix64 seed {seed}");
        return new VectorSource(layout, total, row =>
        {
            var random = new SplitMix64(seed);
            foreach (var (a, b, sa, sb) in Directed(random).Take(total)) row(Row(a, b, sa, sb));
            for (int k = 0; k < randomBlocks; k++) RandomBlock(random, (a, b, sa, sb) => row(Row(a, b, sa, sb)));
        });
    }

    private (string, int, string)[] Fields =>
        [("a", BusWidth(FormatA), "in"), ("b", BusWidth(FormatB), "in"), ("scale_a", ScaleCodeBits, "in"), ("scale_b", ScaleCodeBits, "in"),
         ("sum", SumWidth, "out"), ("scale", ScaleWidth, "out"), ("invalid", 1, "out")];

    /// <summary>One vector: a pair of blocks, their scale codes and the expected outputs from <see cref="Emulate"/>.</summary>
    private BigInteger[] Row(byte[] a, byte[] b, uint scaleA, uint scaleB)
    {
        MxDotResult r = Emulate(a, b, scaleA, scaleB);
        return [Pack(a, FormatA.Element.TotalBits), Pack(b, FormatB.Element.TotalBits), scaleA, scaleB, r.Sum, r.Scale, r.Invalid ? 1 : 0];
    }

    /// <summary>Golden vectors for given pairs of blocks (real data), expected outputs from <see cref="Emulate"/>.</summary>
    public VectorSet VectorsFor(IEnumerable<(byte[] A, byte[] B, uint ScaleA, uint ScaleB)> blocks, string generation)
    {
        var set = new VectorSet(Spec.Kind.Name(), ModuleName, Fields, 0, generation);
        foreach ((byte[] a, byte[] b, uint scaleA, uint scaleB) in blocks) set.Add(Row(a, b, scaleA, scaleB));
        return set;
    }

    private List<(byte[] A, byte[] B, uint ScaleA, uint ScaleB)> Directed(SplitMix64 random)
    {
        FormatInfo fa = FormatA.Element, fb = FormatB.Element;
        var shapes = new List<(byte[], byte[])>
        {
            (Fill(_ => 0), Fill(_ => 0)),                                                   // zeros
            (Fill(_ => MaxCode(fa, true)), Fill(_ => MaxCode(fb, true))),                   // largest, positive products
            (Fill(_ => MaxCode(fa, false)), Fill(_ => MaxCode(fb, false))),                 // largest, both operands positive
            (Fill(_ => MaxCode(fa, true)), Fill(_ => MaxCode(fb, false))),                  // largest, negative products
            (Fill(i => MaxCode(fa, i % 2 == 1)), Fill(_ => MaxCode(fb, false))),            // alternating signs: cancels to 0
            (Fill(_ => 1), Fill(_ => 1)),                                                   // smallest subnormals (ints: 1)
            (Fill(_ => Small(random, fa)), Fill(_ => Small(random, fb))),                   // random subnormals (ints: −2..2)
            (Fill(_ => FiniteCode(random, A)), Fill(_ => FiniteCode(random, B))),           // random finite
        };
        var blocks = new List<(byte[], byte[], uint, uint)>();
        foreach (uint sa in ScaleCorners)
            foreach (uint sb in ScaleCorners)
                foreach (var (a, b) in shapes) blocks.Add((a, b, sa, sb));
        int lone = (int)random.Below((ulong)BlockSize); // one smallest product alone: the sum's lsb
        blocks.Add((Fill(i => i == lone ? 1u : 0), Fill(i => i == lone ? 1u : 0), 0x7F, 0x7F));
        foreach (uint special in SpecialCodes(A))
        {
            int lane = (int)random.Below((ulong)BlockSize);
            byte[] b = Fill(_ => FiniteCode(random, B));
            blocks.Add((Fill(i => i == lane ? special : FiniteCode(random, A)), b, 0x7F, 0x7F));
            blocks.Add((Fill(i => i == lane ? special : 0), Fill(_ => 0), 0x7F, 0x7F)); // ∞ × 0 and NaN × 0
        }
        foreach (uint special in SpecialCodes(B))
        {
            int lane = (int)random.Below((ulong)BlockSize);
            blocks.Add((Fill(_ => FiniteCode(random, A)), Fill(i => i == lane ? special : FiniteCode(random, B)), 0x7F, 0x7F));
            blocks.Add((Fill(_ => 0), Fill(i => i == lane ? special : 0), 0x7F, 0x7F));
        }
        return blocks;
    }

    private void RandomBlock(SplitMix64 random, Action<byte[], byte[], uint, uint> add)
    {
        ulong mode = random.Below(10); // 0–3 uniform codes, 4–7 finite codes, 8–9 finite with same-sign products
        byte[] a, b;
        if (mode < 4)
        {
            a = Fill(_ => (uint)random.Below(1UL << FormatA.Element.TotalBits));
            b = Fill(_ => (uint)random.Below(1UL << FormatB.Element.TotalBits));
        }
        else
        {
            a = Fill(_ => FiniteCode(random, A));
            b = Fill(_ => FiniteCode(random, B));
            if (mode >= 8) SameSign(a, b, negative: random.Below(2) == 0);
        }
        add(a, b, RandomScale(random), RandomScale(random));
    }

    /// <summary>One in eight: a corner (0x00, 0x7F, 0xFE, NaN); else a uniform finite code.</summary>
    private static uint RandomScale(SplitMix64 random) =>
        random.Below(8) == 0 ? ScaleCorners[random.Below((ulong)ScaleCorners.Length)] : (uint)random.Below(NaNScale);

    /// <summary>Flips the sign of a_i (or b_i when a_i cannot flip) wherever the product's sign is not the wanted one.</summary>
    private void SameSign(byte[] a, byte[] b, bool negative)
    {
        FormatInfo fa = FormatA.Element, fb = FormatB.Element;
        for (int i = 0; i < BlockSize; i++)
        {
            double p = Decoder.Decode(fa, a[i]) * Decoder.Decode(fb, b[i]);
            if (p == 0 || p < 0 == negative) continue;
            if (!fa.IsInteger || a[i] != IntegerSignBit(fa)) a[i] = (byte)Negate(fa, a[i]);
            else b[i] = (byte)Negate(fb, b[i]); // −2^(n−1) has no positive twin: flip b (both −2^(n−1) stays positive)
        }
    }

    private static uint Negate(FormatInfo f, uint code) => f.IsInteger ? unchecked((uint)-code) & f.CodeMask : code ^ f.SignMask;

    /// <summary>The code of the largest magnitude (integers: −2^(n−1) when negative, 2^(n−1) − 1 when positive).</summary>
    private static uint MaxCode(FormatInfo f, bool negative) =>
        f.IsInteger ? (negative ? IntegerSignBit(f) : IntegerSignBit(f) - 1) : f.MaxFiniteMagnitude | (negative ? f.SignMask : 0);

    private static uint IntegerSignBit(FormatInfo f) => 1u << (f.TotalBits - 1); // FormatInfo.SignMask is 0 for integers

    /// <summary>A random subnormal code (floats: exponent field 0, either sign); integers: −2..2.</summary>
    private static uint Small(SplitMix64 random, FormatInfo f) => f.IsInteger
        ? unchecked((uint)((int)random.Below(5) - 2)) & f.CodeMask
        : (uint)random.Below(1UL << f.MantissaBits) | (random.Below(2) == 0 ? 0 : f.SignMask);

    private static uint FiniteCode(SplitMix64 random, OperandDecoder d)
    {
        while (true)
        {
            uint code = (uint)random.Below(1UL << d.Format.TotalBits);
            if (!d.IsSpecial(code)) return code;
        }
    }

    private static IEnumerable<uint> SpecialCodes(OperandDecoder d) =>
        Enumerable.Range(0, 1 << d.Format.TotalBits).Select(c => (uint)c).Where(d.IsSpecial);

    private static byte[] Fill(Func<int, uint> code)
    {
        var block = new byte[BlockSize];
        for (int i = 0; i < BlockSize; i++) block[i] = checked((byte)code(i));
        return block;
    }

    /// <summary>The packed bus: element i at bits [i·n, i·n + n).</summary>
    public static BigInteger Pack(ReadOnlySpan<byte> codes, int bits)
    {
        var bytes = new byte[(codes.Length * bits + 7) / 8 + 1]; // a spare zero byte keeps it non-negative
        for (int i = 0; i < codes.Length; i++)
            for (int k = 0; k < bits; k++)
                if ((codes[i] >> k & 1) != 0) bytes[(i * bits + k) / 8] |= (byte)(1 << ((i * bits + k) % 8));
        return new BigInteger(bytes);
    }

    /// <inheritdoc/>
    public string GenerateTestbench(VectorLayout layout) => Testbenches.Combinational(this, layout);
}
