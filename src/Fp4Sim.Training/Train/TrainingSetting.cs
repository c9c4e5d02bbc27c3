using Fp4Sim.Training.Model;
using Fp4Sim.Training.Quartet;

namespace Fp4Sim.Training.Train;

/// <summary>Which arithmetic the block linears of a training run use.</summary>
public enum TrainingSetting
{
    /// <summary>Full precision: the three GEMMs in float32.</summary>
    Fp32,
    /// <summary>Quartet: QuEST forward with the fixed Hadamard, absmax 3/4 backward with a random Hadamard, masks, 16/9.</summary>
    Quartet,
    /// <summary>Naive MXFP4: the plain OCP conversion of every operand of the three GEMMs, no rotation, no mask.</summary>
    Naive,
}

/// <summary>CLI spellings of <see cref="TrainingSetting"/> and the GEMMs each one runs.</summary>
public static class TrainingSettings
{
    /// <summary>fp32, quartet, naive (enum order).</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp32", "quartet", "naive"];

    /// <summary>Parses a setting, or throws <see cref="FormatException"/> naming the choices.</summary>
    public static TrainingSetting Parse(string text)
    {
        for (int i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], text, StringComparison.OrdinalIgnoreCase)) return (TrainingSetting)i;
        throw new FormatException($"unknown training setting '{text}' (expected {string.Join(", ", Names)})");
    }

    /// <summary>The GEMMs of <paramref name="setting"/>; <paramref name="quartet"/> configures the Quartet setting only.</summary>
    public static ILinearGemms Create(TrainingSetting setting, QuartetOptions? quartet = null) => setting switch
    {
        TrainingSetting.Fp32 => new Fp32LinearGemms(),
        TrainingSetting.Quartet => new QuartetLinearGemms(quartet ?? new QuartetOptions()),
        _ => new NaiveMxLinearGemms(),
    };

    /// <summary>
    /// The run's label (and CSV file stem): the setting's name, with <c>-sr</c> for a stochastic Quartet backward and
    /// <c>-signs-after</c> for H·diag(ξ).
    /// </summary>
    public static string Label(TrainingSetting setting, QuartetOptions? quartet = null)
    {
        string name = Names[(int)setting];
        if (setting != TrainingSetting.Quartet || quartet is null) return name;
        return name + (quartet.StochasticBackward ? "-sr" : "") + (quartet.Placement == SignPlacement.After ? "-signs-after" : "");
    }
}
