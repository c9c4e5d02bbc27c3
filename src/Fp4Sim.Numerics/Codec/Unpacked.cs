namespace Fp4Sim.Numerics.Codec;

/// <summary>What kind of number an input is.</summary>
internal enum InputKind { Zero, Finite, Infinity, NaN }

/// <summary>
/// An input value taken apart exactly: |x| = <see cref="Significand"/> · 2^<see cref="Exponent"/> for finite x.
/// For NaN, <see cref="NaNPayload"/> holds the source's trailing significand below its quiet bit, left-aligned in 64 bits.
/// </summary>
internal readonly record struct Unpacked(InputKind Kind, bool Negative, ulong Significand, int Exponent, ulong NaNPayload)
{
    /// <summary>Unpacks a binary32 value.</summary>
    public static Unpacked From(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        bool negative = (bits >> 31) != 0;
        int field = (int)((bits >> 23) & 0xFF);
        uint trailing = bits & 0x7FFFFF;
        return Classify(negative, field, trailing, maxField: 0xFF, mantissaBits: 23, bias: 127);
    }

    /// <summary>Unpacks a binary64 value.</summary>
    public static Unpacked From(double x)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        bool negative = (bits >> 63) != 0;
        int field = (int)((bits >> 52) & 0x7FF);
        ulong trailing = bits & 0xFFFFFFFFFFFFFUL;
        return Classify(negative, field, trailing, maxField: 0x7FF, mantissaBits: 52, bias: 1023);
    }

    private static Unpacked Classify(bool negative, int field, ulong trailing, int maxField, int mantissaBits, int bias)
    {
        if (field == maxField)
        {
            if (trailing == 0) return new(InputKind.Infinity, negative, 0, 0, 0);
            ulong belowQuietBit = trailing & ((1UL << (mantissaBits - 1)) - 1);
            return new(InputKind.NaN, negative, 0, 0, belowQuietBit << (64 - (mantissaBits - 1)));
        }
        if (field == 0 && trailing == 0) return new(InputKind.Zero, negative, 0, 0, 0);
        // Subnormal sources share the lowest normal exponent, without the implicit bit.
        ulong significand = field == 0 ? trailing : trailing | (1UL << mantissaBits);
        int exponent = Math.Max(field, 1) - bias - mantissaBits;
        return new(InputKind.Finite, negative, significand, exponent, 0);
    }
}
