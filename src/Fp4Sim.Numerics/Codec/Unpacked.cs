using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Codec;

/// <summary>What kind of number an input is.</summary>
internal enum InputKind { Zero, Finite, Infinity, NaN }

/// <summary>
/// An input value taken apart exactly: |x| = <see cref="Significand"/> · 2^<see cref="Exponent"/> for finite x.
/// For NaN, <see cref="NaNPayload"/> holds the source's trailing significand below its quiet bit, left-aligned in 64 bits.
/// </summary>
internal readonly record struct Unpacked(InputKind Kind, bool Negative, ulong Significand, int Exponent, ulong NaNPayload)
{
    /// <summary>floor(log2 |x|) of a finite nonzero value.</summary>
    public int Log2 => Exponent + 63 - System.Numerics.BitOperations.LeadingZeroCount(Significand);

    /// <summary>Unpacks a binary32 value.</summary>
    public static Unpacked From(float x) => Classify(IeeeFields.Of(x));

    /// <summary>Unpacks a binary64 value.</summary>
    public static Unpacked From(double x) => Classify(IeeeFields.Of(x));

    private static Unpacked Classify(IeeeFields f)
    {
        if (f.Field == f.MaxField)
        {
            if (f.Trailing == 0) return new(InputKind.Infinity, f.Negative, 0, 0, 0);
            ulong belowQuietBit = f.Trailing & ((1UL << (f.MantissaBits - 1)) - 1);
            return new(InputKind.NaN, f.Negative, 0, 0, belowQuietBit << (64 - (f.MantissaBits - 1)));
        }
        if (!f.IsFiniteNonzero) return new(InputKind.Zero, f.Negative, 0, 0, 0);
        return new(InputKind.Finite, f.Negative, f.Significand, f.Exponent, 0);
    }
}
