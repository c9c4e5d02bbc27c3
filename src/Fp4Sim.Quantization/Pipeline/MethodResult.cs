using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>One layer's agreement with float32 on the held-out texts.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="LocalSqnr">dB, the layer quantized alone on float32 inputs.</param>
/// <param name="EndToEndSqnr">dB, the layer inside the quantized network.</param>
/// <param name="CalibrationMse">The search objective's final value on the calibration rows.</param>
public sealed record LayerResult(string Layer, double LocalSqnr, double EndToEndSqnr, double CalibrationMse);

/// <summary>A row of the results table.</summary>
/// <param name="Method">Method.</param>
/// <param name="Bits">E/W/A.</param>
/// <param name="Accuracy">Spam/ham accuracy of the float32-trained head on this model's held-out embeddings.</param>
/// <param name="MeanCosine">Mean cosine similarity to the float32 embeddings (held-out texts).</param>
/// <param name="MinCosine">Least cosine similarity to the float32 embeddings.</param>
/// <param name="MeanSqnr">Mean over layers of the end-to-end SQNR (dB).</param>
/// <param name="Layers">Per-layer SQNR.</param>
/// <param name="CalibrationSeconds">Time to calibrate (search).</param>
/// <param name="Seconds">Time to calibrate and evaluate.</param>
/// <param name="Model">The calibrated model (its quantizers are the report's JSON).</param>
public sealed record MethodResult(QuantizationMethod Method, BitSetting Bits, double Accuracy, double MeanCosine, double MinCosine, double MeanSqnr,
    IReadOnlyList<LayerResult> Layers, double CalibrationSeconds, double Seconds, QuantizedModel Model)
{
    /// <summary>Per layer, what its accumulators did in the end-to-end pass (null under fake-quant).</summary>
    public IReadOnlyList<Inference.MacLayerStats>? MacStats { get; init; }

    /// <summary>The machine-readable summary line: <c>result &lt;method&gt; &lt;bits&gt; acc &lt;a&gt; cos &lt;c&gt; sqnr &lt;s&gt;</c>.</summary>
    public string SummaryLine() => FormattableString.Invariant(
        $"result {Method.Name()} {Bits} acc {Accuracy:F4} cos {MeanCosine:F4} sqnr {(double.IsFinite(MeanSqnr)
            ? MeanSqnr.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)
            : "inf")}");
}
