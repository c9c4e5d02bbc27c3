using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Transformer;

namespace Fp4Sim.Quantization.Inference;

/// <summary>
/// Runs quantized linear layers bit-exactly on the MAC engine instead of fake-quant: every input is encoded by its
/// layer's activation quantizer, each dot product sums the exact products of the codes (FPQ's offsets applied as the
/// pre-shift form says) in the accumulator's order and rounding, index 0 first, and the result meets the output stage
/// y = fl32(fl32(sum) · S_k) + bias_k (<see cref="IntegerLayer"/>). Paths, all equal to the accumulator's reference:
/// fixed-point registers of ≤ 62 bits and the exact accumulator (a grid-aligned register wide enough never to
/// overflow, read out with one RNE) add table entries in 64-bit words (<see cref="FixedPointGemm"/>); binary32 adds
/// the products (exact in binary32) with float32 additions, each an IEEE RNE add; every other accumulator calls
/// <see cref="Accumulator.Accumulate"/> per output.
/// </summary>
public sealed class MacLinear : IMacRunner
{
    private const int RowsPerTask = 8;
    private readonly IReadOnlyDictionary<string, IntegerLayer> _layers;
    private readonly MacExecution _execution;
    private readonly int _threads;
    private readonly Dictionary<string, MacLayerStats> _stats = [];
    private readonly Dictionary<string, MacTerm[]> _terms = [];
    private readonly Dictionary<string, float[]?> _floatProducts = [];
    private float[] _input = [];

    /// <summary>A runner over prepared layers; layers it does not hold run in float32.</summary>
    public MacLinear(IReadOnlyDictionary<string, IntegerLayer> layers, MacExecution execution, int threads = 0)
    {
        _layers = layers; _execution = execution; _threads = threads;
        foreach (string name in layers.Keys) _stats[name] = new MacLayerStats(name);
    }

    /// <summary>Per layer, what its accumulators did so far.</summary>
    public IReadOnlyDictionary<string, MacLayerStats> Stats => _stats;

    /// <summary>How this runner executes.</summary>
    public MacExecution Execution => _execution;

    /// <inheritdoc />
    public void Run(LinearLayer layer, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        if (!_layers.TryGetValue(layer.Name, out IntegerLayer? integer))
        {
            Float32Linear.Multiply(input, layer.Weight, layer.Bias, rows, layer.In, layer.Out, output, _threads);
            return;
        }
        int k = integer.In, n = integer.Out;
        if (_input.Length < rows * k) _input = new float[rows * k];
        input[..(rows * k)].CopyTo(_input);
        int[] operands = integer.RowOperands(_input, rows, _threads);
        var sums = new float[rows * n];
        Accumulator accumulator = _execution.Accumulator.For(integer.AlignedRegister);
        MacLayerStats stats = _stats[layer.Name];
        stats.Accumulator = accumulator.Name;
        if (FastGrid(integer, accumulator) is { } grid) Fixed(integer, grid, accumulator is FixedPointAccumulator, operands, rows, sums, stats);
        else if (accumulator is IeeeAccumulator { Format: var f } && f == KnownFormats.Fp32 && FloatProducts(integer) is { } products)
            Float32(integer, products, operands, rows, sums, stats);
        else Reference(integer, accumulator, operands, rows, sums, stats);

        ForRows(rows, (start, end) =>
        {
            for (int i = start * n; i < end * n; i++)
            {
                float scaled = sums[i] * integer.OutputScales[i % n];
                sums[i] = scaled + integer.Bias[i % n];
            }
        });
        sums.AsSpan(0, rows * n).CopyTo(output);
    }

    /// <summary>
    /// The fast path's product table: for a fixed-point accumulator as given, or for the exact one as the layer's exact
    /// register; null where the 64-bit words cannot hold the register or its products.
    /// </summary>
    private static ProductGrid? FastGrid(IntegerLayer layer, Accumulator accumulator)
    {
        FixedPointAccumulator? register = accumulator switch
        {
            FixedPointAccumulator f => f,
            ExactAccumulator e when e.Output == KnownFormats.Fp32 && layer.AlignedRegister.Width <= FixedPointGemm.MaxWidth =>
                new FixedPointAccumulator(layer.AlignedRegister.Width, layer.AlignedRegister.FractionBits), // checked: 2..128 bits
            _ => null,
        };
        if (register is null || register.Width > FixedPointGemm.MaxWidth) return null;
        try { return ProductGrid.For(layer.ActivationFormat, layer.WeightFormat, register, layer.MaxShift); }
        catch (ArgumentException) { return null; } // products beyond the 64-bit words: the reference path
    }

