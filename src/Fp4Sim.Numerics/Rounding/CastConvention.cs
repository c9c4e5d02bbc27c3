using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Rounding;

/// <summary>
/// Whose conventions an encode follows where libraries disagree (special inputs, overflow targets, integer range). The
/// rounding itself is always <see cref="RoundPack"/>'s; a convention only settles what the value becomes before or
/// after it. docs/semantics.md §7.1 lists every difference with examples.
/// </summary>
public enum CastConvention
{
    /// <summary>Fp4Sim's documented semantics (OCP MX / NVIDIA SATFINITE style): the default.</summary>
    Fp4Sim,

    /// <summary>
    /// jax-ml ml_dtypes (C++ <c>ConvertFrom&lt;kSaturate, kTruncate&gt;</c>; numpy <c>astype</c> is the non-saturating
    /// form): ±Inf becomes the type's <c>infinity()</c> even when saturating, NaN its <c>quiet_NaN()</c> (FP4/FP6: the
    /// −0 pattern), E8M0 takes ±0 and negatives to NaN (saturating: to 2^−127) and rounds ties up; overflow goes to
    /// <c>infinity()</c> whatever the rounding direction. Rounding: <c>rne</c> or <c>rtz</c> (kTruncate) only.
    /// </summary>
    MlDtypes,

    /// <summary>
    /// graphcore-research gfloat (<c>round_float</c> + <c>encode_float</c>): every NaN result is the all-ones code with the
    /// sign bit set (<c>code_of_nan</c>; 0x80 for fnuz); a NaN, Inf or overflow that the format cannot hold raises
    /// (<see cref="NotRepresentableException"/>). Rounding: every mode but <c>sr</c>.
    /// </summary>
    Gfloat,

    /// <summary>
    /// microsoft microxcaling (<c>_quantize_elemwise_core</c>): integers clamp symmetrically (int8 never gives −128,
    /// MXINT8 never 0x80); ±Inf is restored as Inf (the format's Inf or NaN) even when saturating; a non-saturating
    /// overflow is Inf whatever the direction. Rounding: <c>rna</c> ("nearest", its default), <c>rne</c> ("even"),
    /// <c>rtz</c> ("floor", which truncates).
    /// </summary>
    Microxcaling,
}

/// <summary>CLI spellings, per-convention defaults and the rounding modes each library has.</summary>
public static class CastConventions
{
    /// <summary>The CLI spellings, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp4sim", "ml_dtypes", "gfloat", "microxcaling"];

    /// <summary>Parses fp4sim|ml_dtypes|gfloat|microxcaling (any case; <c>ml-dtypes</c> too).</summary>
    public static CastConvention Parse(string text)
    {
        int i = Names.ToList().IndexOf(text.ToLowerInvariant().Replace('-', '_'));
        return i >= 0 ? (CastConvention)i
            : throw new FormatException($"unknown convention '{text}' (expected fp4sim, ml_dtypes, gfloat or microxcaling)");
    }

    /// <summary>The CLI spelling of a convention.</summary>
    public static string Name(CastConvention convention) => Names[(int)convention];

    /// <summary>
    /// The rounding and overflow a library uses when not told otherwise: ml_dtypes' numpy <c>astype</c> and gfloat's
    /// <c>round_float</c> are RNE without saturation; microxcaling rounds ties away and saturates (MX elements).
    /// </summary>
    public static RoundingContext Defaults(CastConvention convention) => convention switch
    {
        CastConvention.MlDtypes or CastConvention.Gfloat => new(RoundingMode.Rne, OverflowMode.Ieee, 0, convention),
        CastConvention.Microxcaling => new(RoundingMode.Rna, OverflowMode.Saturate, 0, convention),
        _ => RoundingContext.Default,
    };

    /// <summary>Null when <paramref name="ctx"/> is something the library can do for <paramref name="format"/>; else why not.</summary>
    public static string? Unsupported(FormatInfo format, in RoundingContext ctx)
    {
        ArgumentNullException.ThrowIfNull(format);
        string library = Name(ctx.Convention);
        return ctx.Convention switch
        {
            CastConvention.MlDtypes when ctx.Mode is not (RoundingMode.Rne or RoundingMode.Rtz) =>
                $"{library} rounds to nearest even or truncates (rne, rtz), not {RoundingNames.Name(ctx.Mode)}",
            CastConvention.MlDtypes when format.IsInteger =>
                $"{library} converts floats to integer types by C++ truncation and wrap-around, which is not modelled ({format.Name})",
            CastConvention.Gfloat when ctx.Mode == RoundingMode.Sr =>
                $"{library}'s stochastic modes take their own random bits (srbits) and are not modelled; use rne, rna, rtz, rup or rdn",
            CastConvention.Microxcaling when ctx.Mode is not (RoundingMode.Rna or RoundingMode.Rne or RoundingMode.Rtz) =>
                $"{library} rounds 'nearest' (rna), 'even' (rne) or 'floor' (rtz), not {RoundingNames.Name(ctx.Mode)}",
            _ => null,
        };
    }
}

/// <summary>
/// The value cannot be encoded under the chosen convention because the library it follows raises an error there
/// (gfloat: a NaN, Inf or non-saturating overflow into a format without NaN or Inf).
/// </summary>
public sealed class NotRepresentableException(string message) : ArithmeticException(message);
