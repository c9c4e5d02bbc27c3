using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// A format and the cast parameters as plain 32/64-bit fields: what the ILGPU kernels receive by value. Built on the
/// host from a <see cref="FormatInfo"/> (its derived properties are copied, not re-derived, so the kernels read the same
/// masks and limits the reference does) and a <see cref="RoundingContext"/>. Flags are 0/1 integers.
/// </summary>
public readonly struct KernelCast
{
    /// <summary>Values of <see cref="SpecialsPolicy"/> (the enum's order).</summary>
    public const int SpecialsIeee = 0, SpecialsFn = 1, SpecialsFnuz = 2, SpecialsNone = 3;

    /// <summary>Values of <see cref="RoundingMode"/> (the enum's order).</summary>
    public const int Rne = 0, Rna = 1, Rtz = 2, Rup = 3, Rdn = 4, Sr = 5;

    /// <summary>Values of <see cref="OverflowMode"/> (the enum's order).</summary>
    public const int OverflowSaturate = 0, OverflowIeee = 1;

    /// <summary><see cref="FormatInfo.IsSigned"/>.</summary>
    public readonly int IsSigned;
    /// <summary><see cref="FormatInfo.IsInteger"/>.</summary>
    public readonly int IsInteger;
    /// <summary><see cref="FormatInfo.MantissaBits"/>.</summary>
    public readonly int MantissaBits;
    /// <summary><see cref="FormatInfo.Bias"/>.</summary>
    public readonly int Bias;
    /// <summary><see cref="FormatInfo.Specials"/> as its enum value.</summary>
    public readonly int Specials;
    /// <summary><see cref="FormatInfo.Subnormals"/>.</summary>
    public readonly int Subnormals;
    /// <summary><see cref="FormatInfo.HasZero"/>.</summary>
    public readonly int HasZero;
    /// <summary><see cref="FormatInfo.TotalBits"/>.</summary>
    public readonly int TotalBits;
    /// <summary><see cref="FormatInfo.CodeMask"/>.</summary>
    public readonly uint CodeMask;
    /// <summary><see cref="FormatInfo.SignMask"/>.</summary>
    public readonly uint SignMask;
    /// <summary><see cref="FormatInfo.MagnitudeMask"/>.</summary>
    public readonly uint MagnitudeMask;
    /// <summary><see cref="FormatInfo.TrailingSignificandMask"/>.</summary>
    public readonly uint TrailingMask;
    /// <summary><see cref="FormatInfo.MaxExponentField"/>.</summary>
    public readonly uint MaxExponentField;
    /// <summary><see cref="FormatInfo.MinNormalExponent"/>.</summary>
    public readonly int MinNormalExponent;
    /// <summary><see cref="FormatInfo.HasNaN"/>.</summary>
    public readonly int HasNaN;
    /// <summary><see cref="FormatInfo.HasNegativeZero"/>.</summary>
    public readonly int HasNegativeZero;
    /// <summary><see cref="FormatInfo.MaxFiniteMagnitude"/>.</summary>
    public readonly uint MaxFiniteMagnitude;
    /// <summary><see cref="FormatInfo.CanonicalNaN"/> (0 where the format has no NaN; never read then).</summary>
    public readonly uint CanonicalNaN;
    /// <summary><see cref="FormatInfo.PositiveInfinity"/> (0 where the format has no Inf; never read then).</summary>
    public readonly uint PositiveInfinity;
    /// <summary><see cref="RoundingContext.Mode"/> as its enum value.</summary>
    public readonly int Mode;
    /// <summary><see cref="RoundingContext.Overflow"/> as its enum value.</summary>
    public readonly int Overflow;
    /// <summary>For <see cref="Sr"/>: the stream whose element i rounds with <see cref="StochasticBits.For"/>(seed, i).</summary>
    public readonly ulong Seed;

    /// <summary>
    /// Flattens a format and a cast context. Refused: formats wider than 16 bits (the 64-bit exactness argument of
    /// <see cref="KernelRoundPack.RoundFinite"/> and the code width), <see cref="FormatInfo.FlushToZero"/> formats and any
    /// convention but <see cref="CastConvention.Fp4Sim"/> (the kernels implement the default rules only).
    /// </summary>
    /// <exception cref="ArgumentException">A refused format or convention.</exception>
    public KernelCast(FormatInfo format, RoundingContext ctx, ulong seed = 0)
    {
        if (format.TotalBits > 16)
            throw new ArgumentException($"format {format.Name} has {format.TotalBits} bits; the ILGPU casts serve at most 16");
        if (format.FlushToZero)
            throw new ArgumentException($"format {format.Name}: subnormals=ftz has no ILGPU kernel");
        if (ctx.Convention != CastConvention.Fp4Sim)
            throw new ArgumentException($"convention {ctx.Convention}: the ILGPU casts implement the fp4sim convention only");
        IsSigned = format.IsSigned ? 1 : 0;
        IsInteger = format.IsInteger ? 1 : 0;
        MantissaBits = format.MantissaBits;
        Bias = format.Bias;
        Specials = (int)format.Specials;
        Subnormals = format.Subnormals ? 1 : 0;
        HasZero = format.HasZero ? 1 : 0;
        TotalBits = format.TotalBits;
        CodeMask = format.CodeMask;
        SignMask = format.SignMask;
        MagnitudeMask = format.MagnitudeMask;
        TrailingMask = format.TrailingSignificandMask;
        MaxExponentField = (uint)format.MaxExponentField;
        MinNormalExponent = format.MinNormalExponent;
        HasNaN = format.HasNaN ? 1 : 0;
        HasNegativeZero = format.HasNegativeZero ? 1 : 0;
        MaxFiniteMagnitude = format.MaxFiniteMagnitude;
        CanonicalNaN = format.HasNaN ? format.CanonicalNaN : 0u;
        PositiveInfinity = format.HasInfinity ? format.PositiveInfinity : 0u;
        Mode = (int)ctx.Mode;
        Overflow = (int)ctx.Overflow;
        Seed = seed;
    }
}
