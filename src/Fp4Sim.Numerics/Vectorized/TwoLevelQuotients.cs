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
    /// <summary>
    /// Whether every nonzero value below 2^−125 rounds alike in each deterministic mode (by sign alone): the format's
    /// least positive value is at least 2^−124. True for E2M1 and E4M3; false for E8M0, whose least value is 2^−127.
    /// </summary>
    public static bool RoundsTinyAlike(Formats.FormatInfo format) => Codec.CodeSpace.MinSubnormal(format) >= Math.ScaleB(1.0, -124);

    /// <summary>A block's divisor with its binary64 and float32 reciprocals, prepared once per block.</summary>
    public readonly struct Divisor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Divisor(double divisor)
        {
            Value = Vector256.Create(divisor);
            Reciprocal = Vector256.Create(1 / divisor);
            float near = (float)(1 / divisor);
            NearReciprocal = Vector256.Create(near);
            HasNearReciprocal = float.IsNormal(near);
        }

        public readonly Vector256<double> Value, Reciprocal;
        public readonly Vector256<float> NearReciprocal;
        /// <summary>Whether RN32(1/d) is a normal float32 (else every quotient takes <see cref="StageExact"/>).</summary>
        public readonly bool HasNearReciprocal;
    }

    /// <summary>
    /// Eight quotients staged round-to-odd to 8 significant bits from the float32 product q0 = RN32(x · RN32(1/d)), or
    /// false when any lane is too close to call. q0 lies within 2^−23 · (1 + 2^−22) of q (relative), under three of q0's
    /// float32 steps, so the 8-bit truncations of q0 and q agree, and q is not an 8-bit value, unless q0's low 16
    /// significand bits lie within 4 steps of a multiple of 2^16; those lanes are left to <see cref="StageExact"/> (so is
    /// an overflowed product: Inf's low bits are zero). A product below 2^−126, where the bound ends, is staged as a tiny
    /// value of its sign, as the type's remarks allow. Zeros stage as themselves. Quotients are rarely that close to a
    /// boundary: about 1 lane in 8000 on data without exact quotients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryStageNear(Vector256<float> x, in Divisor d, out Vector256<uint> staged)
    {
        if (!d.HasNearReciprocal)
        {
            staged = default;
            return false;
        }
        Vector256<int> q = (x * d.NearReciprocal).AsInt32();
        Vector256<int> magnitude = q & Vector256.Create(0x7FFFFFFF);
        Vector256<int> zero = Vector256.Equals(x.AsInt32() & Vector256.Create(0x7FFFFFFF), Vector256<int>.Zero);
        Vector256<int> clear = Vector256.GreaterThan((magnitude + Vector256.Create(4)) & Vector256.Create(0xFFFF), Vector256.Create(7));
        staged = ((q & Vector256.Create(unchecked((int)0xFFFF0000))) | (~zero & Vector256.Create(0x10000))).AsUInt32();
        return Vector256.EqualsAll(zero | clear, Vector256<int>.AllBitsSet);
    }

    /// <summary>
    /// Eight quotients staged round-to-odd to 24 bits, exactly: by <see cref="QuotientToOdd"/> where FMA is available, else
    /// by binary64 division and <see cref="RoundToOddSingle(Vector256{double})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> StageExact(Vector256<float> x, in Divisor d)
    {
        if (Fma.IsSupported)
            return Vector256.Narrow(QuotientToOdd(Vector256.WidenLower(x), d), QuotientToOdd(Vector256.WidenUpper(x), d)).AsUInt32();
        return Vector256.Narrow(RoundToOddSingle(Vector256.WidenLower(x) / d.Value), RoundToOddSingle(Vector256.WidenUpper(x) / d.Value))
            .AsUInt32(); // exact: both halves are float32 values
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
    private static Vector256<double> QuotientToOdd(Vector256<double> x, in Divisor d)
    {
        Vector256<ulong> sign = x.AsUInt64() & Vector256.Create(0x8000000000000000UL);
        Vector256<double> magnitude = (x.AsUInt64() ^ sign).AsDouble();
        Vector256<ulong> lastBit = Vector256.Create(1UL << 29);
        Vector256<ulong> g = ((magnitude * d.Reciprocal).AsUInt64() + Vector256.Create(1UL << 28)) & Vector256.Create(~((1UL << 29) - 1));
        Vector256<double> remainder = Fma.MultiplyAddNegated(g.AsDouble(), d.Value, magnitude); // x − g·d, exact
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
