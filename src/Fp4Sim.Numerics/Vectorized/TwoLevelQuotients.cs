using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// Two-level (NVFP4) quotients x / d staged as float32 values whose encode gives the element code of the exact quotient,
/// for element formats of at most 3 significant bits (d = block scale · tensor scale: a 4-bit significand times a float32,
/// so at most 28 bits, exact in binary64).
/// <para>
/// Why a staged value can stand for the exact quotient q: round-to-odd to p bits (drop the bits below the p-th, set the
/// p-th when any was set) keeps every decision of a later rounding to k ≤ p − 2 bits, in every deterministic mode. A
/// k-bit value and a midpoint between two are p-bit values, so round-to-odd lands on one only when q is exactly there,
/// and otherwise stays strictly between the same two of them as q. Every value here is staged round-to-odd to 24 bits
/// (<see cref="StageExact"/>) or to 8 (<see cref="TryStageNear"/>), both well above the 3 + 2 the elements need. Below
/// float32's normal range that precision ends, so a nonzero quotient there is staged as a tiny value of its sign (±2^−126
/// by the exact path): every deterministic mode rounds it as it does q, because both lie below half the format's least
/// positive value (<see cref="RoundsTinyAlike"/>, which the vector path requires of element and scale formats).
/// </para>
/// </summary>
internal static class TwoLevelQuotients
{
    /// <summary>Whether the staging runs here: it needs FMA for its exact remainders (and AVX2 for its gathers).</summary>
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>
    /// Whether every nonzero value below 2^−125 rounds alike in each deterministic mode (by sign alone): the format's
    /// least positive value is at least 2^−124. True for E2M1 and E4M3; false for E8M0, whose least value is 2^−127.
    /// </summary>
    public static bool RoundsTinyAlike(Formats.FormatInfo format) => Codec.CodeSpace.MinSubnormal(format) >= Math.ScaleB(1.0, -124);

    /// <summary>
    /// A block's divisor with its binary64 and float32 reciprocals, prepared once per block. The divisor is positive (a
    /// nonnegative scale value times a positive tensor scale; a zero one's block goes to the reference): the staging
    /// routes read the quotient's sign from x alone.
    /// </summary>
    public readonly struct Divisor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Divisor(double value, double reciprocal, float nearReciprocal)
        {
            Value = value;
            Reciprocal = reciprocal;
            NearReciprocal = nearReciprocal;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Divisor(double divisor)
        {
            Value = divisor;
            Reciprocal = 1 / divisor;
            float near = (float)Reciprocal;
            NearReciprocal = float.IsNormal(near) ? near : 0;
        }

        public readonly double Value, Reciprocal;
        /// <summary>RN32(1/d) where that is a normal float32, else 0 (every quotient then takes <see cref="StageExact"/>).</summary>
        public readonly float NearReciprocal;
    }

