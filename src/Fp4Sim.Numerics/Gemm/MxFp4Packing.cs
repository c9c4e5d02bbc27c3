using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// One MXFP4 operand repacked for <see cref="MxFp4GemmKernel"/>, in 64-byte-aligned native memory.
/// Elements become small integers: an E2M1 value v is held as 2v (an integer in [−12, 12]).
/// <list type="bullet">
/// <item>A side (<see cref="Pack"/> with <c>interleave: false</c>): row-major, rows padded to a multiple of
/// <see cref="MxFp4GemmKernel.Rows"/>, each byte 2v + 12 (unsigned, the first operand of pmaddubsw).</item>
/// <item>B side (<c>interleave: true</c>): tiles of 16 output columns; tile t, k-quad q holds 16 columns × 4
/// consecutive k as signed bytes 2v, at t · K · 16 + q · 64 + column · 4 (a 256-bit kernel reads it as two groups of 8
/// columns, a 512-bit one whole). Columns are padded to a multiple of 32 (the 512-bit kernel's pair of tiles).
/// Per-column data of tile t, block kb lie at (t · nb + kb) · 16 + column. <see cref="Correction"/> holds, per (group, block, column), the int16
/// pair (−12 · Σ 2v, 0) that the kernel starts the column's int16 lanes from: Σ (2a + 12)(2b) − 12 Σ 2b = Σ (2a)(2b).</item>
/// </list>
/// Scales: the A side holds 2^(s − 127), the B side 2^(s − 129) (float and double), so their product is the block
/// term's weight 2^(sa + sb − 256) for the integer 4 · Σ a·b. An all-zero block's scale is replaced by 127 (its term
/// is zero whatever the weight, and this keeps every weight it meets finite); a NaN scale (0xFF) is replaced too, and
/// the row is flagged so that the driver computes its outputs with the reference instead.
/// </summary>
internal sealed unsafe class MxFp4Packing : IDisposable
{
    /// <summary>2 · E2M1 value for each element code (codes are masked to 4 bits, as the decoder does).</summary>
    private static readonly sbyte[] Doubled = BuildDoubled();

    public byte* Elements { get; private set; }
    public float* ScaleF { get; private set; }
    public double* ScaleD { get; private set; }
    public int* Correction { get; private set; }
    /// <summary>Rows (or columns) of the source matrix, before padding.</summary>
    public int Count { get; }
    public int PaddedCount { get; }
    public int K { get; }
    public int Blocks { get; }
    /// <summary>
    /// Per row: smallest and largest scale code over the blocks that hold a nonzero element (int.MaxValue / int.MinValue when none).
    /// </summary>
    public int[] MinScale { get; }
    /// <inheritdoc cref="MinScale"/>
    public int[] MaxScale { get; }
    /// <summary>Per row: some block has the NaN scale 0xFF.</summary>
    public bool[] HasNaN { get; }

    private MxFp4Packing(int count, int padded, int k)
    {
        Count = count; PaddedCount = padded; K = k; Blocks = k / 32;
        MinScale = new int[count]; MaxScale = new int[count]; HasNaN = new bool[count];
        Elements = (byte*)Alloc((nuint)padded * (nuint)k);
        ScaleF = (float*)Alloc((nuint)padded * (nuint)Blocks * sizeof(float));
        ScaleD = (double*)Alloc((nuint)padded * (nuint)Blocks * sizeof(double));
    }

    private static void* Alloc(nuint bytes) => NativeMemory.AlignedAlloc(Math.Max(bytes, 64), 64);

