using System.Diagnostics;
using System.Numerics.Tensors;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Training.Model.Ops;

namespace Fp4Sim.Training.Model;

/// <summary>
/// The decoder's forward and hand-written backward pass. Every block linear goes through <see cref="ILinearGemms"/>;
/// everything else (embedding, RMSNorm, RoPE, attention, SwiGLU, head, loss) is float32. Forward keeps what the next
/// <see cref="Backward"/> needs; backward writes every <see cref="Parameter.Grad"/>.
/// </summary>
internal sealed class DecoderModel
{
    private readonly Rope _rope;
    private ForwardState? _state;

    /// <summary>A model over <paramref name="parameters"/> whose block linears run in <paramref name="gemms"/>.</summary>
    public DecoderModel(DecoderParameters parameters, ILinearGemms gemms)
    {
        Parameters = parameters;
        Gemms = gemms;
        Config = parameters.Config;
        _rope = new Rope(Config.Context, Config.HeadDim, Config.RopeBase);
    }

    /// <summary>The shape.</summary>
    public DecoderConfig Config { get; }

    /// <summary>The weights and their gradients.</summary>
    public DecoderParameters Parameters { get; }

    /// <summary>The setting that runs the block linears.</summary>
    public ILinearGemms Gemms { get; }

    /// <summary><see cref="Stopwatch"/> ticks spent inside <see cref="ILinearGemms"/> calls since construction.</summary>
    public long LinearGemmTicks { get; private set; }

    private sealed class BlockState
    {
        public required float[] Input, Norm1, InverseRms1, QkvRoped, Probabilities, Attention;
        public required LinearForward Qkv, Output;
        public float[] Middle = [], Norm2 = [], InverseRms2 = [], GateUpOut = [], Hidden = [];
        public LinearForward? GateUp, Down;
    }

    private sealed record ForwardState(byte[] Inputs, int Batch, BlockState[] Blocks, float[] Final, float[] FinalNorm,
        float[] FinalInverseRms, float[] LogitsGrad);

    /// <summary>
    /// Mean cross-entropy of predicting <paramref name="targets"/> from <paramref name="inputs"/>
    /// (<paramref name="batch"/> windows of <see cref="DecoderConfig.Context"/> tokens each, back to back). With
    /// <paramref name="keepForBackward"/> the activations and dL/dlogits are kept for <see cref="Backward"/>.
    /// </summary>
    public double Forward(ReadOnlySpan<byte> inputs, ReadOnlySpan<byte> targets, int batch, bool keepForBackward = true)
    {
        Config.ValidateBatch(batch);
        int t = batch * Config.Context, d = Config.ModelDim, v = Config.VocabSize;
        if (inputs.Length != t || targets.Length != t)
            throw new ArgumentException($"expected {t} input and target tokens, got {inputs.Length} and {targets.Length}");
        _state = null;

        var x = new float[t * d];
        Embedding.Forward(Parameters.Embedding.Value, inputs, x, d);
        var blocks = new BlockState[Config.Layers];
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            blocks[layer] = BlockForward(Parameters.Blocks[layer], x, batch);
            x = Add(blocks[layer].Middle, blocks[layer].Down!.Output);
        }

