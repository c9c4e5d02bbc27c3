using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Inference;

/// <summary>
/// The MXFP4 method's layers (OCP MX: E2M1 elements, one E8M0 scale per 32 values along K, OCP scale rule, RNE):
/// weights quantized once, as [out, in] so each output column's K-vector is blocked; inputs quantized per call along
/// their rows. Fake-quant dequantizes both (<see cref="MxDequantizer"/>) and multiplies in float32; on the MAC engine
/// the exact MXFP4 GEMM (<see cref="MxFp4Gemm"/>, binary32 or exact accumulation) or, for any other accumulator, the
/// block-term reference (<see cref="MxGemmReference"/>) computes the dot, and the bias is added in float32.
/// </summary>
public sealed class MxLinear : IMacRunner
{
    /// <summary>The block format of the method.</summary>
    public static BlockFormat Format => KnownBlockFormats.MxFp4;

    private static readonly BlockQuantizeOptions Options = new();
    private readonly IReadOnlyDictionary<string, MxMatrix> _weights;
    private readonly MacExecution? _execution;
    private readonly int _threads;
    private readonly Dictionary<string, MacLayerStats> _stats = [];

    /// <summary>A runner over MXFP4 weights; <paramref name="execution"/> null runs fake-quant.</summary>
    public MxLinear(IReadOnlyDictionary<string, MxMatrix> weights, MacExecution? execution, int threads = 0)
    {
        _weights = weights; _execution = execution; _threads = threads;
        foreach (string name in weights.Keys) _stats[name] = new MacLayerStats(name);
    }

    /// <summary>Per layer, what its dots did (on the MAC engine).</summary>
    public IReadOnlyDictionary<string, MacLayerStats> Stats => _stats;

    /// <summary>Quantizes a layer's [in, out] weight as [out, in] MXFP4 rows.</summary>
    /// <exception cref="MacSetupException">The reduction length is not a whole number of blocks.</exception>
    public static MxMatrix QuantizeWeight(LinearLayer layer)
    {
        if (layer.In % Format.BlockSize != 0)
            throw new MacSetupException($"{layer.Name}: {layer.In} inputs are not a whole number of {Format.BlockSize}-blocks");
        var transposed = new float[layer.In * layer.Out];
        for (int j = 0; j < layer.In; j++)
            for (int k = 0; k < layer.Out; k++) transposed[k * layer.In + j] = layer.Weight[j * layer.Out + k];
        return MxMatrix.Quantize(Format, transposed, layer.Out, layer.In, Options);
    }

    /// <summary>A row-major matrix quantized and dequantized in MXFP4 blocks along its rows (the embedding table).</summary>
    public static float[] FakeQuantize(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        MxDequantizer.ToSingle(MxMatrix.Quantize(Format, values, rows, columns, Options), result, transpose: false);
        return result;
    }

    /// <summary>The dequantized [in, out] weight (what fake-quant multiplies by).</summary>
    public static float[] Dequantize(MxMatrix weight)
    {
        var result = new float[weight.Rows * weight.Columns];
        MxDequantizer.ToSingle(weight, result, transpose: true);
        return result;
    }

    /// <inheritdoc />
    public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        if (!_weights.TryGetValue(layer.Name, out MxMatrix? weight))
        {
            Float32Linear.Multiply(input, layer.Weight, layer.Bias, rows, layer.In, layer.Out, output, _threads);
            return;
        }
        MxMatrix x = MxMatrix.Quantize(Format, input[..(rows * layer.In)], rows, layer.In, Options);
        if (_execution is null)
        {
            var dequantized = new float[rows * layer.In];
            MxDequantizer.ToSingle(x, dequantized, transpose: false);
            Float32Linear.Multiply(dequantized, layer.Weight, layer.Bias, rows, layer.In, layer.Out, output, _threads);
            return;
        }
        Accumulator accumulator = _execution.Accumulator.Core
            ?? throw new MacSetupException(
                $"{layer.Name}: a layer-relative register (fixed:<W>.grid or .top) has no meaning for MXFP4 block terms; name the register");
        MacLayerStats stats = _stats[layer.Name];
        stats.Accumulator = accumulator.Name;
        float[] sums;
        if (accumulator == ExactAccumulator.Fp32 || accumulator == new IeeeAccumulator(KnownFormats.Fp32))
        {
            sums = MxFp4Gemm.Multiply(x, weight, accumulator, _threads);
            stats.Path = "mxfp4 gemm";
        }
        else
        {
            sums = MxGemmReference.Multiply(x, weight, accumulator);
            stats.Path = "reference";
        }
        stats.Add((long)rows * layer.Out, sums.Count(float.IsNaN), (long)rows * layer.Out * layer.In);
        for (int i = 0; i < rows * layer.Out; i++) output[i] = sums[i] + layer.Bias[i % layer.Out];
    }
}
