using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Tests.Gemm;

/// <summary>The fast MXFP4 GEMM against <see cref="MxGemmReference"/>, output by output, bit for bit.</summary>
public class MxFp4GemmTests
{
    private static readonly Accumulator Fp32 = new IeeeAccumulator(KnownFormats.Fp32);

    public static TheoryData<string> Accumulators => ["fp32", "exact"];

    private static Accumulator Parse(string name) => name == "fp32" ? Fp32 : ExactAccumulator.Fp32;

    /// <summary>N(0, 1) values, each row scaled by 2^U(−spread, spread), quantized to MXFP4 (OCP scales, RNE).</summary>
    internal static MxMatrix Realistic(int rows, int k, int seed, double spread = 8)
    {
        var random = new Random(seed);
        var values = new float[rows * k];
        for (int r = 0; r < rows; r++)
        {
            double rowScale = Math.Pow(2, (random.NextDouble() * 2 - 1) * spread);
            for (int c = 0; c < k; c++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                values[r * k + c] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * rowScale);
            }
        }
        return MxMatrix.Quantize(KnownBlockFormats.MxFp4, values, rows, k, new BlockQuantizeOptions());
    }

    /// <summary>Realistic data with some blocks zeroed and some scales forced to the E8M0 extremes (0, 1, 0xFE, NaN).</summary>
    private static MxMatrix Extreme(int rows, int k, int seed, bool nan)
    {
        MxMatrix m = Realistic(rows, k, seed);
        var random = new Random(seed ^ 0x5EED);
        uint[] forced = nan ? [0, 1, 0xFE, 0xFF, 0x20, 0xE0] : [0, 1, 0xFE, 0xFD, 0x20, 0xE0];
        for (int blk = 0; blk < m.Data.Scales.Length; blk++)
        {
            int roll = random.Next(10);
            if (roll == 0) m.Data.Elements.AsSpan(blk * 32, 32).Clear();
            else if (roll == 1) m.Data.Scales[blk] = forced[random.Next(forced.Length)];
            else if (roll == 2)
            {
                m.Data.Elements.AsSpan(blk * 32, 32).Fill(8); // −0 codes
                m.Data.Scales[blk] = forced[random.Next(forced.Length)];
            }
        }
        return m;
    }

    private static void AssertSame(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int mismatches = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
            {
                mismatches++;
                if (first < 0) first = i;
            }
        if (mismatches > 0)
            Assert.Fail($"{what}: {mismatches} mismatches; first at {first}: " +
                $"reference 0x{BitConverter.SingleToUInt32Bits(expected[first]):x8} ({expected[first]:R}), " +
                $"fast 0x{BitConverter.SingleToUInt32Bits(actual[first]):x8} ({actual[first]:R})");
    }

    /// <summary>The best kernel on 1 and 2 threads and every kernel this machine runs, each against one reference product.</summary>
    private static void AssertAllPaths(MxMatrix a, MxMatrix b, Accumulator acc, string what)
    {
        float[] expected = MxGemmReference.Multiply(a, b, acc);
        AssertSame(expected, MxFp4Gemm.Multiply(a, b, acc, threads: 1), $"{what} {acc.Name} 1 thread");
        AssertSame(expected, MxFp4Gemm.Multiply(a, b, acc, threads: 2), $"{what} {acc.Name} 2 threads");
        foreach (MxFp4KernelKind kind in Enum.GetValues<MxFp4KernelKind>())
        {
            if (!MxFp4GemmKernel.Runs(kind)) continue; // not on this machine
            var c = new float[expected.Length];
            MxFp4Gemm.Multiply(a, b, acc, c, threads: 2, kind);
            AssertSame(expected, c, $"{what} {acc.Name} {kind}");
        }
    }

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 3, 17, 64, 65];
        foreach (int m in sizes)
            foreach (int n in sizes)
                data.Add(m, n, 32);
        foreach (int kk in (int[])[64, 96, 320])
            foreach ((int m, int n) in ((int, int)[])[(1, 65), (3, 17), (17, 3), (65, 1), (17, 64), (64, 17)])
                data.Add(m, n, kk);
        data.Add(65, 65, 96);
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Realistic_EqualsReference(int m, int n, int k)
    {
        MxMatrix a = Realistic(m, k, 1000 * m + n + k), b = Realistic(n, k, 7 + 1000 * n + m + k);
        AssertAllPaths(a, b, Fp32, $"{m}×{n}×{k}");
        AssertAllPaths(a, b, ExactAccumulator.Fp32, $"{m}×{n}×{k}");
    }

    [Theory, MemberData(nameof(Accumulators))]
    public void WideRowSpreads_EqualReference(string accumulator)
    {
        // Rows scaled by 2^±60 push many pairs out of the binary32 window and spans past the exact path's bound.
        MxMatrix a = Realistic(17, 320, 11, spread: 60), b = Realistic(19, 320, 12, spread: 60);
        AssertAllPaths(a, b, Parse(accumulator), "wide spreads");
    }

    [Theory, MemberData(nameof(Accumulators))]
    public void ExtremeScalesAndZeroBlocks_EqualReference(string accumulator)
    {
        Accumulator acc = Parse(accumulator);
        foreach (bool nan in (bool[])[false, true])
        {
            MxMatrix a = Extreme(17, 320, nan ? 21 : 22, nan), b = Extreme(18, 320, nan ? 23 : 24, nan);
            AssertAllPaths(a, b, acc, nan ? "extreme with NaN" : "extreme");
        }
    }

    [Theory, MemberData(nameof(Accumulators))]
    public void UnderflowAndOverflow_EqualReference(string accumulator)
    {
        // Every A scale code low (or high) against every B scale code: products near binary32's subnormals, its
        // overflow threshold and beyond, in sums that cancel or not.
        Accumulator acc = Parse(accumulator);
        MxMatrix a = Realistic(8, 96, 31), b = Realistic(40, 96, 32);
        for (int blk = 0; blk < a.Data.Scales.Length; blk++) a.Data.Scales[blk] = (uint)(blk % 2 == 0 ? 5 + blk : 240 - blk);
        for (int blk = 0; blk < b.Data.Scales.Length; blk++) b.Data.Scales[blk] = (uint)(blk * 37 % 255);
        AssertAllPaths(a, b, acc, "under/overflow");
    }

    private static MxMatrix Build(int rows, int k, Func<int, int, byte> element, Func<int, int, uint> scale)
    {
        int nb = k / 32;
        var elements = new byte[rows * k];
        var scales = new uint[rows * nb];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < k; c++) elements[r * k + c] = element(r, c);
            for (int blk = 0; blk < nb; blk++) scales[r * nb + blk] = scale(r, blk);
        }
        return new MxMatrix(new QuantizedBlocks(KnownBlockFormats.MxFp4, scales, elements, 1f), rows, k);
    }

    [Theory, MemberData(nameof(Accumulators))]
    public void ScaleSumsAcrossTheBinary32Window_EqualReference(string accumulator)
    {
        // Constant scales per row and per column: rows 45..60 and 180..195 against the same for B give scale sums
        // 90..120 (terms near 2^−149) and 360..390 (terms near 2^128), every output made of such terms alone.
        var random = new Random(71);
        byte[] codes = [.. Enumerable.Range(0, 32 * 64).Select(_ => (byte)random.Next(16))];
        Func<int, int, uint> scale = (r, _) => (uint)(r < 16 ? 45 + r : 164 + r);
        MxMatrix a = Build(32, 64, (r, c) => codes[(r * 64 + c) % codes.Length], scale);
        MxMatrix b = Build(32, 64, (r, c) => codes[(r * 64 + c + 17) % codes.Length], scale);
        AssertAllPaths(a, b, Parse(accumulator), "window edges");
    }

    [Theory, MemberData(nameof(Accumulators))]
    public void ExponentSpansAroundTheBinary64Bound_EqualReference(string accumulator)
    {
        // Every block holds a single 0.5 (each term's integer 4 · Σ a·b is 1). A row r: scales 100, 124 + D, 100 + D
        // with D = 10 + 2r, so the terms are 2^e0 · (1, 2^(24 + D), 2^D): the last two tie at binary32 precision and
        // the first, tiny one breaks the tie upward; a binary64 sum loses it (and rounds the tie to even) from D = 29 on.
        MxMatrix a = Build(20, 96, (r, c) => (byte)(c % 32 == 0 ? 1 : 0),
            (r, blk) => (uint)(blk switch { 0 => 100, 1 => 124 + 10 + 2 * r, _ => 100 + 10 + 2 * r }));
        MxMatrix b = Build(6, 96, (r, c) => (byte)(c % 32 == 0 ? 1 : 0), (r, _) => (uint)(20 + 20 * r));
        AssertAllPaths(a, b, Parse(accumulator), "spans");
    }

    [Theory, MemberData(nameof(Accumulators))]
    public void AllZero_IsPositiveZero(string accumulator)
    {
        MxMatrix a = MxMatrix.Quantize(KnownBlockFormats.MxFp4, new float[5 * 64], 5, 64, new BlockQuantizeOptions());
        MxMatrix b = Realistic(9, 64, 41);
        AssertAllPaths(a, b, Parse(accumulator), "zero A");
        AssertAllPaths(b, a, Parse(accumulator), "zero B");
    }

    [Fact]
    public void RealisticData_NeedsNoFallback()
    {
        MxMatrix a = Realistic(64, 1024, 51), b = Realistic(64, 1024, 52);
        Assert.Equal(0, MxFp4Gemm.CountFallbacks(a, b, Fp32));
        Assert.Equal(0, MxFp4Gemm.CountFallbacks(a, b, ExactAccumulator.Fp32));
    }

    [Fact]
    public void RejectsOtherOperands()
    {
        MxMatrix a = Realistic(2, 64, 61), b = Realistic(3, 96, 62);
        Assert.Throws<ArgumentException>(() => MxFp4Gemm.Multiply(a, b, Fp32));
        MxMatrix c = Realistic(3, 64, 63);
        Assert.Throws<ArgumentException>(() => MxFp4Gemm.Multiply(a, c, new IeeeAccumulator(KnownFormats.Fp16)));
        Assert.Throws<ArgumentException>(() => MxFp4Gemm.Multiply(a, c, new ExactAccumulator(KnownFormats.Bf16)));
        Assert.Throws<ArgumentException>(() => MxFp4Gemm.Multiply(a, c, Fp32, new float[5]));
        var int8 = MxMatrix.Quantize(KnownBlockFormats.MxInt8, new float[3 * 64], 3, 64, new BlockQuantizeOptions());
        Assert.Throws<ArgumentException>(() => MxFp4Gemm.Multiply(a, int8, Fp32));
        Assert.Equal(6, MxFp4Gemm.Multiply(a, c, ExactAccumulator.Fp32).Length);
    }
}
