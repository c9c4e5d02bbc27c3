using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>
/// A calibrated model: the float32 model with fake-quantized weights and embedding table, plus each layer's
/// input-activation quantizer, applied on the fly by <see cref="Runner"/> (the released code's simulated quantization:
/// quantize, dequantize, multiply in float32).
/// </summary>
public sealed class QuantizedModel
{
    /// <summary>The method.</summary>
    public QuantizationMethod Method { get; }

    /// <summary>E/W/A.</summary>
    public BitSetting Bits { get; }

    /// <summary>Every linear layer's quantizers, in execution order (empty for FP32).</summary>
    public IReadOnlyList<LayerQuantization> Layers { get; }

    /// <summary>The embedding table's quantizer, or null when it stays float32.</summary>
    public TensorQuantizer? Embedding { get; }

    /// <summary>The model whose weights and embedding table hold the dequantized values.</summary>
    public UseLiteModel Model { get; }

    /// <summary>The MXFP4 method's weights, [out, in] in 32-blocks along K (null for the other methods).</summary>
    public IReadOnlyDictionary<string, Numerics.Mac.MxMatrix>? MxWeights { get; private init; }

    /// <summary>The float32 model the quantizers were calibrated on (its weights are what the MAC engine encodes).</summary>
    public UseLiteModel Source { get; }

    /// <summary>How <see cref="Runner"/> executes the linear layers: null for fake-quant, else bit-exactly on the MAC engine.</summary>
    public MacExecution? Execution { get; private init; }

    private QuantizedModel(QuantizationMethod method, BitSetting bits, IReadOnlyList<LayerQuantization> layers, TensorQuantizer? embedding,
        UseLiteModel model, UseLiteModel source)
    {
        Method = method; Bits = bits; Layers = layers; Embedding = embedding; Model = model; Source = source;
    }

    /// <summary>The same quantizers, executed on the MAC engine (null: fake-quant).</summary>
    /// <exception cref="MacSetupException">
    /// A layer the engine cannot run: an operand in float32, codes wider than 8 bits, a register too narrow for one product.
    /// </exception>
    public QuantizedModel WithExecution(MacExecution? execution)
    {
        var copy = new QuantizedModel(Method, Bits, Layers, Embedding, Model, Source) { Execution = execution, MxWeights = MxWeights };
        if (execution is null) return copy;
        if (MxWeights is not null)
            return execution.Accumulator.Core is not null ? copy
                : throw new MacSetupException(
                    "mxfp4: a layer-relative register (fixed:<W>.grid or .top) has no meaning for MXFP4 block terms; name the register");
        foreach (IntegerLayer layer in copy.IntegerLayers(execution.Form).Values) // refuse now, not in the middle of a run
            if (execution.Accumulator.For(layer.AlignedRegister) is Numerics.Mac.FixedPointAccumulator register)
                layer.CheckHolds(register);
        return copy;
    }

    private readonly Dictionary<PreShiftForm, IReadOnlyDictionary<string, IntegerLayer>> _integer = [];

    /// <summary>Every quantized layer as the MAC engine holds it (codes, offsets, output scales), prepared once per form.</summary>
    public IReadOnlyDictionary<string, IntegerLayer> IntegerLayers(PreShiftForm form)
    {
        lock (_integer)
        {
            if (_integer.TryGetValue(form, out var ready)) return ready;
            var layers = new Dictionary<string, IntegerLayer>();
            foreach (LayerQuantization q in Layers)
                layers[q.Layer] = IntegerLayer.Create(Source.Linears.First(l => l.Name == q.Layer), q, form);
            return _integer[form] = layers;
        }
    }

    /// <summary>Applies the quantizers to the float32 model's weights and embedding table.</summary>
    public static QuantizedModel Create(UseLiteModel model, QuantizationMethod method, BitSetting bits, IReadOnlyList<LayerQuantization> layers,
        TensorQuantizer? embedding)
    {
        var weights = new Dictionary<string, float[]>();
        foreach (LayerQuantization q in layers)
        {
            LinearLayer layer = model.Linears.First(l => l.Name == q.Layer);
            if (q.Weight is { } w) weights[q.Layer] = w.Apply(layer.Weight, layer.In, layer.Out);
        }
        float[]? table = embedding?.Apply(model.Embeddings, model.VocabularyRows, model.EmbeddingWidth);
        return new QuantizedModel(method, bits, layers, embedding, model.With(weights, table), model);
    }

    /// <summary>
    /// The runner of the linear layers: fake-quant (each layer's input quantized before its already quantized weight),
    /// or the MAC engine when <see cref="Execution"/> is set (a new runner each call, with its own counts).
    /// </summary>
    public ILinearRunner Runner(int threads = 0) => MxWeights is not null
        ? new MxLinear(MxWeights, Execution, threads)
        : Execution is { } execution
            ? new MacLinear(IntegerLayers(execution.Form), execution, threads)
            : new FakeQuantLinear(Layers, threads);

    /// <summary>
    /// The MXFP4 method: every linear layer's weight in MXFP4 (weights 4 bits; activations quantized per call), the
    /// embedding table in MXFP4 blocks along its rows when E quantizes. No calibration: the scale rule is the format's.
    /// </summary>
    /// <exception cref="MacSetupException">Bits other than 4 for weights and activations, or a layer not a whole number of blocks.</exception>
    public static QuantizedModel CreateMx(UseLiteModel model, BitSetting bits)
    {
        if (bits.Weight != 4 || bits.Activation != 4)
            throw new MacSetupException($"mxfp4 has 4-bit weights and activations, not {bits}");
        var weights = new Dictionary<string, Numerics.Mac.MxMatrix>();
        var dequantized = new Dictionary<string, float[]>();
        foreach (LinearLayer layer in model.Linears)
        {
            weights[layer.Name] = MxLinear.QuantizeWeight(layer);
            dequantized[layer.Name] = MxLinear.Dequantize(weights[layer.Name]);
        }
        float[]? table = BitSetting.Quantizes(bits.Embedding)
            ? MxLinear.FakeQuantize(model.Embeddings, model.VocabularyRows, model.EmbeddingWidth)
            : null;
        return new QuantizedModel(QuantizationMethod.MxFp4, bits, [], null, model.With(dequantized, table), model) { MxWeights = weights };
    }

    /// <summary>An encoder over the quantized model.</summary>
    public SentenceEncoder Encoder(int threads = 0) => new(Model, Runner(threads));
}

/// <summary>y = Q_A(x)·W_q + b: the input quantized by the layer's activation quantizer, the weight already dequantized.</summary>
internal sealed class FakeQuantLinear : ILinearRunner
{
    private readonly Dictionary<string, (GridQuantizer[] Quantizers, ChannelAxis Axis)> _activations = [];
    private readonly int _threads;

    public FakeQuantLinear(IReadOnlyList<LayerQuantization> layers, int threads)
    {
        _threads = threads;
        foreach (LayerQuantization q in layers)
            if (q.Activation is { } a) _activations[q.Layer] = (a.Build(), a.Axis);
    }

    private float[] _buffer = [];

    public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        if (_buffer.Length < rows * layer.In) _buffer = new float[rows * layer.In];
        float[] x = _buffer;
        input[..(rows * layer.In)].CopyTo(x);
        if (_activations.TryGetValue(layer.Name, out var a)) MatrixQuantizer.Apply(x, rows, layer.In, a.Quantizers, a.Axis, x);
        Float32Linear.Multiply(x, layer.Weight, layer.Bias, rows, layer.In, layer.Out, output, _threads);
    }
}
