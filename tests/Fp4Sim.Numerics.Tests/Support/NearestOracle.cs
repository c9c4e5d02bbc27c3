using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Support;

/// <summary>
/// An independent rounding oracle: it lists every finite value of a format per sign, finds the two neighbours of x
/// by binary search and applies each rounding mode's definition directly. It shares no arithmetic with RoundPack.
/// Formats of at most 16 bits; finite inputs; deterministic modes.
/// </summary>
public sealed class NearestOracle
{
    private sealed record Side(double[] Magnitudes, uint[] Codes, double BeyondMax);

    private readonly FormatInfo _f;
    private readonly Side _positive, _negative;

    public NearestOracle(FormatInfo f)
    {
        _f = f;
        _positive = BuildSide(f, negative: false);
        _negative = f.IsSigned ? BuildSide(f, negative: true) : _positive;
    }

    private static Side BuildSide(FormatInfo f, bool negative)
    {
        var byMagnitude = new SortedDictionary<double, uint>();
        foreach (uint c in CodeSpace.AllCodes(f))
        {
            double v = Decoder.Decode(f, c);
            bool isNegative = double.IsNegative(v);
            if (!double.IsFinite(v) || !CodeSpace.IsCanonical(f, c)) continue;
            if (v == 0 && f.HasNegativeZero && isNegative != negative) continue;
            if (v != 0 && isNegative != negative) continue;
            byMagnitude.TryAdd(Math.Abs(v), c);
        }
        double max = byMagnitude.Keys.Last();
        // The grid continues past max with the top binade's spacing (one integer for INT formats).
        double beyond = f.IsInteger ? max + 1 : max + Math.ScaleB(1.0, Math.ILogB(max) - f.MantissaBits);
        return new Side([.. byMagnitude.Keys], [.. byMagnitude.Values], beyond);
    }

    /// <summary>The code the definitions give for x.</summary>
    public uint Encode(double x, RoundingContext ctx)
    {
        bool negative = double.IsNegative(x);
        double a = Math.Abs(x);
        if (negative && a != 0 && !_f.IsSigned) return _f.HasNaN ? _f.CanonicalNaN : 0u;
        Side side = negative ? _negative : _positive;
        int i = Array.BinarySearch(side.Magnitudes, a);
        if (i >= 0) return side.Codes[i];
        int upper = ~i;
        if (upper == 0) return side.Codes[0];                       // below the least value of a zero-less format
        bool pastMax = upper == side.Magnitudes.Length;
        double down = side.Magnitudes[upper - 1];
        double up = pastMax ? side.BeyondMax : side.Magnitudes[upper];
        if (pastMax && a >= up) return Overflow(side, negative, ctx);
        if (!ChooseUp(a, down, up, negative, ctx, side.Codes[upper - 1])) return side.Codes[upper - 1];
        return pastMax ? Overflow(side, negative, ctx) : side.Codes[upper];
    }

    private static bool ChooseUp(double a, double down, double up, bool negative, RoundingContext ctx, uint downCode)
    {
        double mid = (down + up) / 2; // exact: both have few significant bits
        return ctx.Mode switch
        {
            RoundingMode.Rne => a > mid || (a == mid && downCode % 2 != 0),
            RoundingMode.Rna => a >= mid,
            RoundingMode.Rtz => false,
            RoundingMode.Rup => !negative,
            RoundingMode.Rdn => negative,
            _ => throw new NotSupportedException("the oracle covers deterministic modes"),
        };
    }

    private uint Overflow(Side side, bool negative, RoundingContext ctx)
    {
        bool towardZero = ctx.Mode == RoundingMode.Rtz || (ctx.Mode == RoundingMode.Rup && negative) || (ctx.Mode == RoundingMode.Rdn && !negative);
        if (ctx.Overflow == OverflowMode.Saturate || !_f.HasNaN || towardZero) return side.Codes[^1];
        return _f.Specials switch
        {
            SpecialsPolicy.Ieee => (negative ? _f.SignMask : 0) | _f.PositiveInfinity,
            SpecialsPolicy.Fn => (negative ? _f.SignMask : 0) | _f.CanonicalNaN,
            _ => _f.CanonicalNaN,
        };
    }

    /// <summary>Every value at which some rounding decision changes: each value, each midpoint, and their double neighbours.</summary>
    public IEnumerable<double> DecisionPoints()
    {
        foreach (Side side in _f.IsSigned ? new[] { _positive, _negative } : [_positive])
        {
            double sign = side == _negative ? -1 : 1;
            double[] points = [.. side.Magnitudes, side.BeyondMax];
            for (int k = 0; k < points.Length; k++)
            {
                var around = new List<double> { points[k] };
                if (k + 1 < points.Length) around.Add((points[k] + points[k + 1]) / 2);
                foreach (double p in around)
                {
                    yield return sign * p;
                    yield return sign * Math.BitIncrement(p);
                    if (p > 0) yield return sign * Math.BitDecrement(p);
                    yield return sign * MathF.BitIncrement((float)p);
                    if (p > 0) yield return sign * MathF.BitDecrement((float)p);
                }
            }
            yield return sign * side.BeyondMax * 4;
        }
    }
}
