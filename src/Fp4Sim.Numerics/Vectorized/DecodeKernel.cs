using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// Vector bodies of the ≤ 8-bit code → float32 cast, both reading a 256-entry table built from
/// <see cref="Decoder.DecodeToSingle"/> (<see cref="DecodeTable"/>, so every path shares one definition): AVX2 with an
/// 8-lane gather; AVX-512 with two-table permutes (<c>vpermt2ps</c>, 32 entries each) selected by the code's bits above
/// the fifth, which needs one permute for formats of at most 5 bits and eight for 8-bit ones (four where the table is
/// sign-symmetric, none for integer formats), no memory access per lane; with VBMI, 6- to 8-bit formats instead look
/// up each byte of a float in its own plane of the table (<c>vpermi2b</c>, 64 codes per permute). Long decodes may
/// store non-temporally.
/// </summary>
internal static unsafe class DecodeKernel
{
    public static bool IsSupported => Avx2.IsSupported && InstructionSets.Avx2Allowed;

    /// <summary>Whether the AVX-512 body runs (<see cref="Run512"/>).</summary>
    public static bool Is512Supported => Avx512F.IsSupported && InstructionSets.Avx512Allowed;

    /// <summary>
    /// The table for a format: entry c is the float32 of code c &amp; CodeMask. Built once per format and shared (callers
    /// only read it): the span casts and the block quantizer ask for it on every call, often on short spans.
    /// </summary>
    public static float[] Table(FormatInfo f) => DecodeTable.For(f).Values;

    /// <summary>Decodes <paramref name="count"/> codes (a multiple of 8).</summary>
    public static void Run(float* table, byte* source, float* destination, nint count)
    {
        for (nint i = 0; i < count; i += 8)
        {
            Vector256<int> index = Avx2.ConvertToVector256Int32(source + i);
            Avx.Store(destination + i, Avx2.GatherVector256(table, index, 4));
        }
    }

