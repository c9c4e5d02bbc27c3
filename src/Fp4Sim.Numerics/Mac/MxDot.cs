using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// The MX dot product (OCP MX v1.0 §6.2 leaves precision and order to the implementation; this is ours): each pair of
/// blocks contributes one exact term, (Σ_i P_i(A) · P_i(B)) · X(A) · X(B), and the chosen accumulator sums those
/// terms in block order, block 0 first. A NaN scale makes its block's term NaN. NVFP4's per-tensor scales are not part
/// of the dot: like a GEMM's α they multiply the result afterwards.
/// </summary>
public static class MxDot
{
    /// <summary>The exact term of block <paramref name="block"/> of two quantized vectors.</summary>
    public static MacTerm BlockTerm(QuantizedBlocks a, QuantizedBlocks b, int block)
    {
        int size = a.Format.BlockSize;
        return BlockTerm(a.Format, a.Elements.AsSpan(block * size, size), a.Scales[block],
                         b.Format, b.Elements.AsSpan(block * size, size), b.Scales[block]);
    }

    /// <summary>The exact term of one pair of blocks given by their element codes and scale codes.</summary>
    public static MacTerm BlockTerm(BlockFormat fa, ReadOnlySpan<byte> a, uint scaleA, BlockFormat fb, ReadOnlySpan<byte> b, uint scaleB)
    {
        if (a.Length != b.Length) throw new ArgumentException($"blocks of {a.Length} and {b.Length} elements cannot be paired");
        ExactValue xa = Decoder.DecodeExact(fa.Scale, scaleA), xb = Decoder.DecodeExact(fb.Scale, scaleB);
        ExactValue sum = ExactValue.PositiveZero;
        for (int i = 0; i < a.Length; i++)
            sum = ExactValue.Add(sum, ExactValue.Multiply(Element(fa, a[i]), Element(fb, b[i])));
        return MacTerm.Of(ExactValue.Multiply(ExactValue.Multiply(sum, xa), xb));
    }

    /// <summary>The dot product of two quantized vectors of equal length with the given accumulator.</summary>
    public static MacResult Dot(QuantizedBlocks a, QuantizedBlocks b, Accumulator accumulator)
    {
        CheckPair(a.Format, b.Format);
        if (a.Elements.Length != b.Elements.Length)
            throw new ArgumentException($"the vectors differ in length ({a.Elements.Length} and {b.Elements.Length})");
        var terms = new MacTerm[a.Scales.Length];
        for (int k = 0; k < terms.Length; k++) terms[k] = BlockTerm(a, b, k);
        return accumulator.Accumulate(terms);
    }

    /// <summary>The exact value of one element code (MXINT8's fixed 2^−6 included).</summary>
    public static ExactValue Element(BlockFormat f, byte code) =>
        Decoder.DecodeExact(f.Element, code).ScaleB(f.ElementExponentOffset);

    /// <summary>Throws unless blocks of the two formats can be paired.</summary>
    public static void CheckPair(BlockFormat fa, BlockFormat fb)
    {
        if (fa.BlockSize != fb.BlockSize)
            throw new ArgumentException($"{fa.Name} (blocks of {fa.BlockSize}) and {fb.Name} (blocks of {fb.BlockSize}) cannot be paired");
    }
}
