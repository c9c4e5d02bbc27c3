using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Inference;

/// <summary>A quantized layer the MAC engine cannot run as asked (one line naming the layer and why).</summary>
public sealed class MacSetupException(string message) : Exception(message);

/// <summary>
/// A calibrated linear layer as a chip holds it: weight codes, the activation quantizers that turn each input into a
/// code (plus FPQ's channel offset b_j), and one float32 output scale per column. Every scale factors out of the dot
/// (per tensor or per output column, or FPQ's 2^−ρ̃ with power-of-two channel shifts), so
/// y_k = fl32(fl32(Σ_j A(c_j) · 2^−b_j · W(w_jk)) · S_k) + bias_k, with the sum in the chosen accumulator.
/// The codes are those the fake-quant path dequantizes: the same quantizers encode them.
/// </summary>
public sealed class IntegerLayer
{
    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>Input features (the reduction length K).</summary>
    public int In { get; }

    /// <summary>Output features.</summary>
    public int Out { get; }

    /// <summary>The activation codes' format (bias-free FP or intN).</summary>
    public FormatInfo ActivationFormat { get; }

    /// <summary>The weight codes' format: the quantizer's, or in form (b) the wider format the offsets are folded into.</summary>
    public FormatInfo WeightFormat { get; }

    /// <summary>The pre-shift form this layer was prepared for.</summary>
    public PreShiftForm Form { get; }

    /// <summary>Per input channel: the exponent shift the MAC applies (form (a) offsets; zeros otherwise).</summary>
    public int[] Shifts { get; }

    /// <summary>The largest of <see cref="Shifts"/>.</summary>
    public int MaxShift { get; }

    /// <summary>Weight codes, [out, in] row-major (output column k's K-vector is row k).</summary>
    public byte[] WeightCodes { get; }

    /// <summary>S_k = fl32(activation scale · weight scale_k), applied to the accumulator's result.</summary>
    public float[] OutputScales { get; }

    /// <summary>The bias, added in float32 after the scale.</summary>
    public float[] Bias { get; }

    /// <summary>FPQ's channel offsets b_j (zeros for per-tensor activations), whichever form carries them.</summary>
    public int[] Offsets { get; }

    /// <summary>
    /// The register that holds every sum of this layer's products exactly: fraction bits down to the smallest product
    /// (shifts included), integer bits up to K × the largest (<see cref="ExactAccumulator.RegisterFor"/>).
    /// </summary>
    public (int Width, int FractionBits) AlignedRegister { get; }

    private readonly GridQuantizer[] _activationQuantizers;

    private IntegerLayer(string name, int din, int dout, FormatInfo activationFormat, FormatInfo weightFormat, PreShiftForm form, int[] offsets,
        byte[] weightCodes, float[] outputScales, float[] bias, GridQuantizer[] activationQuantizers)
    {
        Name = name; In = din; Out = dout; ActivationFormat = activationFormat; WeightFormat = weightFormat; Form = form;
        Offsets = offsets;
        Shifts = form == PreShiftForm.ShiftInMac ? offsets : new int[din];
        MaxShift = Shifts.Length == 0 ? 0 : Shifts.Max();
        WeightCodes = weightCodes; OutputScales = outputScales; Bias = bias; _activationQuantizers = activationQuantizers;
        (int width, int frac) = ExactAccumulator.RegisterFor(activationFormat, weightFormat, Math.Max(1, din));
        AlignedRegister = (width + MaxShift, frac + MaxShift);
    }

