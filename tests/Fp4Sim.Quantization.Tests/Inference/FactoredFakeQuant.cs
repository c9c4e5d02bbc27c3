using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Tests.Inference;

/// <summary>
/// The test oracle: fake-quant with the scales factored out of the dot, computed independently of the MAC engine.
/// Each operand is dequantized onto its bias-free grid in binary64 (Decoder.Decode of the quantizer's code, times
/// 2^−b_j for FPQ's channel offsets), the dot is a plain binary64 loop (exact for these ≤ 8-bit grids: every partial
/// sum fits 53 bits), rounded once to binary32, then scaled by fl32(activation scale · weight scale_k) and biased.
/// </summary>
internal sealed class FactoredFakeQuant : ILinearRunner
{
    private readonly Dictionary<string, Prepared> _layers = [];

    private sealed record Prepared(GridQuantizer[] Activation, double[] ActivationShift, Numerics.Formats.FormatInfo ActivationFormat,
        double[] Weights, float[] Scales);

    public FactoredFakeQuant(QuantizedModel model)
    {
        foreach (LayerQuantization q in model.Layers)
        {
            LinearLayer layer = model.Source.Linears.First(l => l.Name == q.Layer);
            TensorQuantizer a = q.Activation!, w = q.Weight!;
            GridQuantizer[] wq = w.Build();
            double common = a.Rho is double rho ? PreShiftedBias.RealBiasScale(rho) : a.Scales[0];
            double[] shift = Enumerable.Range(0, layer.In).Select(j => Math.ScaleB(1.0, -(a.Offsets?[j] ?? 0))).ToArray();
            var weights = new double[layer.In * layer.Out];
            for (int j = 0; j < layer.In; j++)
                for (int k = 0; k < layer.Out; k++)
                {
                    GridQuantizer g = wq[w.Axis == ChannelAxis.Columns ? k : 0];
                    weights[j * layer.Out + k] = Decoder.Decode(w.Format.Core, g.Encode(layer.Weight[j * layer.Out + k]));
                }
            float[] scales = Enumerable.Range(0, layer.Out).Select(k => (float)(common * wq[w.Axis == ChannelAxis.Columns ? k : 0].Scale)).ToArray();
            _layers[q.Layer] = new Prepared(a.Build(), shift, a.Format.Core, weights, scales);
        }
    }

    public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        Prepared p = _layers[layer.Name];
        var grid = new double[layer.In];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < layer.In; j++)
            {
                GridQuantizer q = p.Activation[p.Activation.Length > 1 ? j : 0];
                grid[j] = Decoder.Decode(p.ActivationFormat, q.Encode(input[r * layer.In + j])) * p.ActivationShift[j];
            }
            for (int k = 0; k < layer.Out; k++)
            {
                double sum = 0;
                for (int j = 0; j < layer.In; j++) sum += grid[j] * p.Weights[j * layer.Out + k];
                float scaled = (float)sum * p.Scales[k];
                output[r * layer.Out + k] = scaled + layer.Bias[k];
            }
        }
    }
}