    /// <summary>
    /// Decodes <paramref name="count"/> codes (a multiple of 16) through the table's route (<paramref name="table"/> is
    /// <see cref="DecodeTable.Values"/>, pinned). Permutes: per 16 codes the permutes of the 32-entry slices the code's
    /// width can reach, then selects on bits 5, 6 and 7 (codes above the width index entries that repeat the masked
    /// code). Sign-folded: the same over the lower half, the code's top bit moved onto the float's sign, the one
    /// exception code put back. Integer: the code sign- or zero-extended from its width and converted. With VBMI and
    /// <paramref name="allowBytePlanes"/> (tests switch it off to reach the permutes), 6- to 8-bit non-integer formats
    /// take the byte-permute body in whole groups of 64. Non-temporal stores need <paramref name="destination"/> 64-byte
    /// aligned.
    /// </summary>
    // Compiled fully optimised at once, as the encode loop (EncodeKernel): no on-stack-replacement code.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Run512(DecodeTable plan, float* table, byte* source, float* destination, nint count, bool nonTemporal,
        bool allowBytePlanes = true)
    {
        int bits = plan.Bits;
        if (allowBytePlanes && bits >= 6 && plan.Route != DecodeRoute.Integer && IsVbmiSupported)
        {
            nint planed = count & ~63;
            RunBytePlanes(plan, source, destination, planed, nonTemporal);
            source += planed; destination += planed; count -= planed;
        }
        if (plan.Route == DecodeRoute.Integer)
        {
            int unused = 32 - bits;
            for (nint i = 0; i < count; i += 16)
            {
                Vector512<int> high = Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(Vector128.Load(source + i)), unused);
                Vector512<int> value = plan.Signed ? Vector512.ShiftRightArithmetic(high, unused) : Vector512.ShiftRightLogical(high, unused);
                Store(Avx512F.ConvertToVector512Single(value), destination + i, nonTemporal);
            }
            if (nonTemporal) Sse.StoreFence();
            return;
        }
        bool fold = plan.Route == DecodeRoute.SignFolded, patch = fold && plan.ExceptionCode >= 0;
        int valueBits = fold ? bits - 1 : bits;
        int slices = valueBits <= 5 ? 1 : 1 << (valueBits - 5);
        Vector512<int> signBit = Vector512.Create(int.MinValue), exceptionCode = Vector512.Create(plan.ExceptionCode);
        Vector512<float> exceptionValue = Vector512.Create(table[plan.ExceptionCode & 0xFF]);
        int signShift = 32 - bits; // code bit bits − 1 → bit 31
        Span<Vector512<float>> t = stackalloc Vector512<float>[16];
        for (int q = 0; q < 2 * slices; q++) t[q] = Vector512.Load(table + 16 * q);
        for (nint i = 0; i < count; i += 16)
        {
            Vector512<int> index = Avx512F.ConvertToVector512Int32(Vector128.Load(source + i));
            Vector512<float> r0 = Avx512F.PermuteVar16x32x2(t[0], index, t[1]);
            if (slices > 1)
            {
                Vector512<float> r1 = Avx512F.PermuteVar16x32x2(t[2], index, t[3]);
                r0 = Vector512.ConditionalSelect(Bit(index, 5), r1, r0);
                if (slices > 2)
                {
                    Vector512<float> r2 = Avx512F.PermuteVar16x32x2(t[4], index, t[5]);
                    Vector512<float> r3 = Avx512F.PermuteVar16x32x2(t[6], index, t[7]);
                    r0 = Vector512.ConditionalSelect(Bit(index, 6), Vector512.ConditionalSelect(Bit(index, 5), r3, r2), r0);
                    if (slices > 4)
                    {
                        Vector512<float> r4 = Avx512F.PermuteVar16x32x2(t[8], index, t[9]);
                        Vector512<float> r5 = Avx512F.PermuteVar16x32x2(t[10], index, t[11]);
                        Vector512<float> r6 = Avx512F.PermuteVar16x32x2(t[12], index, t[13]);
                        Vector512<float> r7 = Avx512F.PermuteVar16x32x2(t[14], index, t[15]);
                        Vector512<float> high = Vector512.ConditionalSelect(Bit(index, 6),
                            Vector512.ConditionalSelect(Bit(index, 5), r7, r6), Vector512.ConditionalSelect(Bit(index, 5), r5, r4));
                        r0 = Vector512.ConditionalSelect(Bit(index, 7), high, r0);
                    }
                }
            }
            if (fold) r0 ^= (Vector512.ShiftLeft(index, signShift) & signBit).AsSingle();
            if (patch) r0 = Vector512.ConditionalSelect(Vector512.Equals(index, exceptionCode).AsSingle(), exceptionValue, r0);
            Store(r0, destination + i, nonTemporal);
        }
        if (nonTemporal) Sse.StoreFence(); // non-temporal stores are weakly ordered
    }

    /// <summary>Whether the byte-permute body runs (AVX-512 VBMI's <c>vpermi2b</c>).</summary>
    private static bool IsVbmiSupported => Avx512Vbmi.IsSupported && InstructionSets.Avx512Allowed;

    /// <summary>
    /// Decodes <paramref name="count"/> codes (a multiple of 64) of a 6- to 8-bit format by byte permutes: each of the
    /// four bytes of a float32 entry is looked up in its own 256-byte plane (<see cref="DecodeTable.Planes"/>), 64 codes
    /// per <c>vpermi2b</c> over 128 entries (two, and a select on bit 7, for 8-bit codes), then the four planes are
    /// interleaved into floats. The codes are first reordered so that the interleave, which works within 128-bit
    /// halves, leaves the floats in order.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void RunBytePlanes(DecodeTable plan, byte* source, float* destination, nint count, bool nonTemporal)
    {
        bool wide = plan.Bits == 8;
        fixed (byte* planes = plan.Planes)
        {
            var t = new Planes(planes);
            Vector512<byte> order = InterleaveOrder;
            for (nint i = 0; i < count; i += 64)
            {
                Vector512<byte> codes = Avx512Vbmi.PermuteVar64x8(Vector512.Load(source + i), order);
                Vector512<byte> high = wide ? Vector512.LessThan(codes.AsSByte(), Vector512<sbyte>.Zero).AsByte() : Vector512<byte>.Zero;
                Vector512<byte> p0 = Lookup(t.P00, t.P01, t.P02, t.P03, codes, high, wide);
                Vector512<byte> p1 = Lookup(t.P10, t.P11, t.P12, t.P13, codes, high, wide);
                Vector512<byte> p2 = Lookup(t.P20, t.P21, t.P22, t.P23, codes, high, wide);
                Vector512<byte> p3 = Lookup(t.P30, t.P31, t.P32, t.P33, codes, high, wide);
                Vector512<short> low01 = Avx512BW.UnpackLow(p0, p1).AsInt16(), high01 = Avx512BW.UnpackHigh(p0, p1).AsInt16();
                Vector512<short> low23 = Avx512BW.UnpackLow(p2, p3).AsInt16(), high23 = Avx512BW.UnpackHigh(p2, p3).AsInt16();
                Store(Avx512BW.UnpackLow(low01, low23).AsSingle(), destination + i, nonTemporal);
                Store(Avx512BW.UnpackHigh(low01, low23).AsSingle(), destination + i + 16, nonTemporal);
                Store(Avx512BW.UnpackLow(high01, high23).AsSingle(), destination + i + 32, nonTemporal);
                Store(Avx512BW.UnpackHigh(high01, high23).AsSingle(), destination + i + 48, nonTemporal);
            }
        }
        if (nonTemporal) Sse.StoreFence();
    }

    /// <summary>One plane's byte for each code: entries 0–127 by one two-table permute, 128–255 by another, chosen on bit 7.</summary>
    private static Vector512<byte> Lookup(Vector512<byte> e0, Vector512<byte> e1, Vector512<byte> e2, Vector512<byte> e3,
        Vector512<byte> codes, Vector512<byte> high, bool wide)
    {
        Vector512<byte> low = Avx512Vbmi.PermuteVar64x8x2(e0, codes, e1);
        return wide ? Vector512.ConditionalSelect(high, Avx512Vbmi.PermuteVar64x8x2(e2, codes, e3), low) : low;
    }

    /// <summary>
    /// Position 16L + 4q + j of the reordered codes holds code 16q + 4L + j: the byte and word interleaves put plane
    /// position 16L + 4q + j into float 4L + j of output register q.
    /// </summary>
    private static Vector512<byte> InterleaveOrder
    {
        get
        {
            Span<byte> order = stackalloc byte[64];
            for (int lane = 0; lane < 4; lane++)
                for (int q = 0; q < 4; q++)
                    for (int j = 0; j < 4; j++) order[16 * lane + 4 * q + j] = (byte)(16 * q + 4 * lane + j);
            return Vector512.Create((ReadOnlySpan<byte>)order);
        }
    }

    /// <summary>The four planes' 256 bytes each, as four 64-byte registers per plane.</summary>
    private readonly struct Planes(byte* p)
    {
        public readonly Vector512<byte> P00 = Vector512.Load(p), P01 = Vector512.Load(p + 64), P02 = Vector512.Load(p + 128);
        public readonly Vector512<byte> P03 = Vector512.Load(p + 192), P10 = Vector512.Load(p + 256), P11 = Vector512.Load(p + 320);
        public readonly Vector512<byte> P12 = Vector512.Load(p + 384), P13 = Vector512.Load(p + 448), P20 = Vector512.Load(p + 512);
        public readonly Vector512<byte> P21 = Vector512.Load(p + 576), P22 = Vector512.Load(p + 640), P23 = Vector512.Load(p + 704);
        public readonly Vector512<byte> P30 = Vector512.Load(p + 768), P31 = Vector512.Load(p + 832), P32 = Vector512.Load(p + 896);
        public readonly Vector512<byte> P33 = Vector512.Load(p + 960);
    }

    /// <summary>A 64-byte store; non-temporal ones need the destination 64-byte aligned, as the caller arranges.</summary>
    private static void Store(Vector512<float> v, float* p, bool nonTemporal)
    {
        System.Diagnostics.Debug.Assert(!nonTemporal || ((nuint)p & 63) == 0, "non-temporal stores need 64-byte alignment");
        if (nonTemporal) v.StoreAlignedNonTemporal(p); else v.Store(p);
    }

    /// <summary>All-ones lanes where bit <paramref name="bit"/> of the code is set.</summary>
    private static Vector512<float> Bit(Vector512<int> index, int bit) =>
        (~Vector512.Equals(index & Vector512.Create(1 << bit), Vector512<int>.Zero)).AsSingle();
}
