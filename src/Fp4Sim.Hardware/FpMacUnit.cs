using System.Numerics;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>The accumulator state of an <c>fp_mac</c>: the W-bit word (as a signed integer of grid steps) and the sticky flag.</summary>
/// <param name="Acc">The register, in steps of 2^−F.</param>
/// <param name="Invalid">A NaN or infinite product has been skipped since the last clear.</param>
public readonly record struct MacState(BigInteger Acc, bool Invalid);

/// <summary>
/// The <c>fp_mac</c> operator: an <see cref="FpMulUnit"/> feeding a registered fixed-point accumulator with the
/// semantics of <see cref="FixedPointAccumulator"/> (docs/semantics.md §10). Each valid cycle the exact product is put
/// on the 2^−F grid (truncate or round-nearest-even) and added to the register (or, with <c>clear</c>, to
/// <c>acc_init</c>: a new dot product starting from C), saturating or wrapping; NaN/∞ products are skipped and set the
/// sticky <c>invalid</c>. Supported only when the register holds every single product on its grid without overflow:
/// otherwise one product alone could already saturate or wrap, which no configuration meant for a dot product wants.
/// </summary>
public sealed partial record FpMacUnit : IRtlUnit
{
    /// <summary>Builds the configuration; throws <see cref="ArgumentException"/> for unsupported combinations.</summary>
    public FpMacUnit(FpMulUnit multiplier, FixedPointAccumulator accumulator)
    {
        Multiplier = multiplier;
        Accumulator = accumulator;
        BigInteger largest = accumulator.OnGrid(ExactValue.Of(multiplier.MaxProductSteps, -multiplier.ProductFractionBits));
        BigInteger smallest = accumulator.OnGrid(ExactValue.Of(-multiplier.MaxProductSteps, -multiplier.ProductFractionBits));
        BigInteger max = (BigInteger.One << (accumulator.Width - 1)) - 1;
        if (largest > max || smallest < -max - 1)
        {
            int needed = Math.Max(Verilog.UnsignedWidth(largest), Verilog.UnsignedWidth(-smallest - 1)) + 1;
            throw new ArgumentException(
                $"accumulator {accumulator.Name} is too narrow for {multiplier.FormatA.Name} x {multiplier.FormatB.Name} products: " +
                $"the largest product is {largest} steps of 2^-{accumulator.FractionBits}, which needs {needed} bits (use fixed:{needed}.{accumulator.FractionBits} or wider)");
        }
    }

    /// <summary>The multiplier.</summary>
    public FpMulUnit Multiplier { get; }

    /// <summary>The accumulator model the register implements.</summary>
    public FixedPointAccumulator Accumulator { get; }

    /// <summary>Register width W.</summary>
    public int Width => Accumulator.Width;

    /// <summary>The Verilog module name, e.g. <c>fp_mac_e2m1_e2m1_fixed16_2</c> (<c>_round</c>, <c>_wrap</c> appended).</summary>
    public string ModuleName => $"fp_mac_{Verilog.Identifier(Multiplier.FormatA.Name)}_{Verilog.Identifier(Multiplier.FormatB.Name)}_fixed{Width}_{FractionName}" +
        (Accumulator.Rounding == FixedRounding.Nearest ? "_round" : "") + (Accumulator.Overflow == FixedOverflow.Wrap ? "_wrap" : "");

    private string FractionName => Accumulator.FractionBits < 0 ? $"m{-Accumulator.FractionBits}" : Verilog.Dec(Accumulator.FractionBits);

    /// <summary>
    /// One clock edge with <c>in_valid</c> high, computed by the MAC engine: the accumulator summing the running state
    /// (or <paramref name="init"/> when <paramref name="clear"/>) and the exact product, in that order. The state is a
    /// value of the register, so it enters unchanged and only the product is rounded and range-limited.
    /// </summary>
    public MacState Step(MacState state, bool clear, BigInteger init, uint a, uint b)
    {
        MacState start = clear ? new MacState(init, false) : state;
        MacTerm c = MacTerm.Of(ExactValue.Of(start.Acc, -Accumulator.FractionBits));
        MacResult r = Accumulator.Accumulate([c, MacTerm.Product(Multiplier.FormatA, a, Multiplier.FormatB, b)]);
        return new MacState(FpMulUnit.Signed(r.Bits, Width), start.Invalid | r.Invalid);
    }

