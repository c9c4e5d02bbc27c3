using System.Globalization;
using System.Text;
using System.Text.Json;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>The results table in the shapes people read (terminal, Markdown) and machines read (CSV, JSON).</summary>
public static class ResultsReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The terminal table shaped like LLM-FP4's Table 1: method, E/W/A, accuracy, cosine, SQNR, seconds.</summary>
    public static string Table(IReadOnlyList<MethodResult> results)
    {
        var sb = new StringBuilder();
        sb.Append(string.Format(Invariant, "{0,-13} {1,-7} {2,9} {3,9} {4,9} {5,10} {6,9}\n",
            "method", "E/W/A", "spam acc", "cos mean", "cos min", "SQNR dB", "seconds"));
        foreach (MethodResult r in results)
            sb.Append(string.Format(Invariant, "{0,-13} {1,-7} {2,9:F4} {3,9:F4} {4,9:F4} {5,10} {6,9:F1}\n",
                r.Method.Name(), r.Bits, r.Accuracy, r.MeanCosine, r.MinCosine, Db(r.MeanSqnr), r.Seconds));
        return sb.ToString();
    }

    /// <summary>
    /// Per method run on the MAC engine, per layer: the accumulator, the path, the MACs, and the register events
    /// (saturated and wrapped adds, invalid terms, products rounded onto the grid, and how many outputs each touched).
    /// Empty when every result ran fake-quant.
    /// </summary>
    public static string MacTable(IReadOnlyList<MethodResult> results)
    {
        var sb = new StringBuilder();
        foreach (MethodResult r in results.Where(r => r.MacStats is not null))
        {
            string how = r.Method == QuantizationMethod.MxFp4 ? r.Model.Execution!.Accumulator.Name : r.Model.Execution!.ToString();
            sb.Append($"\n{r.Method.Name()} {r.Bits} on the MAC engine ({how}):\n");
            sb.Append(string.Format(Invariant, "{0,-16} {1,-18} {2,-17} {3,12} {4,10} {5,10} {6,8} {7,12} {8,9} {9,9}\n", "layer", "accumulator",
                "path", "MACs", "saturated", "wrapped", "invalid", "rounded", "out ovf", "out rnd"));
            foreach (Inference.MacLayerStats l in r.MacStats!)
            {
                string Count(long v) => l.Counted ? v.ToString(Invariant) : "-";
                sb.Append(string.Format(Invariant, "{0,-16} {1,-18} {2,-17} {3,12} {4,10} {5,10} {6,8} {7,12} {8,9} {9,9}\n", l.Layer, l.Accumulator,
                    l.Path, l.Macs, Count(l.Counts.SaturatedAdds), Count(l.Counts.WrappedAdds),
                    l.Counted ? l.Counts.InvalidTerms.ToString(Invariant) : l.InvalidOutputs.ToString(Invariant),
                    Count(l.Counts.RoundedTerms), Count(l.OverflowedOutputs), Count(l.RoundedOutputs)));
            }
        }
        return sb.ToString();
    }

    /// <summary>One CSV row per method and layer (layer "model" carries the whole-model figures).</summary>
    public static string Csv(IReadOnlyList<MethodResult> results)
    {
        var sb = new StringBuilder("method,bits,layer,spam_accuracy,cosine_mean,cosine_min,sqnr_local_db,sqnr_e2e_db," +
            "calibration_mse,calibration_s,total_s,weight_format,activation_format\n");
        foreach (MethodResult r in results)
        {
            sb.Append(string.Format(Invariant, "{0},{1},model,{2:R},{3:R},{4:R},,{5},,{6:F3},{7:F3},,\n",
                r.Method.Name(), r.Bits, r.Accuracy, r.MeanCosine, r.MinCosine, Db(r.MeanSqnr), r.CalibrationSeconds, r.Seconds));
            foreach (LayerResult l in r.Layers)
            {
                LayerQuantization? q = r.Model.Layers.FirstOrDefault(x => x.Layer == l.Layer);
                sb.Append(string.Format(Invariant, "{0},{1},{2},,,,{3},{4},{5:R},,,{6},{7}\n",
                    r.Method.Name(), r.Bits, l.Layer, Db(l.LocalSqnr), Db(l.EndToEndSqnr), l.CalibrationMse,
                    Operand(r, q?.Weight), Operand(r, q?.Activation)));
            }
        }
        return sb.ToString();
    }

    private static string Operand(MethodResult r, TensorQuantizer? q) =>
        r.Method == QuantizationMethod.MxFp4 ? "MXFP4" : q?.Format.Name ?? "fp32";

    /// <summary>The Markdown report: the summary table, then per-layer formats and SQNR for each method.</summary>
    public static string Markdown(IReadOnlyList<MethodResult> results, string setup)
    {
        var sb = new StringBuilder("# LLM-FP4 on USE-Lite: results\n\n").Append(setup).Append("\n\n");
        sb.Append("| method | E/W/A | spam acc | cos mean | cos min | mean SQNR (dB, end-to-end) | calibration s | total s |\n" +
            "|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (MethodResult r in results)
            sb.Append(string.Format(Invariant, "| {0} | {1} | {2:F4} | {3:F4} | {4:F4} | {5} | {6:F1} | {7:F1} |\n",
                r.Method.Name(), r.Bits, r.Accuracy, r.MeanCosine, r.MinCosine, Db(r.MeanSqnr), r.CalibrationSeconds, r.Seconds));
        foreach (MethodResult r in results.Where(r => r.Layers.Count > 0))
        {
            sb.Append($"\n## {r.Method.Name()} {r.Bits}\n\n" +
                $"| layer | W format | A format | SQNR local (dB) | SQNR end-to-end (dB) | calibration MSE | rounds | candidates | search s |\n" +
                $"|---|---|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (LayerResult l in r.Layers)
            {
                LayerQuantization? q = r.Model.Layers.FirstOrDefault(x => x.Layer == l.Layer);
                sb.Append(string.Format(Invariant, "| {0} | {1} | {2} | {3} | {4} | {5:G4} | {6} | {7} | {8:F1} |\n",
                    l.Layer, q?.Weight?.Format.Name ?? "fp32", Describe(q?.Activation), Db(l.LocalSqnr), Db(l.EndToEndSqnr), l.CalibrationMse,
                    q?.Rounds ?? 0, q?.Candidates ?? 0, q?.Seconds ?? 0));
            }
            if (r.Model.Embedding is { } e) sb.Append($"\nEmbedding table: {e.Format.Name}, {e.Axis.ToString().ToLowerInvariant()} scales.\n");
        }
        return sb.ToString();
    }

    /// <summary>Every searched quantizer of one result as JSON: format, per-channel biases/scales, pre-shift offsets and ρ̃.</summary>
    public static string QuantizersJson(MethodResult r)
    {
        object Tensor(TensorQuantizer? t) => t is null ? new { format = "fp32" } : new
        {
            format = t.Format.Name,
            granularity = t.Axis switch { ChannelAxis.Tensor => "tensor", ChannelAxis.Columns => "channel", _ => "row" },
            biases = t.Biases,
            rho = t.Rho,
            offsets = t.Offsets,
            scales = t.Scales,
        };
        var document = new
        {
            method = r.Method.Name(),
            bits = r.Bits.ToString(),
            embedding = Tensor(r.Model.Embedding),
            layers = r.Model.Layers.Select(q => new
            {
                layer = q.Layer,
                weight = Tensor(q.Weight),
                activation = Tensor(q.Activation),
                rounds = q.Rounds,
                candidates = q.Candidates,
                calibration_mse = q.CalibrationMse,
                seconds = q.Seconds
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull
        });
    }

    private static string Describe(TensorQuantizer? t) => t is null ? "fp32" : t.Offsets is null ? t.Format.Name : $"{t.Format.Name} + pre-shift";

    private static string Db(double db) => double.IsPositiveInfinity(db) ? "inf" : db.ToString("F2", Invariant);
}