    /// <summary>A chunk's divisors, one entry per block in three arrays (so eight blocks are written by three stores).</summary>
    public readonly unsafe struct DivisorTable(double* values, double* reciprocals, float* nearReciprocals)
    {
        public readonly double* Values = values, Reciprocals = reciprocals;
        public readonly float* NearReciprocals = nearReciprocals;

        public Divisor this[nint block]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => new(Values[block], Reciprocals[block], NearReciprocals[block]);
        }
    }

    /// <summary>
    /// Each of <paramref name="count"/> blocks' divisor into <paramref name="table"/>: d = the scale code's value · the
    /// tensor scale (exact: 4 + 24 significant bits), eight blocks at a time (the same products and one binary64 division
    /// each). Computed ahead of the staging, so no division sits in the encode loop's dependency chains. Returns how many
    /// block numbers (<paramref name="firstBlock"/> + b) it wrote to <paramref name="unusable"/>: those whose code is
    /// <paramref name="nonFinite"/> (their divisor is set to 0) or whose divisor is 0; the caller re-quantizes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Divisors(uint* codes, float* scaleValues, double tensorScale, uint nonFinite, int count, in DivisorTable table,
        int firstBlock, int* unusable)
    {
        int b = 0, found = 0;
        Vector256<double> t = Vector256.Create(tensorScale), one = Vector256.Create(1.0);
        for (; b + 8 <= count; b += 8)
        {
            Vector256<uint> code = Vector256.Load(codes + b);
            Vector256<uint> finite = ~Vector256.Equals(code, Vector256.Create(nonFinite));
            Vector256<float> value = Avx2.GatherMaskVector256(Vector256<float>.Zero, scaleValues, (code & finite).AsInt32(), finite.AsSingle(), 4);
            Vector256<double> lower = Vector256.WidenLower(value) * t, upper = Vector256.WidenUpper(value) * t;
            Vector256<double> lowerReciprocal = one / lower, upperReciprocal = one / upper;
            Vector256<float> near = Vector256.Narrow(lowerReciprocal, upperReciprocal);
            Vector256<int> nearBits = near.AsInt32() & Vector256.Create(0x7FFFFFFF);
            Vector256<int> normal = Vector256.GreaterThan(nearBits, Vector256.Create(0x007FFFFF))
                                    & Vector256.LessThan(nearBits, Vector256.Create(0x7F800000));
            (near.AsInt32() & normal).AsSingle().Store(table.NearReciprocals + b);
            lower.Store(table.Values + b);
            upper.Store(table.Values + b + 4);
            lowerReciprocal.Store(table.Reciprocals + b);
            upperReciprocal.Store(table.Reciprocals + b + 4);
            // A non-finite code, or a zero divisor (a zero scale): the same rule as the tail below.
            uint zero = Vector256.Equals(lower, Vector256<double>.Zero).ExtractMostSignificantBits()
                        | Vector256.Equals(upper, Vector256<double>.Zero).ExtractMostSignificantBits() << 4
                        | (~finite).ExtractMostSignificantBits();
            for (; zero != 0; zero &= zero - 1) unusable[found++] = firstBlock + b + System.Numerics.BitOperations.TrailingZeroCount(zero);
        }
        for (; b < count; b++)
        {
            double d = codes[b] == nonFinite ? 0 : scaleValues[codes[b]] * tensorScale;
            var divisor = new Divisor(d);
            table.Values[b] = d;
            table.Reciprocals[b] = divisor.Reciprocal;
            table.NearReciprocals[b] = divisor.NearReciprocal;
            if (d == 0) unusable[found++] = firstBlock + b;
        }
        return found;
    }

    /// <summary>
    /// A chunk of two-level blocks as an <see cref="IStagedSource"/>: element i is x_i / d of its block
    /// (<paramref name="divisors"/>), staged by <see cref="TryStageNear"/> or <see cref="StageExact"/> eight at a time.
    /// Blocks hold a power of two of at least 16 elements. <paramref name="prefetch"/> (the next chunk, or null) is fetched
    /// into the cache along the way.
    /// </summary>
    public readonly unsafe struct Source(float* values, DivisorTable divisors, int blockShift, float* prefetch) : IStagedSource
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Stage32(nint index, float* buffer)
        {
            if (prefetch != null)
            {
                Sse.Prefetch1(prefetch + index);
                Sse.Prefetch1(prefetch + index + 16);
            }
            nint block = index >> blockShift;
            Divisor first = divisors[block];
            StageEight(values + index, first, buffer);
            StageEight(values + index + 8, first, buffer + 8);
            Divisor second = blockShift == 4 ? divisors[block + 1] : first; // blocks of 16: the second half is the next block
            StageEight(values + index + 16, second, buffer + 16);
            StageEight(values + index + 24, second, buffer + 24);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StageEight(float* x, in Divisor d, float* staged)
        {
            Vector256<float> values = Vector256.Load(x);
            (TryStageNear(values, d, out Vector256<uint> near) ? near : StageExact(values, d)).AsSingle().Store(staged);
        }
    }

    /// <summary>
    /// Eight quotients staged round-to-odd to 8 significant bits from the float32 product q0 = RN32(x · RN32(1/d)), or
    /// false when any lane is too close to call. q0 lies within 2^−23 · (1 + 2^−22) of q (relative), under three of q0's
    /// float32 steps, so the 8-bit truncations of q0 and q agree, and q is not an 8-bit value, unless q0's low 16
    /// significand bits lie at most 4 steps below or 3 above a multiple of 2^16; those lanes are left to <see cref="StageExact"/> (so is
    /// an overflowed product: Inf's low bits are zero). A product below 2^−126, where the bound ends, is staged as a tiny
    /// value of its sign, as the type's remarks allow. Zeros stage as themselves. Quotients are rarely that close to a
    /// boundary: about 1 lane in 8000 on data without exact quotients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryStageNear(Vector256<float> x, in Divisor d, out Vector256<uint> staged)
    {
        if (d.NearReciprocal == 0)
        {
            staged = default;
            return false;
        }
        Vector256<int> q = (x * Vector256.Create(d.NearReciprocal)).AsInt32();
        Vector256<int> magnitude = q & Vector256.Create(0x7FFFFFFF);
        Vector256<int> zero = Vector256.Equals(x.AsInt32() & Vector256.Create(0x7FFFFFFF), Vector256<int>.Zero);
        Vector256<int> clear = Vector256.GreaterThan((magnitude + Vector256.Create(4)) & Vector256.Create(0xFFFF), Vector256.Create(7));
        staged = ((q & Vector256.Create(unchecked((int)0xFFFF0000))) | (~zero & Vector256.Create(0x10000))).AsUInt32();
        return Vector256.EqualsAll(zero | clear, Vector256<int>.AllBitsSet);
    }

    /// <summary>
    /// Eight quotients staged round-to-odd to 24 bits, exactly, by <see cref="QuotientToOdd"/> (the two-level vector path
    /// requires FMA: <see cref="IsSupported"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> StageExact(Vector256<float> x, in Divisor d)
    {
        Vector256<double> value = Vector256.Create(d.Value), reciprocal = Vector256.Create(d.Reciprocal);
        Vector256<double> lower = QuotientToOdd(Vector256.WidenLower(x), value, reciprocal);
        return Vector256.Narrow(lower, QuotientToOdd(Vector256.WidenUpper(x), value, reciprocal)).AsUInt32();
    }

    /// <summary>
    /// Round-to-odd of x / d to 24 bits without a division. The dividends have 24 bits and the divisors at most 28, so a
    /// binary64 quotient could stand in (one that is not exactly a float32 or a midpoint lies at least 2^−52 away from
    /// one, relative, beyond binary64's rounding error of 2^−53), but binary64 division is slow. Instead: q0 = x · RN(1/d)
    /// lies within 2^−51 (relative) of q; g, q0 rounded to 24 significant bits, is then within half a float32 step of q
    /// plus that error, so q lies strictly between g's float32 neighbours. The remainder x − g·d is exact in one fused
    /// multiply-add (g·d has at most 24 + 28 bits, the difference at most 29), and its sign places q against g: on g
    /// (staged as g), above it (g with its last bit set) or below it (g's predecessor with its last bit set).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> QuotientToOdd(Vector256<double> x, Vector256<double> d, Vector256<double> reciprocal)
    {
        Vector256<ulong> sign = x.AsUInt64() & Vector256.Create(0x8000000000000000UL);
        Vector256<double> magnitude = (x.AsUInt64() ^ sign).AsDouble();
        Vector256<ulong> lastBit = Vector256.Create(1UL << 29);
        Vector256<ulong> g = ((magnitude * reciprocal).AsUInt64() + Vector256.Create(1UL << 28)) & Vector256.Create(~((1UL << 29) - 1));
        Vector256<double> remainder = Fma.MultiplyAddNegated(g.AsDouble(), d, magnitude); // x − g·d, exact
        Vector256<ulong> above = Vector256.GreaterThan(remainder, Vector256<double>.Zero).AsUInt64();
        Vector256<ulong> below = Vector256.LessThan(remainder, Vector256<double>.Zero).AsUInt64();
        g = (g - (below & lastBit)) | ((above | below) & lastBit);
        return (ClampTiny(g) | sign).AsDouble();
    }

    /// <summary>The scalar <see cref="RoundToOddSingle(Vector256{double})"/>, returned as the (exact) float32.</summary>
    public static float RoundToOddSingle(double q) => (float)RoundToOddSingle(Vector256.Create(q)).GetElement(0);

    /// <summary>
    /// Round-to-odd of binary64 values to float32 precision, returned as binary64: drop the 29 bits below float32's last
    /// and set that last bit when any was set. Nonzero magnitudes below 2^−126 become ±2^−126 (float32's normal range).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> RoundToOddSingle(Vector256<double> q)
    {
        Vector256<ulong> bits = q.AsUInt64(), sign = bits & Vector256.Create(0x8000000000000000UL);
        bits = ClampTiny(bits ^ sign) | sign;
        Vector256<ulong> low = Vector256.Create((1UL << 29) - 1), inexact = ~Vector256.Equals(bits & low, Vector256<ulong>.Zero);
        return Vector256.ConditionalSelect(inexact, (bits & ~low) | Vector256.Create(1UL << 29), bits).AsDouble();
    }

    /// <summary>Binary64 magnitudes' bits with every nonzero one below 2^−126 raised to 2^−126.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> ClampTiny(Vector256<ulong> magnitude)
    {
        Vector256<ulong> minNormal = Vector256.Create(0x3810000000000000UL); // 2^−126
        Vector256<ulong> tiny = Vector256.LessThan(magnitude, minNormal) & ~Vector256.Equals(magnitude, Vector256<ulong>.Zero);
        return Vector256.ConditionalSelect(tiny, minNormal, magnitude);
    }
}
