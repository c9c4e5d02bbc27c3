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
/// sign-symmetric, none for integer formats), no memory access per lane.
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
    /// exception code put back. Integer: the code sign- or zero-extended from its width and converted.
    /// </summary>
    // Compiled fully optimised at once, as the encode loop (EncodeKernel): no on-stack-replacement code.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Run512(DecodeTable plan, float* table, byte* source, float* destination, nint count)
    {
        int bits = plan.Bits;
        if (plan.Route == DecodeRoute.Integer)
        {
            int unused = 32 - bits;
            for (nint i = 0; i < count; i += 16)
            {
                Vector512<int> high = Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(Vector128.Load(source + i)), unused);
                Vector512<int> value = plan.Signed ? Vector512.ShiftRightArithmetic(high, unused) : Vector512.ShiftRightLogical(high, unused);
                Avx512F.ConvertToVector512Single(value).Store(destination + i);
            }
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
            r0.Store(destination + i);
        }
    }

    /// <summary>All-ones lanes where bit <paramref name="bit"/> of the code is set.</summary>
    private static Vector512<float> Bit(Vector512<int> index, int bit) =>
        (~Vector512.Equals(index & Vector512.Create(1 << bit), Vector512<int>.Zero)).AsSingle();
}
