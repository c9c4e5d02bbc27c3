using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Training.Quartet;

/// <summary>
/// A row-major matrix quantized by Quartet along its rows (groups of 32 along the GEMM's reduction dimension): the
/// MXFP4 operand, the trust masks (one 32-bit word per group) and the values the blocks decode to.
/// </summary>
/// <param name="Matrix">The MXFP4 operand, ready for the exact MXFP4 GEMM.</param>
/// <param name="Masks">Group g's mask: bit i set when element 32·g + i was kept (all ones for absmax).</param>
public sealed record QuartetTensor(MxMatrix Matrix, uint[] Masks)
{
    /// <summary>Rows.</summary>
    public int Rows => Matrix.Rows;

    /// <summary>Columns (the reduction dimension).</summary>
    public int Columns => Matrix.Columns;

    /// <summary>What the blocks decode to (e2m1 · 2^(scale − 127), float32), row-major, or transposed (columns × rows).</summary>
    public float[] Values(bool transpose = false)
    {
        var values = new float[Matrix.Data.Elements.Length];
        MxDequantizer.ToSingle(Matrix, values, transpose);
        return values;
    }

    /// <summary>Whether element <paramref name="index"/> (row-major) was kept by the trust mask.</summary>
    public bool Kept(int index) => (Masks[index / QuartetQuantizer.GroupSize] >> (index % QuartetQuantizer.GroupSize) & 1) != 0;

    /// <summary>
    /// Quantizes already-rotated rows. Element e (row-major index) of a stochastic method uses the bits of stream
    /// <paramref name="srSeed"/> at index e. Equal, code for code, to <see cref="QuartetQuantizer.QuantizeGroup"/> on each
    /// group; QuEST's elements take the vector cast (<see cref="FastCast"/>) of r · 2^−E, which is r · 2^−E exactly but for
    /// float32 underflow or overflow, where both roundings give ±0 or ±6.
    /// </summary>
    /// <exception cref="ArgumentException">A shape that is not whole groups, or a NaN or infinity.</exception>
    public static QuartetTensor Quantize(QuartetMethod method, float[] rotated, int rows, int columns, ulong srSeed = 0) =>
        Quantize((int)method, rotated, rows, columns, srSeed);

    /// <summary>
    /// The plain OCP MX conversion of each group (<see cref="BlockQuantizer"/> with its defaults: scale
    /// 2^(floor(log2 amax) − 2), RNE, saturating at ±6), through the vector cast of r · 2^−E (exact but for float32
    /// underflow, where both give ±0); masks all ones. Equal to the reference code for code on finite values.
    /// </summary>
    /// <exception cref="ArgumentException">A shape that is not whole groups, or a NaN or infinity.</exception>
    public static QuartetTensor QuantizeOcp(float[] values, int rows, int columns) => Quantize(Ocp, values, rows, columns, 0);

    private const int Ocp = -1;

    private static QuartetTensor Quantize(int method, float[] rotated, int rows, int columns, ulong srSeed)
    {
        HadamardRotation.CheckShape(rotated.Length, rows, columns);
        int size = QuartetQuantizer.GroupSize, groupsPerRow = columns / size;
        var scales = new uint[rows * groupsPerRow];
        var elements = new byte[rotated.Length];
        var masks = new uint[scales.Length];
        Exception? bad = null;
        Parallel.For(0, rows, () => new float[columns], (row, state, scaled) =>
        {
            int start = row * columns, group = row * groupsPerRow;
            ReadOnlySpan<float> r = rotated.AsSpan(start, columns);
            Span<byte> codes = elements.AsSpan(start, columns);
            try
            {
                if (method == (int)QuartetMethod.AbsMaxSr) StochasticRow(r, codes, scales, masks, group, srSeed, (ulong)start);
                else VectorRow(method, r, scaled, codes, scales, masks, group);
            }
            catch (ArgumentException e) { bad = new ArgumentException($"row {row}: {e.Message}"); state.Stop(); }
            return scaled;
        }, _ => { });
        if (bad is not null) throw bad;
        var data = new QuantizedBlocks(QuartetQuantizer.Format, scales, elements, 1f);
        return new QuartetTensor(new MxMatrix(data, rows, columns), masks);
    }

