using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// AVX2 body of the ≤ 8-bit code → float32 cast: a 256-entry table built from
/// <see cref="Decoder.DecodeToSingle"/> (so both paths share one definition) and an 8-lane gather.
/// </summary>
internal static unsafe class DecodeKernel
{
    public static bool IsSupported => Avx2.IsSupported && InstructionSets.Avx2Allowed;

    /// <summary>The table for a format: entry c is the float32 of code c &amp; CodeMask.</summary>
    public static float[] Table(FormatInfo f)
    {
        var table = new float[256];
        for (uint c = 0; c < 256; c++) table[c] = Decoder.DecodeToSingle(f, c & f.CodeMask);
        return table;
    }

    /// <summary>Decodes <paramref name="count"/> codes (a multiple of 8).</summary>
    public static void Run(float* table, byte* source, float* destination, nint count)
    {
        for (nint i = 0; i < count; i += 8)
        {
            Vector256<int> index = Avx2.ConvertToVector256Int32(source + i);
            Avx.Store(destination + i, Avx2.GatherVector256(table, index, 4));
        }
    }
}
