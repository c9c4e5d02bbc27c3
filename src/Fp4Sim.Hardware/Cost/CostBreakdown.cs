namespace Fp4Sim.Hardware.Cost;

/// <summary>A unit whose area the analytic model estimates (its composition lives next to its generator).</summary>
public interface ICostedUnit : IRtlUnit
{
    /// <summary>The analytic NAND2-equivalent estimate, block by block.</summary>
    CostBreakdown EstimateCost();
}

/// <summary>The datapath blocks a breakdown may name; CSV columns follow this order (<c>ge_&lt;block&gt;</c>).</summary>
public static class CostBlockNames
{
    /// <summary>Operand decode: exponent-field tests, shift decrement, special-value match, integer magnitude.</summary>
    public const string Decode = "decode";
    /// <summary>Significand (or integer magnitude) multiplier.</summary>
    public const string SignificandMultiplier = "sig_mult";
    /// <summary>Exponent (shift) adder.</summary>
    public const string ExponentAdder = "exp_add";
    /// <summary>Alignment shifter placing the significand product at its exponent.</summary>
    public const string AlignmentShifter = "align_shift";
    /// <summary>psb_mac's per-channel exponent-bias shift: the product lowered by 2^−shift.</summary>
    public const string BiasShift = "bias_shift";
    /// <summary>Sign handling: the conditional negate into two's complement.</summary>
    public const string Negate = "negate";
    /// <summary>Forcing the product to zero for a NaN/∞ operand.</summary>
    public const string SpecialZero = "special_zero";
    /// <summary>Grid rounding of a product shifted below the accumulator's lsb (round to nearest).</summary>
    public const string GridRounding = "grid_round";
    /// <summary>mx_dot's exact adder tree over the lane products.</summary>
    public const string AdderTree = "adder_tree";
    /// <summary>mx_dot's block exponent: the two E8M0 scale codes added (with the bias constant).</summary>
    public const string ScaleAdder = "scale_add";
    /// <summary>Start-value mux (clear ? acc_init : acc) and the invalid-product bypass.</summary>
    public const string AccumulatorMux = "acc_mux";
    /// <summary>Accumulator adder.</summary>
    public const string AccumulatorAdder = "acc_adder";
    /// <summary>Saturation to the register's range (wrap costs nothing).</summary>
    public const string Saturation = "saturate";
    /// <summary>Registers (flip-flops with enable and synchronous reset).</summary>
    public const string Registers = "registers";

    /// <summary>Every block, in report order. New units add their blocks here.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Decode, SignificandMultiplier, ExponentAdder, AlignmentShifter, BiasShift, Negate, SpecialZero, GridRounding, AdderTree, ScaleAdder,
        AccumulatorMux, AccumulatorAdder, Saturation, Registers
    ];
}

/// <summary>One block of an estimate.</summary>
/// <param name="Block">A name from <see cref="CostBlockNames"/>.</param>
/// <param name="Ge">Its area in NAND2 equivalents.</param>
public readonly record struct CostBlock(string Block, double Ge);

/// <summary>An analytic area estimate: GE per datapath block (blocks of the same name are summed).</summary>
public sealed class CostBreakdown
{
    private readonly Dictionary<string, double> _ge = new(StringComparer.Ordinal);

    /// <summary>Builds a breakdown from blocks; throws for a block name not in <see cref="CostBlockNames.All"/>.</summary>
    public CostBreakdown(IEnumerable<CostBlock> blocks)
    {
        foreach (CostBlock b in blocks)
        {
            if (!CostBlockNames.All.Contains(b.Block)) throw new ArgumentException($"unknown cost block '{b.Block}' (add it to CostBlockNames.All)");
            if (b.Ge < 0 || double.IsNaN(b.Ge)) throw new ArgumentException($"cost block '{b.Block}' has a negative area {b.Ge}");
            _ge[b.Block] = _ge.GetValueOrDefault(b.Block) + b.Ge;
        }
    }

    /// <summary>GE of <paramref name="block"/> (0 when absent).</summary>
    public double this[string block] => _ge.GetValueOrDefault(block);

    /// <summary>The total in GE.</summary>
    public double TotalGe => _ge.Values.Sum();

    /// <summary>The non-zero blocks, largest first.</summary>
    public IReadOnlyList<CostBlock> Largest() =>
        _ge.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).ThenBy(kv => CostBlockNames.All.ToList().IndexOf(kv.Key))
           .Select(kv => new CostBlock(kv.Key, kv.Value)).ToArray();
}
