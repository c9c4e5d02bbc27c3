using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Tests.Support;

/// <summary>
/// Custom biases that move a ≤ 8-bit float format to and past float32's range in both directions: both ends of
/// <see cref="FormatSpec.BiasRange"/>, and each bias (±1) at which the format's max finite crosses float32's top
/// binade (2^127 → 2^128), its least positive value crosses float32's least subnormal (2^−149) or max float, its
/// max finite falls below 2^−149, and its normal range crosses 2^−126.
/// </summary>
public static class BiasSweep
{
    /// <summary>The format with every sweep bias (distinct, inside the allowed range, ascending); integers get none.</summary>
    public static IEnumerable<FormatInfo> Variants(FormatInfo f)
    {
        if (f.IsInteger) yield break;
        foreach (int bias in Biases(f))
            yield return f with { Name = $"{Shape(f)}:bias={bias}", Bias = bias };
    }

    /// <summary>The biases of <see cref="Variants"/>.</summary>
    public static IReadOnlyList<int> Biases(FormatInfo f)
    {
        (int min, int max) = FormatSpec.BiasRange(f);
        int m = f.MantissaBits, zero = f.HasZero ? 1 : 0;
        int topField = (int)(f.MaxFiniteMagnitude >> m);
        int[] centres =
        [
            min, max, f.Bias,
            topField - 127,        // max finite in 2^127's binade: the top of float32's range
            zero - m + 149,        // least positive value 2^−149 (with subnormals): float32's least subnormal
            zero + 126,            // emin = −126: the normal range starts where float32's does
            zero - m - 127,        // least positive value 2^127: the whole format at or beyond max float
            topField + 149,        // max finite in 2^−149's binade: the whole format at float32's bottom
        ];
        return centres.SelectMany(c => new[] { c - 1, c, c + 1 }).Where(b => b >= min && b <= max).Distinct().Order().ToArray();
    }

    private static string Shape(FormatInfo f) =>
        f.IsSigned ? $"e{f.ExponentBits}m{f.MantissaBits}:specials={f.Specials.ToString().ToLowerInvariant()}"
                   + (f.Subnormals ? "" : ":subnormals=off")
                   : f.Name;
}
