using System.Numerics;
using Fp4Sim.Hardware;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Inference;

/// <summary>A real layer's dot products as a hardware unit and its golden vectors.</summary>
/// <param name="Unit">The unit that computes one output.</param>
/// <param name="Vectors">One step per product: K steps per (token, output column), the first with <c>clear</c>.</param>
/// <param name="Words">The MAC engine's register word of every exported output, token-major.</param>
public sealed record LayerExport(FpMacUnit Unit, VectorSet Vectors, long[] Words);

/// <summary>A real layer's MXFP4 block pairs as <c>mx_dot</c> golden vectors.</summary>
/// <param name="Unit">The MXFP4 × MXFP4 block-dot unit.</param>
/// <param name="Vectors">One vector per pair of blocks: K / 32 per (token, output row), block 0 first.</param>
/// <param name="Outputs">The exact MXFP4 GEMM's result of every exported output, token-major.</param>
public sealed record MxLayerExport(MxDotUnit Unit, VectorSet Vectors, float[] Outputs);

/// <summary>
/// Exports real quantized rows and real activations (with FPQ's channel offsets) of one layer as <c>psb_mac</c> golden
/// vectors: the unit's register is the layer's exact register, so its final word per output is the exact sum; every
/// expected step comes from the unit's own emulation (<see cref="FpMacUnit.Step"/>) and every final word is checked
/// against the MAC engine (<see cref="FixedPointGemm"/>) before anything is written.
/// </summary>
public static class LayerExporter
{
    /// <summary>The first <paramref name="tokens"/> input rows against the first <paramref name="columns"/> output columns.</summary>
    /// <exception cref="MacSetupException">Shifts or shapes the unit cannot take.</exception>
    public static LayerExport PreShiftedMac(IntegerLayer layer, float[] input, int tokens, int columns)
    {
        if (tokens < 1 || columns < 1 || tokens * layer.In > input.Length || columns > layer.Out)
            throw new MacSetupException($"{layer.Name}: {tokens} tokens x {columns} columns is outside the layer's data");
        int shiftBits = Math.Max(1, (int)Math.Ceiling(Math.Log2(layer.MaxShift + 1)));
        if (shiftBits > FpMacUnit.MaxShiftBits)
            throw new MacSetupException($"{layer.Name}: channel offsets up to {layer.MaxShift} need more than {FpMacUnit.MaxShiftBits} shift bits");
        var register = new FixedPointAccumulator(layer.AlignedRegister.Width, layer.AlignedRegister.FractionBits);
        var unit = (FpMacUnit)new MacSpec(MacVariant.PreShiftedBias, layer.ActivationFormat, layer.WeightFormat, register, shiftBits).Create();

        int k = layer.In, bBits = layer.WeightFormat.TotalBits;
        int[] operands = layer.RowOperands(input, tokens, 1);
        byte[] weights = layer.WeightCodes.AsSpan(0, columns * k).ToArray();
        var words = new long[tokens * columns];
        FixedPointGemm.Multiply(ProductGrid.For(layer.ActivationFormat, layer.WeightFormat, register, layer.MaxShift),
            operands, weights, tokens, columns, k, words);

        int na = layer.ActivationFormat.TotalBits;
        var fields = new List<(string, int, string)>
        {
            ("in_valid", 1, "in"), ("clear", 1, "in"), ("acc_init", register.Width, "in"), ("a", na, "in"), ("b", bBits, "in"),
            ("shift", shiftBits, "in"), ("acc", register.Width, "out"),
        };
        if (unit.HasInvalid) fields.Add(("invalid", 1, "out"));
        var vectors = new VectorSet(unit.Kind, unit.ModuleName, fields, 0,
            $"{layer.Name}: {tokens} real activation rows x {columns} real weight columns, {k} steps each (the first with clear), " +
            "expected from the unit's emulation and checked against the MAC engine");
        uint mask = (1u << na) - 1;
        for (int t = 0; t < tokens; t++)
            for (int c = 0; c < columns; c++)
            {
                var state = new MacState(0, false);
                for (int j = 0; j < k; j++)
                {
                    uint a = (uint)((operands[t * k + j] >> bBits) & mask), b = weights[c * k + j];
                    state = unit.Step(state, j == 0, BigInteger.Zero, a, b, layer.Shifts[j]);
                    var row = new List<BigInteger> { 1, j == 0 ? 1 : 0, 0, a, b, layer.Shifts[j], state.Acc };
                    if (unit.HasInvalid) row.Add(state.Invalid ? 1 : 0);
                    vectors.Add(row.ToArray());
                }
                if (state.Acc != words[t * columns + c])
                    throw new InvalidOperationException(
                        $"{layer.Name}: the unit's emulation gives {state.Acc} for token {t}, column {c}; the MAC engine {words[t * columns + c]}");
            }
        return new LayerExport(unit, vectors, words);
    }

    /// <summary>
    /// The first <paramref name="tokens"/> input rows and <paramref name="rows"/> weight rows in MXFP4 as <c>mx_dot</c>
    /// block pairs; the block terms (the unit's outputs, sum · 2^(scale − F)) of each output, summed exactly and rounded
    /// once, are checked against the exact MXFP4 GEMM before anything is returned.
    /// </summary>
    /// <exception cref="MacSetupException">Shapes outside the layer, or K not a whole number of blocks.</exception>
    public static MxLayerExport MxDot(LinearLayer layer, float[] input, int tokens, int rows)
    {
        if (tokens < 1 || rows < 1 || tokens * layer.In > input.Length || rows > layer.Out)
            throw new MacSetupException($"{layer.Name}: {tokens} tokens x {rows} rows is outside the layer's data");
        MxMatrix weight = MxLinear.QuantizeWeight(layer);
        int k = layer.In, size = MxLinear.Format.BlockSize, blocks = k / size;
        var w = new MxMatrix(weight.Data with
        {
            Scales = weight.Data.Scales[..(rows * blocks)],
            Elements = weight.Data.Elements[..(rows * k)],
        }, rows, k);
        MxMatrix x = MxMatrix.Quantize(MxLinear.Format, input.AsSpan(0, tokens * k), tokens, k, new BlockQuantizeOptions());
        float[] gemm = MxFp4Gemm.Multiply(x, w, ExactAccumulator.Fp32, 1);
        var unit = (MxDotUnit)new MxDotSpec(MxLinear.Format, MxLinear.Format).Create();
        VectorSet vectors;
        try
        {
            vectors = unit.GemmVectors(x, w, tokens, rows, ExactAccumulator.Fp32, gemm,
                $"{layer.Name}: {tokens} real activation rows x {rows} real weight rows in MXFP4, {blocks} block pairs each, block 0 first; " +
                "the block terms of each output summed exactly equal the exact MXFP4 GEMM");
        }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{layer.Name}: {e.Message}", e); }
        return new MxLayerExport(unit, vectors, gemm);
    }
}
