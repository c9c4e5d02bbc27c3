namespace Fp4Sim.Quantization.Search;

/// <summary>The rows of LLM-FP4's Table 1 that this pipeline reproduces.</summary>
public enum QuantizationMethod
{
    /// <summary>The float32 model.</summary>
    Fp32,
    /// <summary>Symmetric INT, scales from the max: per output channel for weights, per tensor for activations and the embedding table.</summary>
    MinMaxInt,
    /// <summary>
    /// A fixed FP format (E2M1 at 4 bits, E3M2 at 6, E4M3 at 8) with real biases from the max (Eq. 7), same granularity as MinMax INT.
    /// </summary>
    MinMaxFp,
    /// <summary>LLM-FP4 §4.1: joint search of format and real exponent bias per layer (per-tensor activations).</summary>
    FpqBaseline,
    /// <summary>LLM-FP4 §4.2: the baseline plus the per-input-channel pre-shifted exponent bias of the activations.</summary>
    Fpq,
    /// <summary>OCP MXFP4: E2M1 elements with one E8M0 scale per 32 values along K (weights and activations), no calibration.</summary>
    MxFp4,
}

/// <summary>Names of the methods as the CLI and the reports spell them.</summary>
public static class MethodNames
{
    /// <summary>All methods in table order.</summary>
    public static IReadOnlyList<QuantizationMethod> All { get; } =
        [QuantizationMethod.Fp32, QuantizationMethod.MinMaxInt, QuantizationMethod.MinMaxFp, QuantizationMethod.FpqBaseline, QuantizationMethod.Fpq,
        QuantizationMethod.MxFp4];

    /// <summary>fp32, minmax-int, minmax-fp, fpq-baseline, fpq, mxfp4.</summary>
    public static string Name(this QuantizationMethod method) => method switch
    {
        QuantizationMethod.Fp32 => "fp32",
        QuantizationMethod.MinMaxInt => "minmax-int",
        QuantizationMethod.MinMaxFp => "minmax-fp",
        QuantizationMethod.FpqBaseline => "fpq-baseline",
        QuantizationMethod.MxFp4 => "mxfp4",
        _ => "fpq",
    };

    /// <summary>Parses a method name; null when unknown.</summary>
    public static QuantizationMethod? Parse(string text) => All.Cast<QuantizationMethod?>().FirstOrDefault(m => m!.Value.Name() == text);
}

/// <summary>LLM-FP4's E/W/A notation: bits of the embedding table, the weights and the activations; 16 or 32 means float32.</summary>
public sealed record BitSetting(int Embedding, int Weight, int Activation)
{
    /// <summary>The settings the report runs with <c>--bits all</c>: 4/4/4, 4/4/8, 6/6/6, 8/8/8.</summary>
    public static IReadOnlyList<BitSetting> Standard { get; } = [new(4, 4, 4), new(4, 4, 8), new(6, 6, 6), new(8, 8, 8)];

    /// <summary>Whether a width means "quantize" (3..8 bits) rather than float32 (16, 32).</summary>
    public static bool Quantizes(int bits) => bits < 16;

    /// <summary>Parses <c>E/W/A</c>; each field 3..8, 16 or 32. Null with a reason when malformed.</summary>
    public static BitSetting? Parse(string text, out string? error)
    {
        error = null;
        string[] parts = text.Split('/');
        if (parts.Length != 3) { error = $"bits '{text}' is not E/W/A (e.g. 4/4/4)"; return null; }
        var bits = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits[i])
                || !(bits[i] is >= 3 and <= 8 or 16 or 32))
            {
                error = $"bits '{text}': '{parts[i]}' must be 3..8, 16 or 32";
                return null;
            }
        }
        return new BitSetting(bits[0], bits[1], bits[2]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Embedding}/{Weight}/{Activation}";
}

/// <summary>
/// The search's knobs, defaulting to the released code: γ on [0.01, 1.2] with 100 steps of which the code evaluates
/// indices 0…99 (γ = 1.2 itself never), 3 rounds. <see cref="WeightFormat"/> / <see cref="ActivationFormat"/> pin the
/// search to one element format (the design-space exploration compares formats); null searches the bit width's set.
/// </summary>
public sealed record SearchOptions(int Rounds = 3, double GammaLow = 0.01, double GammaHigh = 1.2, int GammaSteps = 100, int Threads = 0,
    Quantizers.ElementFormat? WeightFormat = null, Quantizers.ElementFormat? ActivationFormat = null)
{
    /// <summary>γ_i = low + i·(high − low)/steps for i = 0 … steps − 1.</summary>
    public double[] Gammas() => Enumerable.Range(0, GammaSteps).Select(i => GammaLow + i * ((GammaHigh - GammaLow) / GammaSteps)).ToArray();
}