    /// <summary>Prepares a float32 layer (original weights) with its calibrated quantizers.</summary>
    /// <exception cref="MacSetupException">An operand left in float32, codes wider than 8 bits, or quantizers that do not factor.</exception>
    public static IntegerLayer Create(LinearLayer layer, LayerQuantization quantization, PreShiftForm form)
    {
        if (quantization.Weight is not { } wq || quantization.Activation is not { } aq)
            throw new MacSetupException($"{layer.Name}: the MAC engine needs quantized weights and activations (bits of at most 8)");
        FormatInfo fa = aq.Format.Core, fw = wq.Format.Core;
        if (fa.TotalBits > 8 || fw.TotalBits > 8)
            throw new MacSetupException($"{layer.Name}: codes of {fa.Name} x {fw.Name} are wider than the engine's 8 bits");

        ActivationCandidate candidate = ActivationCandidate.Of(aq);
        int[] offsets = candidate.Shifts?.Select(s => -s).ToArray() ?? new int[layer.In];
        GridQuantizer[] activation = aq.Build();
        for (int j = 0; j < offsets.Length && aq.Axis == ChannelAxis.Columns; j++)
            if (activation[j].Scale != Math.ScaleB(candidate.Scale, -offsets[j]))
                throw new MacSetupException($"{layer.Name}: activation scale of channel {j} is not 2^-b_j times the tensor's");

        GridQuantizer[] weight = wq.Build();
        var codes = new byte[layer.Out * layer.In];
        for (int k = 0; k < layer.Out; k++)
        {
            GridQuantizer q = weight[wq.Axis == ChannelAxis.Columns ? k : 0];
            for (int j = 0; j < layer.In; j++) codes[k * layer.In + j] = (byte)q.Encode(layer.Weight[j * layer.Out + k]);
        }
        var scales = new float[layer.Out];
        for (int k = 0; k < layer.Out; k++) scales[k] = (float)(candidate.Scale * weight[wq.Axis == ChannelAxis.Columns ? k : 0].Scale);

        int maxOffset = offsets.Length == 0 ? 0 : offsets.Max();
        if (form == PreShiftForm.FoldedWeights && maxOffset > 0)
        {
            FormatInfo folded = PreShiftedBias.ExactFoldFormat(fw, maxOffset);
            if (folded.TotalBits > 8)
                throw new MacSetupException($"{layer.Name}: folding offsets up to {maxOffset} into {fw.Name} needs {folded.Name}, wider than 8 bits");
            var column = new uint[layer.In];
            for (int k = 0; k < layer.Out; k++)
            {
                for (int j = 0; j < layer.In; j++) column[j] = codes[k * layer.In + j];
                uint[] refolded = PreShiftedBias.FoldIntoFormat(fw, column, offsets, folded, out int inexact);
                if (inexact != 0)
                    throw new InvalidOperationException($"{layer.Name}: {inexact} folded weights of column {k} left {folded.Name}'s grid");
                for (int j = 0; j < layer.In; j++) codes[k * layer.In + j] = (byte)refolded[j];
            }
            fw = folded;
        }
        return new IntegerLayer(layer.Name, layer.In, layer.Out, fa, fw, form, offsets, codes, scales, layer.Bias, activation);
    }

    /// <summary>
    /// Refuses a fixed-point register too narrow to hold one product of this layer (its largest product, on the
    /// register's grid, beyond the register's range) — a configuration error, not an overflow to count.
    /// </summary>
    /// <exception cref="MacSetupException">The register cannot hold the largest product.</exception>
    public void CheckHolds(FixedPointAccumulator register)
    {
        (int width, int frac) = ExactAccumulator.RegisterFor(ActivationFormat, WeightFormat, 1); // one unshifted product
        int needed = width - (frac - register.FractionBits);
        if (register.Width < needed)
            throw new MacSetupException($"{Name}: {register.Name} cannot hold one {ActivationFormat.Name} x {WeightFormat.Name} product " +
                $"(the largest needs {needed} bits on that grid)");
    }

    /// <summary>
    /// Every input (rows × In) as a product-table row operand: its code under channel j's quantizer with the channel's
    /// shift (<see cref="ProductGrid.RowOperand(FormatInfo, FormatInfo, uint, int)"/>), rows shared over threads.
    /// </summary>
    public int[] RowOperands(float[] input, int rows, int threads)
    {
        var operands = new int[rows * In];
        bool perChannel = _activationQuantizers.Length > 1;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads };
        Parallel.For(0, (rows + 63) / 64, options, block =>
        {
            for (int r = block * 64; r < Math.Min(rows, block * 64 + 64); r++)
                for (int j = 0; j < In; j++)
                {
                    uint code = _activationQuantizers[perChannel ? j : 0].Encode(input[r * In + j]);
                    operands[r * In + j] = ProductGrid.RowOperand(ActivationFormat, WeightFormat, code, Shifts[j]);
                }
        });
        return operands;
    }
}
