namespace Fp4Sim.Numerics.Formats;

/// <summary>
/// A number format as data (gfloat style): optional sign bit, <see cref="ExponentBits"/> exponent bits,
/// <see cref="MantissaBits"/> trailing significand bits, an integer exponent bias, a specials policy and
/// whether the exponent-0 binade holds subnormals. INT formats are integers (<see cref="IsInteger"/>): two's complement
/// when signed, plain binary when unsigned. Every operation in <see cref="Codec"/> is a pure function of this record.
/// </summary>
/// <param name="Name">Canonical name (e.g. <c>e4m3</c>, or the spec it was parsed from).</param>
/// <param name="IsSigned">
/// Whether the format has negative values: a sign bit for floats (false for unsigned scale formats such as E8M0), two's
/// complement for integers (false for unsigned integers such as uint4).
/// </param>
/// <param name="ExponentBits">E; 0 for integers.</param>
/// <param name="MantissaBits">
/// M (trailing significand bits); for integers, the magnitude bits: the total width minus 1 when signed, the width when unsigned.
/// </param>
/// <param name="Bias">Exponent bias: a code's value is 2^(field − Bias) · 1.m for normals.</param>
/// <param name="Specials">Which codes are Inf/NaN.</param>
/// <param name="Subnormals">True: field 0 is the subnormal binade. False: field 0 reads as zero (mantissa ignored).</param>
/// <param name="HasZero">False for E8M0: field 0 is then an ordinary normal binade (2^−Bias) and no code is zero.</param>
/// <param name="IsInteger">An integer of <see cref="TotalBits"/> bits (two's complement when <see cref="IsSigned"/>).</param>
/// <param name="FlushToZero">
/// Only with <see cref="Subnormals"/> false (spec <c>:subnormals=ftz</c>): encoding first flushes every magnitude below the
/// smallest normal to a zero of its sign, before rounding (microxcaling's <c>allow_denorm=False</c>); decoding is as
/// <c>subnormals=off</c>.
/// </param>
public sealed record FormatInfo(
    string Name,
    bool IsSigned,
    int ExponentBits,
    int MantissaBits,
    int Bias,
    SpecialsPolicy Specials,
    bool Subnormals = true,
    bool HasZero = true,
    bool IsInteger = false,
    bool FlushToZero = false)
{
    /// <summary>Total width in bits.</summary>
    public int TotalBits => (IsSigned ? 1 : 0) + ExponentBits + MantissaBits;

    /// <summary>Number of distinct codes, 2^TotalBits.</summary>
    public ulong CodeCount => 1UL << TotalBits;

    /// <summary>Mask of all valid code bits.</summary>
    public uint CodeMask => (uint)(CodeCount - 1);

    /// <summary>The sign bit (0 for unsigned formats).</summary>
    public uint SignMask => IsSigned && !IsInteger ? 1u << (ExponentBits + MantissaBits) : 0u;

    /// <summary>Mask of exponent and mantissa (the magnitude part of a sign-magnitude code).</summary>
    public uint MagnitudeMask => (uint)((1UL << (ExponentBits + MantissaBits)) - 1);

    /// <summary>Mask of the trailing significand.</summary>
    public uint TrailingSignificandMask => (1u << MantissaBits) - 1;

    /// <summary>Largest exponent field value, 2^E − 1.</summary>
    public int MaxExponentField => (1 << ExponentBits) - 1;

    /// <summary>Unbiased exponent of the lowest normal binade: 1 − bias, or −bias when field 0 is normal (no zero).</summary>
    public int MinNormalExponent => HasZero ? 1 - Bias : -Bias;

    /// <summary>True when an Inf code exists.</summary>
    public bool HasInfinity => !IsInteger && Specials == SpecialsPolicy.Ieee;

    /// <summary>True when at least one NaN code exists.</summary>
    public bool HasNaN => !IsInteger && Specials != SpecialsPolicy.None;

    /// <summary>True when −0 is a distinct code.</summary>
    public bool HasNegativeZero => !IsInteger && IsSigned && HasZero && Specials != SpecialsPolicy.Fnuz;

    /// <summary>Magnitude code of the largest finite value (the code with the sign bit clear).</summary>
    public uint MaxFiniteMagnitude => IsInteger
        ? (uint)((1UL << MantissaBits) - 1)
        : Specials switch
        {
            SpecialsPolicy.Ieee => ((uint)(MaxExponentField - 1) << MantissaBits) | TrailingSignificandMask,
            SpecialsPolicy.Fn => MagnitudeMask - 1,
            _ => MagnitudeMask,
        };

    /// <summary>The canonical positive NaN code (ieee: quiet NaN with an empty payload).</summary>
    public uint CanonicalNaN => Specials switch
    {
        SpecialsPolicy.Ieee => ((uint)MaxExponentField << MantissaBits) | (1u << (MantissaBits - 1)),
        SpecialsPolicy.Fn => MagnitudeMask,
        SpecialsPolicy.Fnuz => 1u << (ExponentBits + MantissaBits),
        _ => throw new InvalidOperationException($"format {Name} has no NaN"),
    };

    /// <summary>+Inf code (ieee only).</summary>
    public uint PositiveInfinity => HasInfinity
        ? (uint)MaxExponentField << MantissaBits
        : throw new InvalidOperationException($"format {Name} has no infinity");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
