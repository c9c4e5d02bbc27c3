using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// The parameters of a tensor-core block-FMA model (Fasi et al. 2021; Khattak &amp; Mikaitis 2025; MMA-Sim 2025):
/// groups of <see cref="GroupSize"/> terms plus the running C are aligned to their largest exponent η (never below
/// <see cref="EtaFloor"/>), each truncated toward zero to <see cref="FractionBits"/> bits below 2^η, summed exactly,
/// then rounded once into <see cref="Output"/> by <see cref="OutputRounding"/>; optionally the result is truncated
/// further to <see cref="ResultMantissaBits"/> (Hopper's FP8 path keeps an e8m13 result).
/// </summary>
/// <param name="Name">The CLI name (tc:&lt;name&gt;).</param>
/// <param name="Description">GPU and input type.</param>
/// <param name="GroupSize">Products fused per step (with C).</param>
/// <param name="FractionBits">Bits kept below the alignment exponent η.</param>
/// <param name="EtaFloor">The smallest η the alignment uses.</param>
/// <param name="OutputRounding">Final rounding (RZ for binary32 output, RNE for binary16).</param>
/// <param name="Output">The output / C format.</param>
/// <param name="ResultMantissaBits">If set, each group's result is truncated (RZ) to this many mantissa bits.</param>
public sealed record TensorCoreModel(string Name, string Description, int GroupSize, int FractionBits, int EtaFloor,
    RoundingMode OutputRounding, FormatInfo Output, int? ResultMantissaBits = null)
{
    private const int NoFloor = -1024;

    /// <summary>V100, fp16 inputs: 4 products + C, no extra alignment bits, RZ to binary32.</summary>
    public static TensorCoreModel V100 { get; } = new("v100", "V100 fp16", 4, 23, NoFloor, RoundingMode.Rtz, KnownFormats.Fp32);
    /// <summary>V100, fp16 inputs with binary16 C/D: as <see cref="V100"/> but the result is rounded to nearest binary16.</summary>
    public static TensorCoreModel V100Half { get; } = new("v100-f16", "V100 fp16, fp16 output", 4, 23, NoFloor, RoundingMode.Rne, KnownFormats.Fp16);
    /// <summary>A100, fp16/bf16: 8 products + C, one extra alignment bit.</summary>
    public static TensorCoreModel A100 { get; } = new("a100", "A100 fp16/bf16", 8, 24, -132, RoundingMode.Rtz, KnownFormats.Fp32);
    /// <summary>H100/H200, fp16/bf16: 16 products + C, two extra alignment bits.</summary>
    public static TensorCoreModel H100 { get; } = new("h100", "H100 fp16/bf16", 16, 25, -133, RoundingMode.Rtz, KnownFormats.Fp32);
    /// <summary>H100/H200 FP8 (wgmma): 32 products + C with 13 fraction bits, result kept as e8m13.</summary>
    public static TensorCoreModel H100Fp8 { get; } = new("h100-fp8", "H100 fp8 (e4m3/e5m2)", 32, 13, -133, RoundingMode.Rtz, KnownFormats.Fp32, 13);
    /// <summary>Ada / L40S FP8 (mma): 16 products + C with 13 fraction bits, result kept as e8m13.</summary>
    public static TensorCoreModel AdaFp8 { get; } = new("ada-fp8", "L40S/Ada fp8", 16, 13, -132, RoundingMode.Rtz, KnownFormats.Fp32, 13);
    /// <summary>B200, fp16/bf16: as H100.</summary>
    public static TensorCoreModel B200 { get; } = new("b200", "B200 fp16/bf16", 16, 25, -133, RoundingMode.Rtz, KnownFormats.Fp32);
    /// <summary>B200 FP8: 32 products + C with 25 fraction bits.</summary>
    public static TensorCoreModel B200Fp8 { get; } = new("b200-fp8", "B200 fp8", 32, 25, -133, RoundingMode.Rtz, KnownFormats.Fp32);
    /// <summary>B200 block-scaled FP4 (mxf4): exact block partials, two per k=64 step, fused with C on 35 fraction bits.</summary>
    public static TensorCoreModel B200Mxf4 { get; } = new("b200-mxf4", "B200 mxf4 block partials", 2, 35, -133, RoundingMode.Rtz, KnownFormats.Fp32);

    /// <summary>Every built-in model.</summary>
    public static IReadOnlyList<TensorCoreModel> All { get; } = [V100, V100Half, A100, H100, H100Fp8, AdaFp8, B200, B200Fp8, B200Mxf4];

    /// <summary>A model by name.</summary>
    public static TensorCoreModel Parse(string name) =>
        All.FirstOrDefault(m => m.Name == name.Trim().ToLowerInvariant())
        ?? throw new FormatException($"unknown tensor-core model '{name}' (known: {string.Join(", ", All.Select(m => m.Name))})");
}