        var finalNorm = new float[t * d];
        var finalInverseRms = new float[t];
        RmsNorm.Forward(x, Parameters.FinalNorm.Value, finalNorm, finalInverseRms, t, d, Config.NormEpsilon);
        var logits = new float[t * v];
        Sgemm.Multiply(finalNorm, MatrixLayout.Transpose(Parameters.Head.Value, v, d), logits, t, v, d);
        float[] logitsGrad = keepForBackward ? new float[t * v] : [];
        double loss = CrossEntropy.Forward(logits, targets, logitsGrad, v);
        if (keepForBackward) _state = new ForwardState(inputs.ToArray(), batch, blocks, x, finalNorm, finalInverseRms, logitsGrad);
        return loss;
    }

    private BlockState BlockForward(BlockParameters p, float[] input, int batch)
    {
        int t = batch * Config.Context, d = Config.ModelDim, h = Config.FfnHidden;
        var norm1 = new float[t * d];
        var inverseRms1 = new float[t];
        RmsNorm.Forward(input, p.AttentionNorm.Value, norm1, inverseRms1, t, d, Config.NormEpsilon);
        LinearForward qkv = Linear(norm1, p.Qkv, t);
        float[] roped = (float[])qkv.Output.Clone();
        _rope.Apply(roped, t, 3 * d, 0, 2 * d, inverse: false);
        var probabilities = new float[batch * Config.Heads * Config.Context * Config.Context];
        var attention = new float[t * d];
        CausalAttention.Forward(roped, attention, probabilities, batch, Config.Context, Config.Heads, Config.HeadDim);
        var s = new BlockState
        {
            Input = input,
            Norm1 = norm1,
            InverseRms1 = inverseRms1,
            Qkv = qkv,
            QkvRoped = roped,
            Probabilities = probabilities,
            Attention = attention,
            Output = Linear(attention, p.Output, t),
        };

        s.Middle = Add(input, s.Output.Output);
        s.Norm2 = new float[t * d];
        s.InverseRms2 = new float[t];
        RmsNorm.Forward(s.Middle, p.FfnNorm.Value, s.Norm2, s.InverseRms2, t, d, Config.NormEpsilon);
        s.GateUp = Linear(s.Norm2, p.GateUp, t);
        s.GateUpOut = s.GateUp.Output;
        s.Hidden = new float[t * h];
        SwiGlu.Forward(s.GateUpOut, s.Hidden, t, h);
        s.Down = Linear(s.Hidden, p.Down, t);
        return s;
    }

    /// <summary>
    /// Writes every parameter gradient of the last <see cref="Forward"/>'s loss; the backward GEMMs of layer l's linear
    /// k get <see cref="BackwardSeeds.For"/>(<paramref name="runSeed"/>, <paramref name="step"/>, l, k).
    /// </summary>
    public void Backward(ulong runSeed, int step)
    {
        ForwardState state = _state ?? throw new InvalidOperationException("Backward needs a Forward with keepForBackward first.");
        _state = null;
        int t = state.Batch * Config.Context, d = Config.ModelDim, v = Config.VocabSize;
        foreach (Parameter p in Parameters.All) Array.Clear(p.Grad);

        Sgemm.Multiply(MatrixLayout.Transpose(state.LogitsGrad, t, v), state.FinalNorm, Parameters.Head.Grad, v, d, t);
        var finalNormGrad = new float[t * d];
        Sgemm.Multiply(state.LogitsGrad, Parameters.Head.Value, finalNormGrad, t, d, v);
        var dx = new float[t * d];
        RmsNorm.Backward(state.Final, Parameters.FinalNorm.Value, state.FinalInverseRms, finalNormGrad, dx,
            Parameters.FinalNorm.Grad, t, d);

        for (int layer = Config.Layers - 1; layer >= 0; layer--)
            dx = BlockBackward(Parameters.Blocks[layer], state.Blocks[layer], dx, state.Batch, layer, runSeed, step);
        Embedding.Backward(state.Inputs, dx, Parameters.Embedding.Grad, d);
    }

    /// <summary>Returns dL/d(block input) from dL/d(block output) = <paramref name="dx"/>.</summary>
    private float[] BlockBackward(BlockParameters p, BlockState s, float[] dx, int batch, int layer, ulong runSeed, int step)
    {
        int t = batch * Config.Context, d = Config.ModelDim, h = Config.FfnHidden;
        LinearGradients down = LinearBackward(s.Down!, dx, p.Down, BackwardSeeds.For(runSeed, step, layer, BlockLinear.Down));
        var gateUpGrad = new float[t * 2 * h];
        SwiGlu.Backward(s.GateUpOut, down.Input, gateUpGrad, t, h);
        LinearGradients gateUp = LinearBackward(s.GateUp!, gateUpGrad, p.GateUp,
            BackwardSeeds.For(runSeed, step, layer, BlockLinear.GateUp));
        var middleGrad = new float[t * d];
        RmsNorm.Backward(s.Middle, p.FfnNorm.Value, s.InverseRms2, gateUp.Input, middleGrad, p.FfnNorm.Grad, t, d);
        TensorPrimitives.Add(middleGrad, dx, middleGrad);

        LinearGradients output = LinearBackward(s.Output, middleGrad, p.Output,
            BackwardSeeds.For(runSeed, step, layer, BlockLinear.AttentionOutput));
        var qkvGrad = new float[t * 3 * d];
        CausalAttention.Backward(s.QkvRoped, s.Probabilities, output.Input, qkvGrad, batch, Config.Context, Config.Heads,
            Config.HeadDim);
        _rope.Apply(qkvGrad, t, 3 * d, 0, 2 * d, inverse: true);
        LinearGradients qkv = LinearBackward(s.Qkv, qkvGrad, p.Qkv, BackwardSeeds.For(runSeed, step, layer, BlockLinear.Qkv));
        var inputGrad = new float[t * d];
        RmsNorm.Backward(s.Input, p.AttentionNorm.Value, s.InverseRms1, qkv.Input, inputGrad, p.AttentionNorm.Grad, t, d);
        TensorPrimitives.Add(inputGrad, middleGrad, inputGrad);
        return inputGrad;
    }

    private LinearForward Linear(float[] x, Parameter weight, int tokens)
    {
        long start = Stopwatch.GetTimestamp();
        LinearForward forward = Gemms.Forward(x, weight.Value, tokens, weight.Columns, weight.Rows);
        LinearGemmTicks += Stopwatch.GetTimestamp() - start;
        return forward;
    }

    private LinearGradients LinearBackward(LinearForward forward, float[] outputGrad, Parameter weight, ulong seed)
    {
        long start = Stopwatch.GetTimestamp();
        LinearGradients gradients = Gemms.Backward(forward, outputGrad, seed);
        LinearGemmTicks += Stopwatch.GetTimestamp() - start;
        gradients.Weight.AsSpan(0, weight.Grad.Length).CopyTo(weight.Grad);
        return gradients;
    }

    private static float[] Add(float[] a, float[] b)
    {
        var sum = new float[a.Length];
        TensorPrimitives.Add(a, b, sum);
        return sum;
    }
}
