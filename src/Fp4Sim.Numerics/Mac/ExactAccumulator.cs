using System.Numerics;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// Model 1: an accumulator wide enough that no sum is ever rounded (a Kulisch-style fixed-point register); the exact
/// total is rounded once, at the end, into <see cref="Output"/> (default binary32, RNE, overflow to ∞).
/// </summary>
/// <param name="Output">The format of the single final rounding.</param>
public sealed record ExactAccumulator(FormatInfo Output) : Accumulator
{
    /// <summary>Exact sum, one final RNE rounding to binary32.</summary>
    public static ExactAccumulator Fp32 { get; } = new(KnownFormats.Fp32);

    /// <inheritdoc/>
    public override string Name => Output == KnownFormats.Fp32 ? "exact" : $"exact:{Output.Name}";

    /// <inheritdoc/>
    public override RunningSum Begin() => new ExactSum(Output);

    /// <summary>The exact sum of the terms (IEEE rules for specials and for the sign of a zero sum).</summary>
    public static ExactValue Sum(ReadOnlySpan<MacTerm> terms)
    {
        var sum = new ExactSum(KnownFormats.Fp32);
        foreach (MacTerm t in terms) sum.Add(t);
        return sum.Total;
    }

    /// <summary>The running exact sum; its result is the one rounding into the output format.</summary>
    private sealed class ExactSum(FormatInfo output) : RunningSum
    {
        private static readonly RoundingContext Nearest = new(RoundingMode.Rne, OverflowMode.Ieee);

        public ExactValue Total { get; private set; } = ExactValue.PositiveZero;

        public override void Add(in MacTerm term) => Total = ExactValue.Add(Total, term.Value);

        public override MacResult Result() => MacResult.InFormat(output, Encoder.EncodeExact(output, Total, Nearest));
    }

    /// <summary>
    /// The fixed-point register that holds any sum of <paramref name="terms"/> products of finite values of
    /// <paramref name="fa"/> and <paramref name="fb"/> exactly: fraction bits down to the smallest product's last
    /// bit, integer bits up to <paramref name="terms"/> × the largest product, plus a sign bit (two's complement).
    /// </summary>
    public static (int Width, int FractionBits) RegisterFor(FormatInfo fa, FormatInfo fb, long terms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terms, 1);
        int lsb = SmallestStepExponent(fa) + SmallestStepExponent(fb);
        BigInteger maxMagnitude = MaxMagnitudeSteps(fa) * MaxMagnitudeSteps(fb) * terms; // in units of 2^lsb
        int magnitudeBits = (int)maxMagnitude.GetBitLength();
        return (magnitudeBits + 1, -lsb);
    }

    private static int SmallestStepExponent(FormatInfo f)
    {
        ExactValue min = ExactValue.FromDouble(CodeSpace.MinSubnormal(f));
        return min.Exponent + (int)BigInteger.TrailingZeroCount(min.Magnitude);
    }

    private static BigInteger MaxMagnitudeSteps(FormatInfo f)
    {
        // A signed integer's largest magnitude is its minimum, −2^(b−1); an unsigned one's is its maximum.
        double largest = f.IsInteger && f.IsSigned ? Math.ScaleB(1.0, f.MantissaBits) : CodeSpace.MaxFinite(f);
        ExactValue max = ExactValue.FromDouble(largest);
        return max.Magnitude << (max.Exponent - SmallestStepExponent(f));
    }
}
