using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Search;

/// <summary>One linear layer's full-precision input X [rows, in] and output O = X·W + b [rows, out] on the calibration texts.</summary>
public sealed record LayerSample(LinearLayer Layer, float[] Input, float[] Output, int Rows)
{
    /// <summary>O − b: what Q(X)·Q(W) is compared with (the bias cancels in the search objective).</summary>
    public float[] OutputWithoutBias()
    {
        var t = new float[Rows * Layer.Out];
        for (int r = 0; r < Rows; r++)
            System.Numerics.Tensors.TensorPrimitives.Subtract(Output.AsSpan(r * Layer.Out, Layer.Out), Layer.Bias,
                t.AsSpan(r * Layer.Out, Layer.Out));
        return t;
    }
}

/// <summary>
/// A float32 runner that records every linear layer's input and output — LLM-FP4's calibration capture. Because the
/// upstream layers stay in float32 ("parallel" calibration, App. F), one float32 pass captures every layer at once.
/// </summary>
public sealed class CapturingLinear(int threads = 0) : ILinearRunner
{
    private readonly Dictionary<string, (LinearLayer Layer, List<float[]> Inputs, List<float[]> Outputs, int Rows)> _captured = [];

    /// <inheritdoc />
    public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        Float32Linear.Multiply(input, layer.Weight, layer.Bias, rows, layer.In, layer.Out, output, threads);
        if (!_captured.TryGetValue(layer.Name, out var entry)) entry = (layer, [], [], 0);
        entry.Inputs.Add(input[..(rows * layer.In)].ToArray());
        entry.Outputs.Add(output[..(rows * layer.Out)].ToArray());
        _captured[layer.Name] = entry with { Rows = entry.Rows + rows };
    }

    /// <summary>The captured samples in the order the layers first ran.</summary>
    public IReadOnlyList<LayerSample> Samples() => _captured.Values
        .Select(e => new LayerSample(e.Layer, e.Inputs.SelectMany(a => a).ToArray(), e.Outputs.SelectMany(a => a).ToArray(), e.Rows))
        .ToArray();
}