    /// <summary>
    /// One row through the vector cast: per group the scale exponent E, then scaled values v = f · (r · 2^−(E+o)) with
    /// r · 2^−(E+o) exact (f = 1, o = 0 for QuEST and OCP; f = 3, o = 2 for absmax), all cast at once. QuEST and OCP:
    /// v is the exact quotient but for float32 underflow or overflow, where both roundings give ±0 or ±6. AbsMax:
    /// RNE32(3 · …) is monotonic and every E2M1 midpoint (0.25, 0.75, …, 5) is a float32, so v rounds like the exact
    /// 3r/2^(E+2) unless it lands on a midpoint itself; those elements (and any below 2^−126, which round to ±0 either
    /// way) are redone by the reference.
    /// </summary>
    private static void VectorRow(int method, ReadOnlySpan<float> r, float[] scaled, Span<byte> codes, uint[] scales, uint[] masks,
        int firstGroup)
    {
        int size = QuartetQuantizer.GroupSize;
        bool quest = method == (int)QuartetMethod.Quest, absMax = method == (int)QuartetMethod.AbsMax;
        float factor = absMax ? 3f : 1f;
        for (int g = 0; g * size < r.Length; g++)
        {
            ReadOnlySpan<float> group = r.Slice(g * size, size);
            QuartetQuantizer.CheckGroup(group);
            // OCP's shared exponent (BlockQuantizer.SharedExponent) is also absmax's: only the elements differ.
            int e = quest ? QuartetQuantizer.QuestExponent(group) : QuartetQuantizer.AbsMaxExponent(group);
            float unit = (float)Math.ScaleB(1.0, -(absMax ? e + 2 : e));
            double bound = Math.ScaleB(6.0, e);
            uint mask = quest ? 0 : uint.MaxValue;
            for (int i = 0; i < size; i++)
            {
                scaled[g * size + i] = factor * (group[i] * unit);
                if (quest && Math.Abs((double)group[i]) < bound) mask |= 1u << i;
            }
            scales[firstGroup + g] = (uint)(e + 127);
            masks[firstGroup + g] = mask;
        }
        FastCast.Encode(KnownFormats.E2M1, scaled.AsSpan(0, r.Length), codes, RoundingContext.Default);
        if (!absMax) return;
        for (int i = 0; i < r.Length; i++)
        {
            float v = Math.Abs(scaled[i]);
            if (IsMidpoint(v) || (v < MinNormal && v != 0))
                codes[i] = QuartetQuantizer.AbsMaxElement(r[i], (int)scales[firstGroup + i / size] - 127, RoundingContext.Default);
        }
    }

    private static readonly float MinNormal = MathF.ScaleB(1f, -126);

    private static bool IsMidpoint(float v) => v is 0.25f or 0.75f or 1.25f or 1.75f or 2.5f or 3.5f or 5f;

    private static void StochasticRow(ReadOnlySpan<float> r, Span<byte> codes, uint[] scales, uint[] masks, int firstGroup,
        ulong srSeed, ulong firstIndex)
    {
        int size = QuartetQuantizer.GroupSize;
        for (int g = 0; g * size < r.Length; g++)
        {
            QuartetGroup q = QuartetQuantizer.QuantizeGroup(QuartetMethod.AbsMaxSr, r.Slice(g * size, size), srSeed, firstIndex + (ulong)(g * size));
            q.Elements.CopyTo(codes.Slice(g * size, size));
            scales[firstGroup + g] = q.Scale;
            masks[firstGroup + g] = q.Mask;
        }
    }
}
