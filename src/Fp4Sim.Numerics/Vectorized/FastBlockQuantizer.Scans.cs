using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

// The per-block scans: maxima and smallest nonzero magnitudes, eight blocks at a time.
public static unsafe partial class FastBlockQuantizer
{
    /// <summary>
    /// One vector pass over a block: its largest magnitude's bits (the finite amax when at most 0x7F7FFFFF, else the block
    /// holds Inf or NaN) and the smallest nonzero magnitude's bits minus one (below 0x7FFFFF when a float32 subnormal is
    /// there; 0xFFFFFFFF when every value is zero).
    /// </summary>
    private static (uint AmaxBits, uint SmallestNonzeroMinusOne) Scan(uint* block, int size)
    {
        (Vector256<uint> amax, Vector256<uint> smallest) = LanePartials(block, size);
        return (Max(amax), Min(smallest));
    }

    /// <summary>
    /// <see cref="Scan"/> before its horizontal reductions: per lane, the largest magnitude and the smallest magnitude
    /// minus one over the block's registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> Amax, Vector256<uint> SmallestMinusOne) LanePartials(uint* block, int size)
    {
        Vector256<uint> magnitudeMask = Vector256.Create(0x7FFFFFFFu);
        Vector256<uint> amax = Vector256<uint>.Zero, smallest = Vector256<uint>.AllBitsSet;
        for (int i = 0; i < size; i += 8)
        {
            Vector256<uint> magnitude = Vector256.Load(block + i) & magnitudeMask;
            amax = Vector256.Max(amax, magnitude);
            smallest = Vector256.Min(smallest, magnitude - Vector256<uint>.One); // zero wraps to the largest
        }
        return (amax, smallest);
    }

    /// <summary>
    /// The largest magnitude's bits of each of eight consecutive blocks of 16, as the eight lanes of one register: per block
    /// the lane-wise max of its two registers, then the eight registers reduced side by side (interleave and max twice
    /// within 128-bit halves, then across them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Maxima8x16(uint* blocks, Vector256<uint>* m)
    {
        Vector256<uint> magnitudeMask = Vector256.Create(0x7FFFFFFFu);
        for (int b = 0; b < 8; b++) m[b] = BlockMax(blocks + 16 * b, magnitudeMask);
        return ReduceEight<MaxOfLanes>(m);
    }

    /// <summary>
    /// <see cref="Scan"/> for eight consecutive MX blocks: each block's lane-wise max and min (of magnitude − 1) into
    /// <paramref name="partials"/>, then both reduced side by side: lane b holds block b's amax bits and smallest nonzero
    /// magnitude minus one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> Amax, Vector256<uint> SmallestMinusOne) ScanEight(uint* blocks, int size, Vector256<uint>* partials)
    {
        for (int b = 0; b < 8; b++) (partials[b], partials[8 + b]) = LanePartials(blocks + (long)b * size, size);
        return (ReduceEight<MaxOfLanes>(partials), ReduceEight<MinOfLanes>(partials + 8));
    }

    /// <summary>
    /// Eight registers reduced side by side: lane b of the result is the reduction of register b's eight lanes
    /// (interleave and reduce twice within 128-bit halves, then across them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> ReduceEight<TOp>(Vector256<uint>* m) where TOp : ILaneReduction
    {
        Vector256<uint> m01 = TOp.Apply(Avx2.UnpackLow(m[0], m[1]), Avx2.UnpackHigh(m[0], m[1]));
        Vector256<uint> m23 = TOp.Apply(Avx2.UnpackLow(m[2], m[3]), Avx2.UnpackHigh(m[2], m[3]));
        Vector256<uint> m45 = TOp.Apply(Avx2.UnpackLow(m[4], m[5]), Avx2.UnpackHigh(m[4], m[5]));
        Vector256<uint> m67 = TOp.Apply(Avx2.UnpackLow(m[6], m[7]), Avx2.UnpackHigh(m[6], m[7]));
        Vector256<uint> m0123 = TOp.Apply(Avx2.UnpackLow(m01.AsUInt64(), m23.AsUInt64()).AsUInt32(),
            Avx2.UnpackHigh(m01.AsUInt64(), m23.AsUInt64()).AsUInt32());
        Vector256<uint> m4567 = TOp.Apply(Avx2.UnpackLow(m45.AsUInt64(), m67.AsUInt64()).AsUInt32(),
            Avx2.UnpackHigh(m45.AsUInt64(), m67.AsUInt64()).AsUInt32());
        // Each 128-bit half now holds registers 0-3 (resp. 4-7) reduced over that half's lanes; join the two halves.
        return TOp.Apply(Avx2.Permute2x128(m0123, m4567, 0x20), Avx2.Permute2x128(m0123, m4567, 0x31));
    }

    private interface ILaneReduction
    {
        static abstract Vector256<uint> Apply(Vector256<uint> a, Vector256<uint> b);
    }

    private readonly struct MaxOfLanes : ILaneReduction
    {
        public static Vector256<uint> Apply(Vector256<uint> a, Vector256<uint> b) => Vector256.Max(a, b);
    }

    private readonly struct MinOfLanes : ILaneReduction
    {
        public static Vector256<uint> Apply(Vector256<uint> a, Vector256<uint> b) => Vector256.Min(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> BlockMax(uint* block, Vector256<uint> magnitudeMask) =>
        Vector256.Max(Vector256.Load(block) & magnitudeMask, Vector256.Load(block + 8) & magnitudeMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Max(Vector256<uint> v)
    {
        Vector128<uint> m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2u, 3, 0, 1)));
        return Math.Max(m.GetElement(0), m.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Min(Vector256<uint> v)
    {
        Vector128<uint> m = Vector128.Min(v.GetLower(), v.GetUpper());
        m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(2u, 3, 0, 1)));
        return Math.Min(m.GetElement(0), m.GetElement(1));
    }
}
