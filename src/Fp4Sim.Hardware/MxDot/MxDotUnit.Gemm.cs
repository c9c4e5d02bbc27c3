using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

public sealed partial record MxDotUnit
{
    /// <summary>
    /// Golden vectors for the block pairs of a GEMM's first outputs: rows 0 … <paramref name="aRows"/> − 1 of A against
    /// rows 0 … <paramref name="bRows"/> − 1 of B (both blocked along K), block 0 first. Each output's block terms — the
    /// unit's results, sum · 2^(scale − F) — go through <paramref name="accumulator"/> in block order and must equal
    /// <paramref name="expected"/>[i · B.Rows + j] (the GEMM's binary32 output) bit for bit before anything is returned.
    /// </summary>
    /// <exception cref="ArgumentException">Operands in other formats, different K, or rows outside the operands.</exception>
    /// <exception cref="InvalidOperationException">An output whose accumulated block terms differ from the GEMM's.</exception>
    public VectorSet GemmVectors(MxMatrix a, MxMatrix b, int aRows, int bRows, Accumulator accumulator, ReadOnlySpan<float> expected,
        string generation)
    {
        if (a.Data.Format != FormatA || b.Data.Format != FormatB)
            throw new ArgumentException($"{ModuleName} takes {FormatA.Name} × {FormatB.Name}, not {a.Data.Format.Name} × {b.Data.Format.Name}");
        if (a.Columns != b.Columns) throw new ArgumentException($"inner dimensions differ: A has K = {a.Columns}, B has K = {b.Columns}");
        if (aRows < 1 || bRows < 1 || aRows > a.Rows || bRows > b.Rows || expected.Length < (long)a.Rows * b.Rows)
            throw new ArgumentException($"{aRows} × {bRows} outputs are outside the {a.Rows} × {b.Rows} product");
        int k = a.Columns, blocks = a.BlocksPerRow;
        var pairs = new List<(byte[], byte[], uint, uint)>();
        var terms = new MacTerm[blocks];
        for (int i = 0; i < aRows; i++)
            for (int j = 0; j < bRows; j++)
            {
                for (int block = 0; block < blocks; block++)
                {
                    byte[] ea = a.Data.Elements.AsSpan(i * k + block * BlockSize, BlockSize).ToArray();
                    byte[] eb = b.Data.Elements.AsSpan(j * k + block * BlockSize, BlockSize).ToArray();
                    uint sa = a.Data.Scales[i * blocks + block], sb = b.Data.Scales[j * blocks + block];
                    pairs.Add((ea, eb, sa, sb));
                    MxDotResult term = Emulate(ea, eb, sa, sb);
                    terms[block] = MacTerm.Of(term.Invalid ? ExactValue.NaN : ExactValue.Of(term.Sum, term.Scale - SumFractionBits));
                }
                uint got = (uint)accumulator.Accumulate(terms).Bits, want = BitConverter.SingleToUInt32Bits(expected[i * b.Rows + j]);
                if (got != want)
                    throw new InvalidOperationException(
                        $"output ({i}, {j}): the unit's block terms accumulate to 0x{got:x8} in {accumulator.Name}; the GEMM gives 0x{want:x8}");
            }
        return VectorsFor(pairs, generation);
    }
}
