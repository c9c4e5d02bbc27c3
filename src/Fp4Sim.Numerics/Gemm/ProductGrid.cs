using System.Collections.Concurrent;
using System.Numerics;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// Every product a fixed-point register can be asked to add, on its grid: for codes x of A (each optionally carrying
/// an exponent shift s, LLM-FP4's pre-shift b_j applied inside the MAC) and y of B, the grid steps of
/// <see cref="FixedPointAccumulator.OnGrid"/>(<see cref="PreShiftedBias.ShiftedProduct"/>), taken once from the reference.
/// An operand pair is looked up at <c>RowOperand(x, s) | y</c>; <see cref="FixedPointGemm"/> then only adds.
/// </summary>
public sealed class ProductGrid
{
    /// <summary>What a product is to the register.</summary>
    internal const byte OnGridExactly = 0, Rounded = 1, Special = 2;

    private const int MaxCached = 64;
    private const int MaxIndexBits = 21; // 2 M entries: 8-bit codes with shifts up to 31, or 13-bit A indices by 8-bit B

    private static readonly ConcurrentDictionary<(FormatInfo, FormatInfo, FixedPointAccumulator, int), ProductGrid> Cache = new();

    /// <summary>The row operand's format.</summary>
    public FormatInfo A { get; }

    /// <summary>The column operand's format.</summary>
    public FormatInfo B { get; }

    /// <summary>The register.</summary>
    public FixedPointAccumulator Accumulator { get; }

    /// <summary>The largest exponent shift an A operand may carry (0: plain products).</summary>
    public int MaxShift { get; }

    /// <summary>Whether some product is rounded onto the grid (the register is coarser than the products).</summary>
    public bool AnyRounded { get; }

    internal long[] Steps { get; }

    internal byte[] Kinds { get; }

    private readonly int _columnBits;

    private ProductGrid(FormatInfo a, FormatInfo b, FixedPointAccumulator accumulator, int maxShift)
    {
        A = a; B = b; Accumulator = accumulator; MaxShift = maxShift;
        _columnBits = b.TotalBits;
        int size = 1 << IndexBits(a, b, maxShift);
        Steps = new long[size];
        Kinds = new byte[size];
        BigInteger limit = BigInteger.One << 61;
        bool anyRounded = false;
        for (int s = 0; s <= maxShift; s++)
            for (uint x = 0; x < a.CodeCount; x++)
                for (uint y = 0; y < b.CodeCount; y++)
                {
                    int index = RowOperand(x, s) | (int)y;
                    ExactValue product = PreShiftedBias.ShiftedProduct(a, x, s, b, y).Value;
                    if (!product.IsFinite) { Kinds[index] = Special; continue; }
                    BigInteger steps = accumulator.OnGrid(product);
                    if (BigInteger.Abs(steps) >= limit)
                        throw new ArgumentException(
                            $"{accumulator.Name}: a {a.Name} x {b.Name} product is {steps} grid steps, beyond the fast path's 2^61");
                    Steps[index] = (long)steps;
                    if (ExactValue.Of(steps, -accumulator.FractionBits) != product && product.Kind != ValueKind.Zero)
                    {
                        Kinds[index] = Rounded;
                        anyRounded = true;
                    }
                }
        AnyRounded = anyRounded;
    }

    /// <summary>The table for a format pair, register and largest shift (built once and kept; a handful per model).</summary>
    /// <exception cref="ArgumentException">Codes wider than 8 bits, a register wider than 62 bits, or a product beyond 2^61 steps.</exception>
    public static ProductGrid For(FormatInfo a, FormatInfo b, FixedPointAccumulator accumulator, int maxShift = 0)
    {
        if (a.TotalBits > 8 || b.TotalBits > 8)
            throw new ArgumentException($"the fast fixed-point GEMM takes codes of at most 8 bits, not {a.Name} x {b.Name}");
        if (accumulator.Width > FixedPointGemm.MaxWidth)
            throw new ArgumentException($"{accumulator.Name}: the fast path holds registers of at most {FixedPointGemm.MaxWidth} bits");
        if (maxShift < 0 || IndexBits(a, b, maxShift) > MaxIndexBits)
            throw new ArgumentException($"a shift of up to {maxShift} on {a.Name} x {b.Name} is outside the fast path's table");
        if (Cache.Count > MaxCached) Cache.Clear(); // a handful in practice; never an unbounded cache
        return Cache.GetOrAdd((a, b, accumulator, maxShift), key => new ProductGrid(key.Item1, key.Item2, key.Item3, key.Item4));
    }

    /// <summary>The row operand of code <paramref name="code"/> with shift <paramref name="shift"/>: OR a column code into it to index a product.</summary>
    public int RowOperand(uint code, int shift) => (int)(((uint)shift * A.CodeCount + code) << _columnBits);

    private static int IndexBits(FormatInfo a, FormatInfo b, int maxShift) =>
        (int)BigInteger.Log2(((BigInteger)maxShift + 1) * a.CodeCount - 1) + 1 + b.TotalBits;
}
