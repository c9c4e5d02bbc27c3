using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// The lane width the encode body runs on, as a type so the JIT specialises it. A lane holds a float32's bits with its
/// fraction cut to <see cref="FractionBits"/>: all 23 in 32-bit lanes (8 per register); in 16-bit lanes (16 per
/// register, AVX-512BW) the float's top half, 7 fraction bits, with the 16 bits below folded into its lowest bit as a
/// sticky bit. The fold keeps every rounding decision when the format's quantum lies at least two bits above that
/// lowest bit (mantissas of at most 5 bits): the remainder then compares with half a quantum, and with zero, as before.
/// </summary>
internal unsafe interface ILanes<T> where T : unmanaged
{
    static abstract int LaneBits { get; }
    static abstract int FractionBits { get; }
    static abstract Vector256<T> Create(int value);
    static abstract Vector256<T> ShiftLeft(Vector256<T> v, int count);
    static abstract Vector256<T> ShiftRightLogical(Vector256<T> v, int count);
    static abstract Vector256<T> ShiftRightArithmetic(Vector256<T> v, int count);
    static abstract Vector256<T> ShiftLeftVariable(Vector256<T> v, Vector256<T> counts);
    static abstract Vector256<T> ShiftRightLogicalVariable(Vector256<T> v, Vector256<T> counts);
    /// <summary>floor(log2) of positive significands below 2^23 (normalising float32 subnormals; 32-bit lanes only).</summary>
    static abstract Vector256<T> Log2(Vector256<T> significand);
    /// <summary>How many registers of lanes 32 floats fill: 4 of 32-bit lanes, 2 of 16-bit ones.</summary>
    static abstract int RegistersPer32 { get; }
    /// <summary>Register <paramref name="index"/> of the 32 floats at <paramref name="source"/>, as lanes, in order.</summary>
    static abstract Vector256<T> Load(float* source, int index);
    /// <summary>
    /// Stores the codes of the first <see cref="RegistersPer32"/> registers (each lane one code, 0–255) as 32 bytes in
    /// order; the others are ignored.
    /// </summary>
    static abstract void Pack32(byte* destination, Vector256<T> c0, Vector256<T> c1, Vector256<T> c2, Vector256<T> c3);
}

