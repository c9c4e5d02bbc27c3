using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Training.Quartet;
using FsCheck.Xunit;

namespace Fp4Sim.Training.Tests.Quartet;

[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class HadamardTests
{
    internal static float[] Gaussian(SplitMix64 rng, int count, double scale = 1)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = Math.ScaleB((double)(rng.Next() >> 11), -53), u2 = Math.ScaleB((double)(rng.Next() >> 11), -53);
            v[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return v;
    }

    [Fact]
    public void SignMatrixIsOrthogonalAndSymmetric()
    {
        for (int i = 0; i < 32; i++)
            for (int j = 0; j < 32; j++)
            {
                Assert.Equal(HadamardRotation.Sign(i, j), HadamardRotation.Sign(j, i));
                Assert.Equal(QuartetOracle.HadamardSign(i, j), HadamardRotation.Sign(i, j));
                int dot = 0;
                for (int k = 0; k < 32; k++) dot += HadamardRotation.Sign(i, k) * HadamardRotation.Sign(j, k);
                Assert.Equal(i == j ? 32 : 0, dot);
            }
        Assert.Equal(0x3FC6A09E667F3BCDUL, BitConverter.DoubleToUInt64Bits(HadamardRotation.Normalization));
    }

    // 2 sign seeds × 200 groups ran before; here every case draws its own sign seed.
    [Property(MaxTest = 400)]
    public void RotationIsTheDefinedSequenceBitForBit(RotationInput input)
    {
        (ulong seed, float[] x) = (input.SignSeed, input.X);
        var rotations = new[]
        {
            (HadamardRotation.Fixed, (int[]?)null, true),
            (HadamardRotation.Random(seed, SignPlacement.Before), Signs(seed), true),
            (HadamardRotation.Random(seed, SignPlacement.After), Signs(seed), false),
        };
        foreach ((HadamardRotation h, int[]? signs, bool before) in rotations)
        {
            var r = new float[32];
            h.RotateGroup(x, r);
            float[] expected = QuartetOracle.Rotate(x, signs, before);
            Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), r.Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void RandomSignsAreSeededAndPlacedAsAsked()
    {
        HadamardRotation a = HadamardRotation.Random(5, SignPlacement.Before), b = HadamardRotation.Random(5, SignPlacement.Before);
        Assert.Equal(a.Signs, b.Signs);
        Assert.NotEqual(a.Signs, HadamardRotation.Random(6, SignPlacement.Before).Signs);
        Assert.Contains((sbyte)-1, a.Signs);
        Assert.Contains((sbyte)1, a.Signs);
        // H·diag(ξ) only flips output signs: magnitudes equal H's; diag(ξ)·H changes them.
        float[] x = Gaussian(new SplitMix64(3), 32);
        float[] fixedR = new float[32], after = new float[32], before = new float[32];
        HadamardRotation.Fixed.RotateGroup(x, fixedR);
        HadamardRotation.Random(5, SignPlacement.After).RotateGroup(x, after);
        a.RotateGroup(x, before);
        Assert.Equal(fixedR.Select(MathF.Abs), after.Select(MathF.Abs));
        Assert.NotEqual(fixedR.Select(MathF.Abs), before.Select(MathF.Abs));
    }

    [Theory]
    [InlineData(SignPlacement.Before)]
    [InlineData(SignPlacement.After)]
    public void InverseUndoesTheRotation(SignPlacement placement)
    {
        float[] x = Gaussian(new SplitMix64(9), 32 * 8);
        foreach (HadamardRotation h in new[] { HadamardRotation.Fixed, HadamardRotation.Random(4, placement) })
        {
            float[] back = h.Inverse.RotateRows(h.RotateRows(x, 8, 32), 8, 32);
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(back[i] - x[i]) <= 1e-6 * (1 + Math.Abs(x[i])), $"element {i}");
        }
    }

    [Fact]
    public void RotatedProductsEqualTheUnrotatedOnes()
    {
        // (X·H)(W·H)ᵀ = X·Wᵀ: the identity the forward pass relies on; equal up to the rotation's float32 roundings.
        var rng = new SplitMix64(21);
        int t = 16, n = 8, k = 96;
        float[] x = Gaussian(rng, t * k), w = Gaussian(rng, n * k);
        HadamardRotation h = HadamardRotation.Random(8, SignPlacement.Before);
        float[] xr = h.RotateRows(x, t, k), wr = h.RotateRows(w, n, k);
        for (int i = 0; i < t; i++)
            for (int j = 0; j < n; j++)
            {
                double direct = 0, rotated = 0, scale = 0;
                for (int p = 0; p < k; p++)
                {
                    direct += (double)x[i * k + p] * w[j * k + p];
                    rotated += (double)xr[i * k + p] * wr[j * k + p];
                    scale += Math.Abs((double)x[i * k + p] * w[j * k + p]);
                }
                Assert.True(Math.Abs(direct - rotated) <= 1e-6 * scale, $"({i}, {j}): {direct} vs {rotated}");
            }
    }

    [Fact]
    public void ShapesThatAreNotWholeGroupsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => HadamardRotation.Fixed.RotateRows(new float[40], 1, 40));
        Assert.Throws<ArgumentException>(() => HadamardRotation.Fixed.RotateRows(new float[64], 3, 32));
    }

    internal static int[] Signs(ulong seed) => [.. HadamardRotation.Random(seed, SignPlacement.Before).Signs.Select(s => (int)s)];
}
