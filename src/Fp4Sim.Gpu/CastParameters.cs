using System.Runtime.InteropServices;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu;

/// <summary>
/// A <see cref="FormatInfo"/> flattened into the C struct <c>fp4sim_format</c> (kernels/format.cuh): eight 32-bit
/// fields in the same order, so it crosses to native code and to kernel parameters by value.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct FormatParameters
{
    /// <summary>1 when the format has negative values (a sign bit, or two's complement for integers).</summary>
    public readonly int IsSigned;
    /// <summary>E.</summary>
    public readonly int ExponentBits;
    /// <summary>M (for integers, the magnitude bits: the width minus 1 when signed, the width when unsigned).</summary>
    public readonly int MantissaBits;
    /// <summary>Exponent bias.</summary>
    public readonly int Bias;
    /// <summary>The <see cref="SpecialsPolicy"/> as its enum value.</summary>
    public readonly int Specials;
    /// <summary>1 when field 0 holds subnormals.</summary>
    public readonly int Subnormals;
    /// <summary>1 when the format has a zero (0 for E8M0).</summary>
    public readonly int HasZero;
    /// <summary>1 for integers (two's complement when signed).</summary>
    public readonly int IsInteger;

    /// <summary>Flattens a format.</summary>
    public FormatParameters(FormatInfo f)
    {
        IsSigned = f.IsSigned ? 1 : 0;
        ExponentBits = f.ExponentBits;
        MantissaBits = f.MantissaBits;
        Bias = f.Bias;
        Specials = (int)f.Specials;
        Subnormals = f.Subnormals ? 1 : 0;
        HasZero = f.HasZero ? 1 : 0;
        IsInteger = f.IsInteger ? 1 : 0;
    }
}

/// <summary>
/// The C struct <c>fp4sim_cast_params</c>: a format plus <see cref="RoundingContext.Mode"/> and <see cref="RoundingContext.Overflow"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct CastParameters
{
    /// <summary>The target format.</summary>
    public readonly FormatParameters Format;
    /// <summary>The <see cref="RoundingMode"/> as its enum value.</summary>
    public readonly int Mode;
    /// <summary>The <see cref="OverflowMode"/> as its enum value.</summary>
    public readonly int Overflow;

    /// <summary>Flattens a format and a rounding context (its random bits travel per element, not here).</summary>
    public CastParameters(FormatInfo format, RoundingContext ctx)
    {
        if (format.TotalBits > 16)
            throw new ArgumentException($"format {format.Name} has {format.TotalBits} bits; the portable casts serve at most 16");
        Format = new FormatParameters(format);
        Mode = (int)ctx.Mode;
        Overflow = (int)ctx.Overflow;
    }
}