    private void Fixed(IntegerLayer layer, ProductGrid grid, bool counted, int[] operands, int rows, float[] sums, MacLayerStats stats)
    {
        int k = layer.In, n = layer.Out, fractionBits = grid.Accumulator.FractionBits;
        var words = new long[rows * n];
        var events = new RegisterEvents[rows * n];
        FixedPointCounts counts = FixedPointGemm.Multiply(grid, operands, layer.WeightCodes, rows, n, k, words, events, _threads);
        ForRows(rows, (start, end) =>
        {
            for (int i = start * n; i < end * n; i++) sums[i] = ReadOut(words[i], fractionBits);
        });
        stats.Path = "fixed-point table";
        stats.Counted = counted;
        if (counted) stats.Add(counts, events, (long)rows * n * k);
        else stats.Add((long)rows * n, 0, (long)rows * n * k);
    }

    /// <summary>The register's value steps · 2^−F rounded once (RNE) to binary32.</summary>
    private static float ReadOut(long steps, int fractionBits)
    {
        if (Math.Abs(steps) < 1L << 53) return (float)Math.ScaleB(steps, -fractionBits); // exact double, one rounding
        return ToSingle(ExactValue.Of(steps, -fractionBits));
    }

    /// <summary>An exact value rounded once (RNE, overflow to ∞) to binary32: the read-out of every accumulator.</summary>
    internal static float ToSingle(ExactValue value) => BitConverter.UInt32BitsToSingle(
        Encoder.EncodeExact(KnownFormats.Fp32, value, new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee)));

    /// <summary>Every product as a float32 (null when one is not exactly a float32), indexed like a product grid.</summary>
    private float[]? FloatProducts(IntegerLayer layer)
    {
        lock (_floatProducts)
        {
            if (_floatProducts.TryGetValue(layer.Name, out float[]? cached)) return cached;
            MacTerm[] terms = Terms(layer);
            var products = new float[terms.Length + 16]; // the lanes load 16 products past any row operand
            for (int i = 0; i < terms.Length && products is not null; i++)
            {
                ExactValue v = terms[i].Value;
                if (v.Kind == ValueKind.Zero) { products[i] = v.Negative ? -0f : 0f; continue; }
                float f = ToSingle(v);
                if (!float.IsFinite(f) || ExactValue.FromDouble(f) != v) { products = null; break; }
                products[i] = f;
            }
            _floatProducts[layer.Name] = products;
            return products;
        }
    }

    private void Float32(IntegerLayer layer, float[] products, int[] operands, int rows, float[] sums, MacLayerStats stats)
    {
        int k = layer.In, n = layer.Out;
        Binary32ProductGemm.Multiply(products, layer.WeightFormat.TotalBits, operands, layer.WeightCodes, rows, n, k, sums, _threads);
        stats.Path = "float32 adds";
        stats.Add((long)rows * n, sums.Count(float.IsNaN), (long)rows * n * k);
    }

    private void Reference(IntegerLayer layer, Accumulator accumulator, int[] operands, int rows, float[] sums, MacLayerStats stats)
    {
        int k = layer.In, n = layer.Out;
        MacTerm[] table = Terms(layer);
        long invalid = 0;
        ForRows(rows, (start, end) =>
        {
            var terms = new MacTerm[k];
            long flagged = 0;
            for (int i = start; i < end; i++)
                for (int j = 0; j < n; j++)
                {
                    for (int t = 0; t < k; t++) terms[t] = table[operands[i * k + t] | layer.WeightCodes[j * k + t]];
                    MacResult result = accumulator.Accumulate(terms);
                    sums[i * n + j] = ToSingle(result.Value);
                    if (result.Invalid || result.Value.Kind == ValueKind.NaN) flagged++;
                }
            Interlocked.Add(ref invalid, flagged);
        });
        stats.Path = "reference";
        stats.Add((long)rows * n, invalid, (long)rows * n * k);
    }

    /// <summary>Every product term (form (a) shifts included), indexed like a product grid; built once per layer.</summary>
    private MacTerm[] Terms(IntegerLayer layer)
    {
        lock (_terms)
        {
            if (_terms.TryGetValue(layer.Name, out MacTerm[]? cached)) return cached;
            FormatInfo fa = layer.ActivationFormat, fw = layer.WeightFormat;
            var terms = new MacTerm[ProductGrid.TableSize(fa, fw, layer.MaxShift)];
            for (int s = 0; s <= layer.MaxShift; s++)
                for (uint x = 0; x < fa.CodeCount; x++)
                    for (uint y = 0; y < fw.CodeCount; y++)
                        terms[ProductGrid.RowOperand(fa, fw, x, s) | (int)y] = PreShiftedBias.ShiftedProduct(fa, x, s, fw, y);
            return _terms[layer.Name] = terms;
        }
    }

    private void ForRows(int rows, Action<int, int> body)
    {
        int tasks = (rows + RowsPerTask - 1) / RowsPerTask;
        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads <= 0 ? Environment.ProcessorCount : _threads };
        Parallel.For(0, tasks, options, t => body(t * RowsPerTask, Math.Min(rows, (t + 1) * RowsPerTask)));
    }
}