    /// <summary>Packs an MXFP4 matrix (A side, or B side with <paramref name="interleave"/>) on up to <paramref name="workers"/> cores.</summary>
    public static MxFp4Packing Pack(MxMatrix m, bool interleave, int workers = 1)
    {
        int unit = interleave ? 2 * MxFp4GemmKernel.Columns : MxFp4GemmKernel.Rows;
        int padded = (m.Rows + unit - 1) / unit * unit;
        var p = new MxFp4Packing(m.Rows, padded, m.Columns);
        try
        {
            if (interleave) p.Correction = (int*)Alloc((nuint)padded * (nuint)p.Blocks * sizeof(int));
            int chunk = interleave ? MxFp4GemmKernel.Columns : MxFp4GemmKernel.Rows, chunks = padded / chunk; // a B tile stays on one worker
            workers = (long)padded * p.K < 1 << 18 ? 1 : Math.Max(1, Math.Min(workers, chunks));
            if (workers == 1) p.Fill(m, interleave, 0, padded);
            else
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                    p.Fill(m, interleave, (int)((long)chunks * w / workers) * chunk, (int)((long)chunks * (w + 1) / workers) * chunk));
            return p;
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    private void Fill(MxMatrix m, bool interleave, int r0, int r1)
    {
        int k = K, nb = Blocks;
        float[] weightF = interleave ? WeightB : WeightA;
        double[] weightD = interleave ? WeightBD : WeightAD;
        sbyte* block = stackalloc sbyte[32];
        fixed (byte* codes = m.Data.Elements)
        fixed (sbyte* doubled = Doubled)
        {
            for (int r = r0; r < r1; r++)
            {
                int min = int.MaxValue, max = int.MinValue;
                bool nan = false;
                for (int kb = 0; kb < nb; kb++)
                {
                    int sum = 0;
                    bool nonzero = false;
                    if (r < Count)
                    {
                        byte* src = codes + (nint)r * k + kb * 32;
                        if (Avx2.IsSupported && Vectorized.InstructionSets.Avx2Allowed)
                        {
                            Vector256<sbyte> v = Avx2.Shuffle(Vector256.Create(Vector128.Load(doubled)),
                                Avx2.And(Avx.LoadVector256(src), Vector256.Create((byte)0xF)).AsSByte());
                            Avx.Store(block, v);
                            nonzero = !Vector256.EqualsAll(v, Vector256<sbyte>.Zero);
                            Vector256<ulong> sad = Avx2.SumAbsoluteDifferences(Avx2.Xor(v.AsByte(), Vector256.Create((byte)0x80)),
                                Vector256<byte>.Zero).AsUInt64();
                            sum = (int)Vector256.Sum(sad) - 32 * 128;
                        }
                        else
                            for (int t = 0; t < 32; t++)
                            {
                                sbyte v = doubled[src[t] & 0xF];
                                block[t] = v;
                                sum += v;
                                nonzero |= v != 0;
                            }
                    }
                    else new Span<sbyte>(block, 32).Clear();
                    int scale = (int)(r < Count ? m.Data.Scales[r * nb + kb] & 0xFF : 127);
                    if (scale == 0xFF) { nan = true; scale = 127; }
                    else if (!nonzero) scale = 127;
                    else { min = Math.Min(min, scale); max = Math.Max(max, scale); }
                    nint si = interleave ? ((nint)(r / 16) * nb + kb) * 16 + r % 16 : (nint)r * nb + kb;
                    ScaleF[si] = weightF[scale];
                    ScaleD[si] = weightD[scale];
                    if (interleave)
                    {
                        Correction[si] = (ushort)(short)(-12 * sum); // int16 lanes (−12 Σ 2b, 0): |12 Σ 2b| ≤ 4608
                        int* tile = (int*)(Elements + (nint)(r / 16) * k * 16 + (nint)kb * 512 + r % 16 * 4);
                        for (int q = 0; q < 8; q++) tile[q * 16] = ((int*)block)[q];
                    }
                    else
                    {
                        byte* row = Elements + (nint)r * k + kb * 32;
                        if (Avx2.IsSupported && Vectorized.InstructionSets.Avx2Allowed)
                            Avx.Store(row, Avx2.Add(Avx.LoadVector256((byte*)block), Vector256.Create((byte)12)));
                        else for (int t = 0; t < 32; t++) row[t] = (byte)(block[t] + 12);
                    }
                }
                if (r < Count) { MinScale[r] = min; MaxScale[r] = max; HasNaN[r] = nan; }
            }
        }
    }

    private static readonly float[] WeightA = Weights(127, x => MathF.ScaleB(1f, x)), WeightB = Weights(129, x => MathF.ScaleB(1f, x));
    private static readonly double[] WeightAD = Weights(127, x => Math.ScaleB(1.0, x)), WeightBD = Weights(129, x => Math.ScaleB(1.0, x));

    /// <summary>2^(code − <paramref name="bias"/>) for each scale code (0xFF never indexes it: NaN scales become 127).</summary>
    private static T[] Weights<T>(int bias, Func<int, T> pow2) => [.. Enumerable.Range(0, 256).Select(c => pow2(c - bias))];

    private static sbyte[] BuildDoubled()
    {
        var table = new sbyte[16];
        for (uint c = 0; c < 16; c++) table[c] = (sbyte)(2 * Decoder.Decode(KnownFormats.E2M1, c));
        return table;
    }

    /// <summary>Frees the native buffers.</summary>
    public void Dispose()
    {
        NativeMemory.AlignedFree(Elements); Elements = null;
        NativeMemory.AlignedFree(ScaleF); ScaleF = null;
        NativeMemory.AlignedFree(ScaleD); ScaleD = null;
        NativeMemory.AlignedFree(Correction); Correction = null;
    }
}
