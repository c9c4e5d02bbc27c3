namespace Fp4Sim.Training.Quartet;

/// <summary>How Quartet quantizes a group of 32 (already rotated) values to MXFP4.</summary>
public enum QuartetMethod
{
    /// <summary>
    /// The forward quantizer (QuEST for MXFP4): scale 2^floor(log2(σ·2.92247856/6 + 1e−8)) from the group's population σ,
    /// elements RNE to E2M1 saturating at ±6, and the trust mask |x/s| &lt; 6.
    /// </summary>
    Quest,
    /// <summary>The backward quantizer: absmax E8M0 scale with a 3/4 range, elements RNE(3x/2^floor(log2 amax)); nothing clips.</summary>
    AbsMax,
    /// <summary><see cref="AbsMax"/> with stochastic rounding (Quartet v1–v3 and the released training scripts).</summary>
    AbsMaxSr,
}

/// <summary>CLI spellings of <see cref="QuartetMethod"/> and <see cref="HadamardKind"/>.</summary>
public static class QuartetNames
{
    /// <summary>quest, absmax, absmax-sr (enum order).</summary>
    public static IReadOnlyList<string> Methods { get; } = ["quest", "absmax", "absmax-sr"];

    /// <summary>none, fixed, random (enum order).</summary>
    public static IReadOnlyList<string> Rotations { get; } = ["none", "fixed", "random"];

    /// <summary>before, after (enum order).</summary>
    public static IReadOnlyList<string> Placements { get; } = ["before", "after"];

    /// <summary>Parses a method, or throws <see cref="FormatException"/> naming the choices.</summary>
    public static QuartetMethod ParseMethod(string text) => (QuartetMethod)Index(Methods, text, "quartet method");

    /// <summary>Parses a rotation kind, or throws <see cref="FormatException"/> naming the choices.</summary>
    public static HadamardKind ParseRotation(string text) => (HadamardKind)Index(Rotations, text, "hadamard");

    /// <summary>Parses a sign placement, or throws <see cref="FormatException"/> naming the choices.</summary>
    public static SignPlacement ParsePlacement(string text) => (SignPlacement)Index(Placements, text, "sign placement");

    /// <summary>The CLI spelling of a method.</summary>
    public static string Name(QuartetMethod method) => Methods[(int)method];

    private static int Index(IReadOnlyList<string> names, string text, string what)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase)) return i;
        throw new FormatException($"unknown {what} '{text}' (expected {string.Join(", ", names)})");
    }
}
