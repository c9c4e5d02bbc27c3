using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// Vector bodies of the ≤ 8-bit code → float32 cast, both reading a 256-entry table built from
/// <see cref="Decoder.DecodeToSingle"/> (so every path shares one definition): AVX2 with an 8-lane gather; AVX-512 with
/// two-table permutes (<c>vpermt2ps</c>, 32 entries each) selected by the code's bits above the fifth, which needs one
/// permute for formats of at most 5 bits and eight for 8-bit ones, no memory access per lane.
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
    public static float[] Table(FormatInfo f) => Tables.GetOrAdd(f, static format =>
    {
        var table = new float[256];
        for (uint c = 0; c < 256; c++) table[c] = Decoder.DecodeToSingle(format, c & format.CodeMask);
        return table;
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FormatInfo, float[]> Tables = new();

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
    /// Decodes <paramref name="count"/> codes (a multiple of 16) of a format of <paramref name="bits"/> bits: per 16 codes
    /// the permutes of the 32-entry slices the code's width can reach, then selects on bits 5, 6 and 7 (codes above the
    /// width index table entries that repeat the masked code, as <see cref="Table"/> builds them).
    /// </summary>
    public static void Run512(float* table, int bits, byte* source, float* destination, nint count)
    {
        int slices = bits <= 5 ? 1 : 1 << (bits - 5);
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
            r0.Store(destination + i);
        }
    }

    /// <summary>All-ones lanes where bit <paramref name="bit"/> of the code is set.</summary>
    private static Vector512<float> Bit(Vector512<int> index, int bit) =>
        (~Vector512.Equals(index & Vector512.Create(1 << bit), Vector512<int>.Zero)).AsSingle();
}
