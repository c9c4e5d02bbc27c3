using System.Numerics;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Numerics.Tests.Gemm;

/// <summary>The fixed-point GEMM fast path against <see cref="FixedPointAccumulator"/> term by term, word for word.</summary>
public class FixedPointGemmTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        string[][] pairs = [["e2m1", "e2m1"], ["e4m3", "e2m1"], ["e5m2", "e5m2"], ["int4", "int8"], ["e3m2", "e1m2"], ["e2m3", "e4m3fnuz"]];
        string[] accumulators =
            ["fixed:16.2", "fixed:12.2:round:wrap", "fixed:10.0:round", "fixed:24.6:wrap", "fixed:8.1", "fixed:40.20", "fixed:6.-2"];
        foreach (string[] p in pairs)
            foreach (string acc in accumulators) data.Add(p[0], p[1], acc);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryOutput_IsTheReferenceRegister_AndTheCountsAreTheReferencesLimitEvents(string a, string b, string acc)
    {
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var accumulator = (FixedPointAccumulator)AccumulatorSpec.Parse(acc);
        const int m = 3, n = 5, k = 61;
        var random = new Random(a.Length * 31 + acc.Length);
        // Half the rows draw from the largest magnitudes with one sign, so registers saturate or wrap.
        byte Code(FormatInfo f, int row) => row % 2 == 0
            ? (byte)random.Next((int)f.CodeCount)
            : (byte)(f.IsInteger ? (uint)((1 << (f.TotalBits - 1)) - 1 - random.Next(2)) : f.MagnitudeMask - (uint)random.Next(4));
        byte[] codesA = new byte[m * k], codesB = new byte[n * k];
        for (int i = 0; i < codesA.Length; i++) codesA[i] = Code(fa, i / k);
        for (int i = 0; i < codesB.Length; i++) codesB[i] = Code(fb, i / k);

        var words = new long[m * n];
        var events = new RegisterEvents[m * n];
        FixedPointCounts counts = FixedPointGemm.Multiply(fa, codesA, fb, codesB, m, n, k, accumulator, words, events);

        long saturated = 0, wrapped = 0, invalidTerms = 0, rounded = 0;
        UInt128 mask = (UInt128.One << accumulator.Width) - 1;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                uint[] x = codesA.AsSpan(i * k, k).ToArray().Select(c => (uint)c).ToArray();
                uint[] y = codesB.AsSpan(j * k, k).ToArray().Select(c => (uint)c).ToArray();
                MacResult expected = accumulator.Dot(fa, x, fb, y);
                Assert.Equal(expected.Bits, (UInt128)(Int128)words[i * n + j] & mask);
                Assert.Equal(expected.Invalid, events[i * n + j].HasFlag(RegisterEvents.Invalid));
                var seen = RegisterEvents.None;
                // The counts, from the reference's own pieces: every add whose sum Limit had to change.
                BigInteger register = BigInteger.Zero;
                for (int t = 0; t < k; t++)
                {
                    MacTerm term = MacTerm.Product(fa, x[t], fb, y[t]);
                    if (!term.Value.IsFinite) { invalidTerms++; seen |= RegisterEvents.Invalid; continue; }
                    BigInteger steps = accumulator.OnGrid(term.Value), sum = register + steps;
                    if (term.Value.Kind != ValueKind.Zero && ExactValue.Of(steps, -accumulator.FractionBits) != term.Value)
                    {
                        rounded++;
                        seen |= RegisterEvents.Rounded;
                    }
                    register = accumulator.Limit(sum);
                    if (register != sum)
                    {
                        if (accumulator.Overflow == FixedOverflow.Saturate) { saturated++; seen |= RegisterEvents.Saturated; }
                        else { wrapped++; seen |= RegisterEvents.Wrapped; }
                    }
                }
                Assert.Equal(seen, events[i * n + j]);
            }
        Assert.Equal(new FixedPointCounts(saturated, wrapped, invalidTerms, rounded), counts);
    }

    [Theory]
    [InlineData("fixed:8.1", 63, 0)]       // 64 products of 36 (72 steps): saturates from the 2nd add on (max 127 steps)
    [InlineData("fixed:8.1:wrap", 0, 18)]  // wraps whenever the running word is above 55 steps: 18 of the 64 adds
    public void LargestProducts_SaturateOrWrap_AsCountedByHand(string acc, long saturated, long wrapped)
    {
        var accumulator = (FixedPointAccumulator)AccumulatorSpec.Parse(acc);
        byte[] six = Enumerable.Repeat((byte)0x7, 64).ToArray(); // e2m1 6
        var words = new long[1];
        FixedPointCounts counts = FixedPointGemm.Multiply(KnownFormats.E2M1, six, KnownFormats.E2M1, six, 1, 1, 64, accumulator, words);
        Assert.Equal(saturated, counts.SaturatedAdds);
        Assert.Equal(wrapped, counts.WrappedAdds);
        Assert.Equal(accumulator.Dot(KnownFormats.E2M1, [.. six.Select(c => (uint)c)], KnownFormats.E2M1, [.. six.Select(c => (uint)c)]).Bits,
            (UInt128)(Int128)words[0] & 0xFF);
    }

    [Fact]
    public void WhatTheFastPathCannotHold_IsRefused()
    {
        var narrow = new FixedPointAccumulator(16, 2);
        Assert.Throws<ArgumentException>(() => FixedPointGemm.Multiply(
            KnownFormats.Fp16, new byte[4], KnownFormats.E2M1, new byte[4], 1, 1, 4, narrow, new long[1]));
        Assert.Throws<ArgumentException>(() => FixedPointGemm.Multiply(
            KnownFormats.E2M1, new byte[4], KnownFormats.E2M1, new byte[4], 1, 1, 4, new FixedPointAccumulator(63, 2), new long[1]));
        Assert.Throws<ArgumentException>(() => FixedPointGemm.Multiply( // e5m2 products need 2^(15+15+70) steps
            KnownFormats.E5M2, new byte[4], KnownFormats.E5M2, new byte[4], 1, 1, 4, new FixedPointAccumulator(62, 70), new long[1]));
        Assert.Throws<ArgumentException>(() => FixedPointGemm.Multiply(
            KnownFormats.E2M1, new byte[3], KnownFormats.E2M1, new byte[4], 1, 1, 4, narrow, new long[1]));
    }

    [Theory]
    [InlineData("e2m1:specials=none:bias=0", "e2m1:specials=none:bias=0", 3, "fixed:16.3")]
    [InlineData("e2m1:specials=none:bias=0", "e1m2:specials=none:bias=0", 3, "fixed:12.1:round")]
    [InlineData("e3m2:specials=none:bias=0", "e2m1:specials=none:bias=0", 7, "fixed:20.4:wrap")]
    [InlineData("e4m3", "e4m3", 15, "fixed:40.24")]
    public void PreShiftedRows_OnTwoThreads_AreFormAOfTheReference(string a, string b, int maxShift, string acc)
    {
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var accumulator = (FixedPointAccumulator)AccumulatorSpec.Parse(acc);
        const int m = 37, n = 4, k = 45;
        var random = new Random(maxShift * 7 + a.Length);
        int[] shifts = Enumerable.Range(0, k).Select(_ => random.Next(maxShift + 1)).ToArray();
        uint[] codesA = Enumerable.Range(0, m * k).Select(_ => (uint)random.Next((int)fa.CodeCount)).ToArray();
        byte[] codesB = Enumerable.Range(0, n * k).Select(_ => (byte)random.Next((int)fb.CodeCount)).ToArray();
        ProductGrid grid = ProductGrid.For(fa, fb, accumulator, maxShift);
        int[] rows = codesA.Select((c, i) => grid.RowOperand(c, shifts[i % k])).ToArray();
        var words = new long[m * n];
        var events = new RegisterEvents[m * n];
        FixedPointCounts counts = FixedPointGemm.Multiply(grid, rows, codesB, m, n, k, words, events, threads: 2);

        UInt128 mask = (UInt128.One << accumulator.Width) - 1;
        var serial = new long[m * n];
        Assert.Equal(counts, FixedPointGemm.Multiply(grid, rows, codesB, m, n, k, serial, default, threads: 1));
        Assert.Equal(serial, words);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                uint[] y = codesB.AsSpan(j * k, k).ToArray().Select(c => (uint)c).ToArray();
                MacResult expected = PreShiftedBias.ShiftInMac(fa, codesA.AsSpan(i * k, k), shifts, fb, y, accumulator);
                Assert.Equal(expected.Bits, (UInt128)(Int128)words[i * n + j] & mask);
                Assert.Equal(expected.Invalid, events[i * n + j].HasFlag(RegisterEvents.Invalid));
            }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VectorLanes_GiveTheOneColumnLoopsWordsEventsAndCounts(string a, string b, string acc)
    {
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var accumulator = (FixedPointAccumulator)AccumulatorSpec.Parse(acc);
        const int m = 5, n = 19, k = 77; // two whole groups of eight columns and three left over
        var random = new Random(acc.Length * 131 + b.Length);
        ProductGrid grid = ProductGrid.For(fa, fb, accumulator);
        // Large same-sign codes in every other row make the registers leave their range.
        uint large = fa.IsInteger ? fa.MagnitudeMask >> 1 : fa.MagnitudeMask;
        int[] rows = Enumerable.Range(0, m * k).Select(i => grid.RowOperand(
            (i / k) % 2 == 0 ? (uint)random.Next((int)fa.CodeCount) : large - (uint)random.Next(2), 0)).ToArray();
        byte[] columns = Enumerable.Range(0, n * k).Select(_ => (byte)random.Next((int)fb.CodeCount)).ToArray();
        long[] vector = new long[m * n], scalar = new long[m * n];
        RegisterEvents[] vectorEvents = new RegisterEvents[m * n], scalarEvents = new RegisterEvents[m * n];
        FixedPointCounts v = FixedPointGemm.Multiply(grid, rows, columns, m, n, k, vector, vectorEvents, 1, useVectors: true);
        FixedPointCounts s = FixedPointGemm.Multiply(grid, rows, columns, m, n, k, scalar, scalarEvents, 1, useVectors: false);
        Assert.Equal(scalar, vector);
        Assert.Equal(scalarEvents, vectorEvents);
        Assert.Equal(s, v);
    }
}
