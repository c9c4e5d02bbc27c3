using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Gemm;

/// <summary>
/// The vector lanes of <see cref="FixedPointGemm"/>: eight output columns of one row at a time, one 64-bit register per
/// lane. Per term, the row operand's 16 table entries (column codes of ≤ 4 bits) sit in two registers and the eight
/// columns' codes (interleaved so they sit together) pick their entries with one permute; the lanes add the entries'
/// steps and check the range together, and only a lane that left it is limited, one at a time, by the scalar rule
/// (<see cref="FixedPointGemm.Limit"/>). Same words, events and counts as the one-column loop, which the tests prove.
/// </summary>
internal static unsafe class FixedPointGemmKernel
{
    /// <summary>Columns per vector.</summary>
    public const int Lanes = 8;

    /// <summary>
    /// Whether the lanes can run: AVX-512 and column codes of at most 4 bits, so one row operand's products are 16
    /// consecutive entries that a two-register permute looks up by the eight columns' codes at once.
    /// </summary>
    public static bool IsSupported(ProductGrid grid) =>
        Avx512F.IsSupported && Vectorized.InstructionSets.Avx512Allowed && grid.B.TotalBits <= 4 && !grid.AnySpecial;

    /// <summary>
    /// Column codes regrouped [group][t][lane] for whole groups of <paramref name="lanes"/> columns, so the lanes' codes
    /// for one term sit together (this kernel's eight, <see cref="Binary32ProductGemm"/>'s sixteen).
    /// </summary>
    public static byte[] Interleave(ReadOnlySpan<byte> columns, int n, int k, int lanes = Lanes)
    {
        int groups = n / lanes;
        var interleaved = new byte[groups * k * lanes];
        for (int g = 0; g < groups; g++)
            for (int lane = 0; lane < lanes; lane++)
            {
                ReadOnlySpan<byte> column = columns.Slice((g * lanes + lane) * k, k);
                for (int t = 0; t < k; t++) interleaved[(g * k + t) * lanes + lane] = column[t];
            }
        return interleaved;
    }

    /// <summary>
    /// Rows [start, end) for every whole group of columns, a pair of groups at a time over all the rows (so the pair's
    /// codes stay in L1); returns the first column it left to the scalar loop.
    /// </summary>
    public static int Rows(ProductGrid grid, ReadOnlySpan<int> rows, byte[] interleaved, int start, int end, int n, int k, Span<long> words,
        Span<RegisterEvents> events, ref FixedPointCounts counts)
    {
        FixedPointAccumulator accumulator = grid.Accumulator;
        long max = (1L << (accumulator.Width - 1)) - 1, min = -max - 1;
        int unused = 64 - accumulator.Width;
        bool saturate = accumulator.Overflow == FixedOverflow.Saturate;
        Vector512<long> upper = Vector512.Create(max), lower = Vector512.Create(min);
        Span<long> taken = stackalloc long[2 * Lanes];
        Span<int> limited = stackalloc int[2 * Lanes];
        int groups = n / Lanes;
        fixed (long* table = grid.Entries)
        fixed (byte* codes = interleaved)
        fixed (int* allOperands = rows)
        {
            // Two groups (16 columns) per pass share each term's table slice; an odd last group pairs with itself.
            for (int g = 0; g < groups; g += 2)
                for (int i = start; i < end; i++)
                {
                    int* operands = allOperands + (long)i * k;
                    int h = Math.Min(g + 1, groups - 1);
                    taken.Clear();
                    limited.Clear();
                    Vector512<long> acc0 = Vector512<long>.Zero, sum0 = Vector512<long>.Zero;
                    Vector512<long> acc1 = Vector512<long>.Zero, sum1 = Vector512<long>.Zero;
                    byte* p0 = codes + (long)g * k * Lanes, p1 = codes + (long)h * k * Lanes;
                    int t = 0;
                    while (true)
                    {
                        // The hot loop makes no call (a call would force the vectors out of registers); a lane that leaves
                        // the range breaks out, is limited, and the loop resumes after that term.
                        Vector512<long> out0 = Vector512<long>.Zero, out1 = Vector512<long>.Zero;
                        for (; t < k; t++)
                        {
                            long* slice = table + operands[t]; // this row operand's 16 products, one per column code
                            Vector512<long> lo = Vector512.Load(slice), hi = Vector512.Load(slice + 8);
                            Vector512<long> e0 = Avx512F.PermuteVar8x64x2(lo, Codes(p0 + t * Lanes), hi);
                            Vector512<long> e1 = Avx512F.PermuteVar8x64x2(lo, Codes(p1 + t * Lanes), hi);
                            sum0 += e0;
                            sum1 += e1;
                            acc0 += Vector512.ShiftRightArithmetic(e0, 2);
                            acc1 += Vector512.ShiftRightArithmetic(e1, 2);
                            out0 = Vector512.GreaterThan(acc0, upper) | Vector512.LessThan(acc0, lower);
                            out1 = Vector512.GreaterThan(acc1, upper) | Vector512.LessThan(acc1, lower);
                            if ((out0 | out1) != Vector512<long>.Zero) break;
                        }
                        if (t >= k) break;
                        acc0 = LimitLanes(acc0, out0, 0, max, min, unused, saturate, taken, limited);
                        acc1 = LimitLanes(acc1, out1, Lanes, max, min, unused, saturate, taken, limited);
                        t++;
                    }
                    Store(acc0, sum0, 0, g, i, n, saturate, taken, limited, words, events, ref counts);
                    if (h != g) Store(acc1, sum1, Lanes, h, i, n, saturate, taken, limited, words, events, ref counts);
                }
        }
        return groups * Lanes;
    }

    private static Vector512<long> Codes(byte* eight) =>
        Avx512F.ConvertToVector512Int64(Vector128.CreateScalarUnsafe(*(ulong*)eight).AsByte());

    private static void Store(Vector512<long> acc, Vector512<long> entrySum, int first, int group, int i, int n, bool saturate,
        Span<long> taken, Span<int> limited, Span<long> words, Span<RegisterEvents> events, ref FixedPointCounts counts)
    {
        for (int lane = 0; lane < Lanes; lane++)
        {
            long word = acc.GetElement(lane);
            long rounded = entrySum.GetElement(lane) - 4 * (word + taken[first + lane]); // Σ entries = 4 · Σ steps + rounded
            FixedPointGemm.Store(word, limited[first + lane], rounded, 0, saturate, i * n + group * Lanes + lane, words, events, ref counts);
        }
    }

    private static Vector512<long> LimitLanes(Vector512<long> acc, Vector512<long> outside, int first, long max, long min, int unused,
        bool saturate, Span<long> taken, Span<int> limited)
    {
        for (int lane = 0; lane < Lanes; lane++)
        {
            if (outside.GetElement(lane) == 0) continue;
            long sum = acc.GetElement(lane), kept = FixedPointGemm.Limit(sum, max, min, unused, saturate);
            taken[first + lane] += sum - kept;
            limited[first + lane]++;
            acc = acc.WithElement(lane, kept);
        }
        return acc;
    }
}
