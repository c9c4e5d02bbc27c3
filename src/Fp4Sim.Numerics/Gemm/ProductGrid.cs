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
    /// <summary>
    /// The low two bits of an entry: the product lost bits on the grid, or is NaN/∞ (then its steps are 0, so adding it
    /// is skipping it). The steps sit above them: entry = steps · 4 + kind.
    /// </summary>
    internal const long Rounded = 1, Special = 2;

    /// <summary>Products of at most 2^59 grid steps, so that a 62-bit word plus an entry's steps never leaves 64 bits.</summary>
    private const int StepBits = 59;

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

    /// <summary>Whether some product is NaN or infinite (skipped by the register, which raises its invalid flag).</summary>
    public bool AnySpecial { get; }

    /// <summary>Whether some product is rounded onto the grid (the register is coarser than the products).</summary>
    public bool AnyRounded { get; }

    /// <summary>Per operand pair: steps · 4 + kind (<see cref="Rounded"/>, <see cref="Special"/>).</summary>
    internal long[] Entries { get; }

    private ProductGrid(FormatInfo a, FormatInfo b, FixedPointAccumulator accumulator, int maxShift)
    {
        A = a; B = b; Accumulator = accumulator; MaxShift = maxShift;
        int size = 1 << IndexBits(a, b, maxShift);
        Entries = new long[size + 16]; // a row operand's 16-entry slice never reads past the end (FixedPointGemmKernel)
        BigInteger limit = BigInteger.One << StepBits;
        bool anyRounded = false, anySpecial = false;
        for (int s = 0; s <= maxShift; s++)
            for (uint x = 0; x < a.CodeCount; x++)
                for (uint y = 0; y < b.CodeCount; y++)
                {
                    int index = RowOperand(x, s) | (int)y;
                    ExactValue product = PreShiftedBias.ShiftedProduct(a, x, s, b, y).Value;
                    if (!product.IsFinite)
                    {
                        Entries[index] = Special;
                        anySpecial = true;
                        continue;
                    }
                    BigInteger steps = accumulator.OnGrid(product);
                    if (BigInteger.Abs(steps) >= limit)
                        throw new ArgumentException(
                            $"{accumulator.Name}: a {a.Name} x {b.Name} product is {steps} grid steps, beyond the fast path's 2^{StepBits}");
                    bool rounded = ExactValue.Of(steps, -accumulator.FractionBits) != product && product.Kind != ValueKind.Zero;
                    Entries[index] = ((long)steps << 2) | (rounded ? Rounded : 0);
                    anyRounded |= rounded;
                }
        AnyRounded = anyRounded;
        AnySpecial = anySpecial;
    }

    /// <summary>The table for a format pair, register and largest shift (built once and kept; a handful per model).</summary>
    /// <exception cref="ArgumentException">Codes wider than 8 bits, a register wider than 62 bits, or a product beyond 2^59 steps.</exception>
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

    /// <summary>The row operand of code <paramref name="code"/> with shift <paramref name="shift"/>; OR a column code into it.</summary>
    public int RowOperand(uint code, int shift) => RowOperand(A, B, code, shift);

    /// <summary>
    /// The table index of (A code, shift) with no column code yet, for any table laid out like this one over formats
    /// <paramref name="a"/> and <paramref name="b"/>: (shift · |A| + code) · 2^bits(B).
    /// </summary>
    public static int RowOperand(FormatInfo a, FormatInfo b, uint code, int shift) => (int)(((uint)shift * a.CodeCount + code) << b.TotalBits);

    /// <summary>The table size for formats <paramref name="a"/>, <paramref name="b"/> and shifts up to <paramref name="maxShift"/>.</summary>
    public static int TableSize(FormatInfo a, FormatInfo b, int maxShift) => 1 << IndexBits(a, b, maxShift);

    /// <summary>Throws unless every row operand is one of this table's (code, shift) pairs and every column code one of B's.</summary>
    /// <exception cref="ArgumentException">An operand outside the table.</exception>
    public void CheckOperands(ReadOnlySpan<int> rows, ReadOnlySpan<byte> columns)
    {
        int low = (1 << B.TotalBits) - 1;
        long rowCount = (MaxShift + 1L) * (long)A.CodeCount;
        foreach (int r in rows)
            if (r < 0 || (r & low) != 0 || (r >> B.TotalBits) >= rowCount)
                throw new ArgumentException($"row operand {r} is not a {A.Name} code with a shift of 0..{MaxShift}");
        if (B.CodeCount < 256 && columns.IndexOfAnyInRange((byte)B.CodeCount, byte.MaxValue) is int at and >= 0)
            throw new ArgumentException($"column code {columns[at]} is not a {B.Name} code");
    }

    private static int IndexBits(FormatInfo a, FormatInfo b, int maxShift) =>
        (int)BigInteger.Log2(((BigInteger)maxShift + 1) * a.CodeCount - 1) + 1 + b.TotalBits;
}
