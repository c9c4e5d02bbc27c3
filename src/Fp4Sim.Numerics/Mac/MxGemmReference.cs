namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// The scalar reference GEMM on MX operands: C[i, j] = <see cref="MxDot"/> of row i of A and row j of B (B is N × K),
/// summed by the accumulator in block order. The result is binary32, so the accumulator's output must be binary32
/// (fp32, exact, tc:*). Every fast GEMM is checked bit-for-bit against this.
/// </summary>
public static class MxGemmReference
{
    /// <summary>C[i, j] for one output element.</summary>
    public static float Element(MxMatrix a, MxMatrix b, int i, int j, Accumulator accumulator)
    {
        MxDot.CheckPair(a.Data.Format, b.Data.Format);
        int blocks = a.BlocksPerRow;
        var terms = new MacTerm[blocks];
        int size = a.Data.Format.BlockSize;
        for (int k = 0; k < blocks; k++)
        {
            int ea = (i * blocks + k) * size, eb = (j * blocks + k) * size;
            terms[k] = MxDot.BlockTerm(a.Data.Format, a.Data.Elements.AsSpan(ea, size), a.Data.Scales[i * blocks + k],
                                       b.Data.Format, b.Data.Elements.AsSpan(eb, size), b.Data.Scales[j * blocks + k]);
        }
        MacResult r = accumulator.Accumulate(terms);
        if (r.Format != Formats.KnownFormats.Fp32)
            throw new ArgumentException($"accumulator {accumulator.Name} does not produce binary32");
        return BitConverter.UInt32BitsToSingle((uint)r.Bits);
    }

    /// <summary>The full M × N product, row-major.</summary>
    public static float[] Multiply(MxMatrix a, MxMatrix b, Accumulator accumulator)
    {
        if (a.Columns != b.Columns) throw new ArgumentException($"inner dimensions differ: A has K = {a.Columns}, B has K = {b.Columns}");
        var c = new float[(long)a.Rows * b.Rows];
        for (int i = 0; i < a.Rows; i++)
            for (int j = 0; j < b.Rows; j++)
                c[(long)i * b.Rows + j] = Element(a, b, i, j, accumulator);
        return c;
    }
}
