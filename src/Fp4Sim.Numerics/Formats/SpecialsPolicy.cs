namespace Fp4Sim.Numerics.Formats;

/// <summary>Which codes of a floating-point format are reserved for infinities and NaNs.</summary>
public enum SpecialsPolicy
{
    /// <summary>IEEE 754 style: the all-ones exponent field is ±Inf (mantissa 0) or NaN (mantissa ≠ 0). E5M2, FP16, BF16, FP32.</summary>
    Ieee,
    /// <summary>"Finite, NaN": no Inf; only the all-ones code of each sign is NaN. OCP E4M3 (max 448), E8M0 (0xFF).</summary>
    Fn,
    /// <summary>"Finite, NaN, unsigned zero": no Inf and no −0; the sign-only code (0x80 for 8 bits) is the single NaN.</summary>
    Fnuz,
    /// <summary>Every code is a finite number (OCP FP6/FP4, LLM-FP4's formats).</summary>
    None,
}

/// <summary>How a code is classified by <see cref="Codec.Decoder.Classify"/>.</summary>
public enum CodeClass
{
    /// <summary>±0 (including the non-canonical zeros of a format without subnormals).</summary>
    Zero,
    /// <summary>Exponent field 0, mantissa ≠ 0, in a format with subnormals.</summary>
    Subnormal,
    /// <summary>A normal finite number (every nonzero integer of an INT format is Normal).</summary>
    Normal,
    /// <summary>±Infinity.</summary>
    Infinity,
    /// <summary>Not a number.</summary>
    NaN,
}