    /// <summary>The Verilog: the multiplier's file, then the MAC's.</summary>
    public IReadOnlyList<(string File, string Text)> Generate() =>
        [(Multiplier.ModuleName + ".v", Multiplier.GenerateModule()), (ModuleName + ".v", GenerateModule())];

    /// <summary>The MAC module's Verilog (it instantiates <see cref="FpMulUnit.ModuleName"/>).</summary>
    public string GenerateModule()
    {
        int w = Width, wp = Multiplier.ProductWidth, f = Accumulator.FractionBits, fp = Multiplier.ProductFractionBits;
        BigInteger max = (BigInteger.One << (w - 1)) - 1;
        string grid = fp <= f ? GridExact(w, wp, f - fp) : GridShiftDown(w, wp, fp - f);
        string limit = RtlTemplates.Render(Accumulator.Overflow == FixedOverflow.Saturate ? "limit_sat.v.hbs" : "limit_wrap.v.hbs", new
        {
            w, w_msb = w - 1, max = Verilog.Hex(max, w), min = Verilog.Hex(-max - 1, w),
        });
        string mac = RtlTemplates.Render("fp_mac.v.hbs", new
        {
            header = Generator.Header, module = ModuleName, multiplier = Multiplier.ModuleName, fa = Multiplier.FormatA.Name, fb = Multiplier.FormatB.Name,
            acc = Accumulator.Name, w, f, wp, fp, w_msb = w - 1, wp_msb = wp - 1,
            na_msb = Multiplier.FormatA.TotalBits - 1, nb_msb = Multiplier.FormatB.TotalBits - 1,
            rounding = Accumulator.Rounding == FixedRounding.Truncate ? "truncate (toward -inf)" : "round to nearest, ties to even",
            overflow = Accumulator.Overflow == FixedOverflow.Saturate ? "saturate" : "wrap",
            grid, limit, w_zero = Verilog.Hex(0, w),
        });
        return mac;
    }

    /// <summary>F ≥ F_p: the product moves up k bits, exactly (the constructor proved it fits W).</summary>
    private static string GridExact(int w, int wp, int k)
    {
        var unused = new List<string>();
        string extended = Verilog.Resize("p", wp, w - k, signed: true, unused);
        return RtlTemplates.Render("grid_exact.v.hbs", new
        {
            k, w_msb = w - 1, term = k == 0 ? extended : $"{{{extended}, {k}'b0}}",
        });
    }

    /// <summary>F &lt; F_p: the product moves down d bits; floor, plus one when rounding to nearest says so.</summary>
    private string GridShiftDown(int w, int wp, int d)
    {
        var unused = new List<string>();
        int px = Math.Max(wp, d + 1); // keep the sign above the d dropped bits
        int fw = px - d;
        var model = new Dictionary<string, object>
        {
            ["d"] = d, ["d_msb"] = d - 1, ["px_msb"] = px - 1, ["fw"] = fw, ["fw_msb"] = fw - 1, ["w_msb"] = w - 1,
            ["p_ext"] = Verilog.Resize("p", wp, px, signed: true, unused),
            ["half"] = Verilog.Hex(BigInteger.One << (d - 1), d),
        };
        if (Accumulator.Rounding == FixedRounding.Truncate)
        {
            model["term"] = Verilog.Resize("floor_q", fw, w, signed: true, unused);
            model["unused"] = unused;
            return RtlTemplates.Render("grid_trunc.v.hbs", model);
        }
        model["floor_ext"] = Verilog.Resize("floor_q", fw, fw + 1, signed: true, unused);
        model["up_ext"] = Verilog.Resize("up", 1, fw + 1, signed: false, unused);
        model["term"] = Verilog.Resize("rounded", fw + 1, w, signed: true, unused); // the constructor proved it fits W
        model["unused"] = unused;
        return RtlTemplates.Render("grid_round.v.hbs", model);
    }
}