/// <summary>32-bit lanes: the whole float32, AVX2.</summary>
internal readonly struct Int32Lanes : ILanes<int>
{
    public static int LaneBits => 32;
    public static int FractionBits => 23;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Create(int value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeft(Vector256<int> v, int count) => Vector256.ShiftLeft(v, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightLogical(Vector256<int> v, int count) => Vector256.ShiftRightLogical(v, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightArithmetic(Vector256<int> v, int count) => Vector256.ShiftRightArithmetic(v, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeftVariable(Vector256<int> v, Vector256<int> counts) => Avx2.ShiftLeftLogicalVariable(v, counts.AsUInt32());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightLogicalVariable(Vector256<int> v, Vector256<int> counts) =>
        Avx2.ShiftRightLogicalVariable(v, counts.AsUInt32());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Log2(Vector256<int> significand) =>
        Vector256.ShiftRightLogical(Avx.ConvertToVector256Single(significand).AsInt32(), 23) - Vector256.Create(127);
    public static int RegistersPer32 => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<int> Load(float* source, int index) => Avx.LoadVector256((int*)source + 8 * index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Pack32(byte* destination, Vector256<int> c0, Vector256<int> c1, Vector256<int> c2, Vector256<int> c3)
    {
        // The packs interleave the registers' 128-bit halves; one 32-bit permute puts the codes back in order.
        Vector256<byte> packed = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(c0, c1), Avx2.PackSignedSaturate(c2, c3));
        Avx.Store(destination, Avx2.PermuteVar8x32(packed.AsInt32(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte());
    }
}

/// <summary>16-bit lanes: the float's top half with a sticky bit (see <see cref="ILanes{T}"/>), AVX-512BW with VL.</summary>
internal readonly struct Int16Lanes : ILanes<short>
{
    public static int LaneBits => 16;
    public static int FractionBits => 7;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<short> Create(int value) => Vector256.Create((short)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ShiftLeft(Vector256<short> v, int count) => Vector256.ShiftLeft(v, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ShiftRightLogical(Vector256<short> v, int count) => Vector256.ShiftRightLogical(v, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ShiftRightArithmetic(Vector256<short> v, int count) => Vector256.ShiftRightArithmetic(v, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ShiftLeftVariable(Vector256<short> v, Vector256<short> counts) =>
        Avx512BW.VL.ShiftLeftLogicalVariable(v, counts.AsUInt16());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ShiftRightLogicalVariable(Vector256<short> v, Vector256<short> counts) =>
        Avx512BW.VL.ShiftRightLogicalVariable(v, counts.AsUInt16());
    public static Vector256<short> Log2(Vector256<short> significand) =>
        throw new NotSupportedException("formats that normalise subnormal inputs are encoded on 32-bit lanes");
    public static int RegistersPer32 => 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<short> Load(float* source, int index)
    {
        short* s = (short*)(source + 16 * index);
        return FromFloats(Avx.LoadVector256(s), Avx.LoadVector256(s + 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Pack32(byte* destination, Vector256<short> c0, Vector256<short> c1, Vector256<short> c2, Vector256<short> c3)
    {
        // The pack interleaves the two registers' 128-bit halves; one 64-bit permute puts the codes back in order.
        Vector256<byte> packed = Avx2.PackUnsignedSaturate(c0, c1);
        Avx.Store(destination, Avx2.Permute4x64(packed.AsInt64(), 0b11_01_10_00).AsByte());
    }

    /// <summary>
    /// 16 floats (two 8-float registers) to 16 lanes in order: each float's top half, its lowest bit OR-ed with whether
    /// any of the 16 bits below is set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> FromFloats(Vector256<short> first, Vector256<short> second)
    {
        Vector256<short> high = Avx512BW.VL.PermuteVar16x16x2(first, HighHalves, second);
        Vector256<short> low = Avx512BW.VL.PermuteVar16x16x2(first, LowHalves, second);
        return high | Vector256.Min(low.AsUInt16(), Vector256<ushort>.One).AsInt16();
    }

    // Inlined by force so the JIT folds them to constants: otherwise the loop calls them (16 arguments each) per 32 values.
    private static Vector256<short> HighHalves
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    }

    private static Vector256<short> LowHalves
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    }
}

/// <summary>
/// Which format features the encode body may meet, as a type so that the JIT specialises the body: the plain shapes fix
/// every feature (all absent but the one they name), <see cref="AnyFormat"/> tests each at run time.
/// </summary>
internal interface IFormatShape
{
    /// <summary>Whether every feature is read from the plan at run time (then the others here are not used).</summary>
    static abstract bool General { get; }
    static abstract bool Integer { get; }
    static abstract bool NaNPayload { get; }
    static abstract bool Unsigned { get; }
    static abstract bool FlushNegativeZero { get; }
}

/// <summary>Signed float formats with subnormals and −0, saturating, whose NaN has no payload: e2m1, e4m3, e3m2, …</summary>
internal readonly struct PlainFloat : IFormatShape
{
    public static bool General => false;
    public static bool Integer => false;
    public static bool NaNPayload => false;
    public static bool Unsigned => false;
    public static bool FlushNegativeZero => false;
}

/// <summary>As <see cref="PlainFloat"/>, with IEEE-style NaNs that keep the payload's top bits: e5m2, e4m3ieee.</summary>
internal readonly struct PayloadFloat : IFormatShape
{
    public static bool General => false;
    public static bool Integer => false;
    public static bool NaNPayload => true;
    public static bool Unsigned => false;
    public static bool FlushNegativeZero => false;
}

/// <summary>Signed two's-complement integers, saturating: int2 … int8.</summary>
internal readonly struct PlainInteger : IFormatShape
{
    public static bool General => false;
    public static bool Integer => true;
    public static bool NaNPayload => false;
    public static bool Unsigned => false;
    public static bool FlushNegativeZero => false;
}

/// <summary>Saturating unsigned formats, integer or float, whose negative inputs take one code: uint1 … uint8, e5m3fnu.</summary>
internal readonly struct PlainUnsigned : IFormatShape
{
    public static bool General => false;
    public static bool Integer => false; // negative inputs never reach the two's complement: they take UnsignedNegative
    public static bool NaNPayload => false;
    public static bool Unsigned => true;
    public static bool FlushNegativeZero => false;
}

/// <summary>
/// As <see cref="PlainFloat"/>, without −0: a negative value that rounds to zero gives +0, as −0's code is NaN there
/// (e4m3fnuz, e5m2fnuz, e4m3b11fnuz under saturation).
/// </summary>
internal readonly struct PlainFloatWithoutNegativeZero : IFormatShape
{
    public static bool General => false;
    public static bool Integer => false;
    public static bool NaNPayload => false;
    public static bool Unsigned => false;
    public static bool FlushNegativeZero => true;
}

/// <summary>Any supported format: flush gaps, E8M0's offset, ieee overflow, no −0, own Inf codes.</summary>
internal readonly struct AnyFormat : IFormatShape
{
    public static bool General => true;
    public static bool Integer => false;
    public static bool NaNPayload => false;
    public static bool Unsigned => false;
    public static bool FlushNegativeZero => false;
}
