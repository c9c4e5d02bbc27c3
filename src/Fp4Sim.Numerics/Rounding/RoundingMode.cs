namespace Fp4Sim.Numerics.Rounding;

/// <summary>Rounding direction of an encode.</summary>
public enum RoundingMode
{
    /// <summary>Round to nearest, ties to the candidate whose code is even (IEEE roundTiesToEven for M ≥ 1).</summary>
    Rne,
    /// <summary>Round to nearest, ties away from zero (microxcaling's default "nearest").</summary>
    Rna,
    /// <summary>Toward zero (truncate the magnitude).</summary>
    Rtz,
    /// <summary>Toward +∞.</summary>
    Rup,
    /// <summary>Toward −∞.</summary>
    Rdn,
    /// <summary>Stochastic: round away from zero with probability equal to the discarded fraction, using 32 explicit random bits.</summary>
    Sr,
}

/// <summary>What an encode does with a finite value beyond the largest finite code.</summary>
public enum OverflowMode
{
    /// <summary>Clamp to ±max finite (OCP MX and NVIDIA SATFINITE). Inf inputs also become ±max.</summary>
    Saturate,
    /// <summary>IEEE 754: ±Inf where the rounding direction points away from zero (NaN for fn, 0x80 for fnuz), else ±max.</summary>
    Ieee,
}

/// <summary>Parsing and printing of the CLI spellings of <see cref="RoundingMode"/> and <see cref="OverflowMode"/>.</summary>
public static class RoundingNames
{
    /// <summary>The CLI spellings, in enum order.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["rne", "rna", "rtz", "rup", "rdn", "sr"];

    /// <summary>Parses rne|rna|rtz|rup|rdn|sr.</summary>
    public static RoundingMode ParseMode(string text)
    {
        int i = Modes.ToList().IndexOf(text.ToLowerInvariant());
        return i >= 0 ? (RoundingMode)i : throw new FormatException($"unknown rounding '{text}' (expected rne, rna, rtz, rup, rdn or sr)");
    }

    /// <summary>Parses saturate|ieee.</summary>
    public static OverflowMode ParseOverflow(string text) => text.ToLowerInvariant() switch
    {
        "saturate" => OverflowMode.Saturate,
        "ieee" => OverflowMode.Ieee,
        _ => throw new FormatException($"unknown overflow '{text}' (expected saturate or ieee)"),
    };

    /// <summary>The CLI spelling of a mode.</summary>
    public static string Name(RoundingMode mode) => Modes[(int)mode];
}
