using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>
/// Turns a float32 model plus calibration captures into a quantized model for one method and bit setting: every
/// linear layer's weight and input-activation quantizer and the embedding table's quantizer.
/// </summary>
public static class Calibrator
{
    /// <summary>Calibrates every linear layer (in execution order) and the embedding table.</summary>
    /// <param name="model">The float32 model.</param>
    /// <param name="samples">Each linear layer's float32 input and output on the calibration texts.</param>
    /// <param name="method">Which quantizers to build.</param>
    /// <param name="bits">E/W/A widths.</param>
    /// <param name="options">Search grid, rounds, threads.</param>
    /// <param name="progress">Called after each layer with (layer name, layers done, layers total).</param>
    public static QuantizedModel Calibrate(UseLiteModel model, IReadOnlyList<LayerSample> samples, QuantizationMethod method, BitSetting bits,
        SearchOptions options, Action<string, int, int>? progress = null)
    {
        if (method == QuantizationMethod.MxFp4) return QuantizedModel.CreateMx(model, bits);
        var layers = new List<LayerQuantization>();
        if (method != QuantizationMethod.Fp32)
        {
            for (int i = 0; i < samples.Count; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                layers.Add(CalibrateLayer(samples[i], method, bits, options) with { Seconds = clock.Elapsed.TotalSeconds });
                progress?.Invoke(samples[i].Layer.Name, i + 1, samples.Count);
            }
        }
        TensorQuantizer? embedding = method == QuantizationMethod.Fp32 || !BitSetting.Quantizes(bits.Embedding) ? null : method switch
        {
            QuantizationMethod.MinMaxInt => EmbeddingSearch.MinMax(model.Embeddings, ElementFormat.Int(bits.Embedding)),
            QuantizationMethod.MinMaxFp => EmbeddingSearch.MinMax(model.Embeddings, ElementFormat.Default(bits.Embedding)),
            _ => EmbeddingSearch.Search(model.Embeddings, model.VocabularyRows, model.EmbeddingWidth, bits.Embedding, options),
        };
        return QuantizedModel.Create(model, method, bits, layers, embedding);
    }

    /// <summary>One layer's quantizers; a width of 16 or 32 leaves that operand in float32.</summary>
    public static LayerQuantization CalibrateLayer(LayerSample sample, QuantizationMethod method, BitSetting bits, SearchOptions options)
    {
        LinearLayer layer = sample.Layer;
        bool weights = BitSetting.Quantizes(bits.Weight), activations = BitSetting.Quantizes(bits.Activation);
        switch (method)
        {
            case QuantizationMethod.MinMaxInt:
            case QuantizationMethod.MinMaxFp:
            {
                bool integer = method == QuantizationMethod.MinMaxInt;
                TensorQuantizer? w = weights
                    ? MinMaxWeight(layer, integer ? ElementFormat.Int(bits.Weight) : ElementFormat.Default(bits.Weight))
                    : null;
                TensorQuantizer? a = activations
                    ? MinMaxActivation(sample, integer ? ElementFormat.Int(bits.Activation) : ElementFormat.Default(bits.Activation))
                    : null;
                return Evaluate(sample, w, a, options);
            }
            default:
            {
                if (!weights || !activations)
                    throw new ArgumentException($"{method.Name()} searches weights and activations together; {bits} leaves one in float32");
                return new LayerSearch(sample, bits.Weight, bits.Activation, method == QuantizationMethod.Fpq, options).Run();
            }
        }
    }

    private static TensorQuantizer MinMaxWeight(LinearLayer layer, ElementFormat format) =>
        TensorQuantizer.FromMaxima(format, ChannelAxis.Columns, Statistics.ColumnMaxAbs(layer.Weight, layer.In, layer.Out));

    private static TensorQuantizer MinMaxActivation(LayerSample sample, ElementFormat format) =>
        TensorQuantizer.FromMaxima(format, ChannelAxis.Tensor, [Statistics.ColumnMaxAbs(sample.Input, sample.Rows, sample.Layer.In).Max()]);

    private static LayerQuantization Evaluate(LayerSample sample, TensorQuantizer? w, TensorQuantizer? a, SearchOptions options)
    {
        LinearLayer layer = sample.Layer;
        float[] wq = w?.Apply(layer.Weight, layer.In, layer.Out) ?? layer.Weight;
        float[] xq = a?.Apply(sample.Input, sample.Rows, layer.In) ?? sample.Input;
        double mse = new LayerObjective(sample, options.Threads).MeanSquaredError(xq, wq);
        return new LayerQuantization(layer.Name, w, a, 0, 0, mse);
    }
}
