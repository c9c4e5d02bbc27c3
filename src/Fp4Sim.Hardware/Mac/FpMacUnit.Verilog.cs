using System.Numerics;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

public sealed partial record FpMacUnit
{
    /// <summary>Width of the term before the grid: the product, plus the appended fraction bits of a psb_mac shift.</summary>
    private int TermWidth => Multiplier.ProductWidth + MaxShift;

    /// <summary>Fraction bits of the term before the grid.</summary>
    private int TermFractionBits => Multiplier.ProductFractionBits + MaxShift;

    /// <summary>The MAC module's Verilog (fp_mac and psb_mac instantiate <see cref="FpMulUnit.ModuleName"/>).</summary>
    public string GenerateModule()
    {
        int w = Width, f = Accumulator.FractionBits, wt = TermWidth, ft = TermFractionBits;
        string input = Variant == MacVariant.PreShiftedBias ? "p_shifted" : "p";
        string grid = ft <= f ? GridExact(input, w, wt, f - ft) : GridShiftDown(input, w, wt, ft - f);
        BigInteger max = (BigInteger.One << (w - 1)) - 1;
        string limit = RtlTemplates.Render(Accumulator.Overflow == FixedOverflow.Saturate ? "limit_sat.v.sbn" : "limit_wrap.v.sbn", new
        {
            w,
            w_msb = w - 1,
            max = Verilog.Hex(max, w),
            min = Verilog.Hex(-max - 1, w),
        });
        return RtlTemplates.Render("mac.v.sbn", new
        {
            header = Generator.Header,
            module = ModuleName,
            description = Description(),
            ports = Ports(),
            product = Product() + Shift(),
            grid,
            limit,
            w_msb = w - 1,
            w_zero = Verilog.Hex(0, w),
            acc_next = HasInvalid ? "p_invalid ? base : next" : "next",
            invalid = HasInvalid ? RtlTemplates.Render("mac_invalid.v.sbn", new { }) : "",
        });
    }

    private string[] Description()
    {
        string fa = Multiplier.FormatA.Name, fb = Multiplier.FormatB.Name;
        string rounding = Accumulator.Rounding == FixedRounding.Truncate ? "truncate (toward -inf)" : "round to nearest, ties to even";
        string overflow = Accumulator.Overflow == FixedOverflow.Saturate ? "saturate" : "wrap";
        var lines = new List<string>
        {
            $"{ModuleName}: registered multiply-accumulate of {fa} x {fb} into {Accumulator.Name}:",
            $"a {Width}-bit two's-complement register with {Accumulator.FractionBits} fraction bits (value = acc * 2^-{Accumulator.FractionBits}).",
            "Each cycle with in_valid, " + Variant switch
            {
                MacVariant.Integer => $"the {Multiplier.ProductWidth}-bit two's-complement product of the integer codes",
                MacVariant.PreShiftedBias => $"the exact product times 2^-shift (shift: the activation channel's bias offset b_j, 0..{MaxShift})",
                _ => $"the exact product ({Multiplier.ProductWidth} bits, {Multiplier.ProductFractionBits} fraction bits)",
            },
            $"is put on the 2^-{Accumulator.FractionBits} grid ({rounding}) and added to acc, or with clear to acc_init",
            $"(a new dot product starting from C); the sum is limited to {Width} bits ({overflow}).",
        };
        if (HasInvalid)
            lines.Add("A NaN or infinite product leaves the sum unchanged and sets the sticky invalid (cleared by clear).");
        lines.Add($"acc{(HasInvalid ? ", invalid" : "")} and out_valid are registered: out_valid follows in_valid by one cycle.");
        lines.Add($"rst: synchronous, active high; clears acc{(HasInvalid ? ", invalid" : "")} and out_valid.");
        return lines.ToArray();
    }

    private object[] Ports()
    {
        var ports = new List<string> { "input  wire clk", "input  wire rst", "input  wire in_valid", "input  wire clear" };
        ports.Add(Bus("input  wire", Multiplier.FormatA.TotalBits, "a"));
        ports.Add(Bus("input  wire", Multiplier.FormatB.TotalBits, "b"));
        if (ShiftBits > 0) ports.Add(Bus("input  wire", ShiftBits, "shift"));
        ports.Add(Bus("input  wire", Width, "acc_init"));
        ports.Add(Bus("output reg ", Width, "acc"));
        if (HasInvalid) ports.Add("output reg  invalid");
        ports.Add("output reg  out_valid");
        return ports.Select((p, i) => (object)new { decl = p, sep = i == ports.Count - 1 ? "" : "," }).ToArray();
    }

    private static string Bus(string kind, int width, string name) => width == 1 ? $"{kind} {name}" : $"{kind} [{width - 1}:0] {name}";

    private string Product()
    {
        int wp = Multiplier.ProductWidth;
        if (Variant != MacVariant.Integer)
            return RtlTemplates.Render("mac_product_fp.v.sbn", new { wp_msb = wp - 1, multiplier = Multiplier.ModuleName });
        var unused = new List<string>(); // operands are never wider than their product
        return RtlTemplates.Render("mac_product_int.v.sbn", new
        {
            wp,
            wp_msb = wp - 1,
            a_ext = Verilog.Resize("a", Multiplier.FormatA.TotalBits, wp, signed: true, unused),
            b_ext = Verilog.Resize("b", Multiplier.FormatB.TotalBits, wp, signed: true, unused),
        });
    }

    private string Shift() => ShiftBits == 0 ? "" : RtlTemplates.Render("mac_shift.v.sbn", new
    {
        smax = MaxShift,
        fs = TermFractionBits,
        ws_msb = TermWidth - 1,
    });

    /// <summary>F ≥ F_t: the term moves up k bits, exactly (the constructor proved it fits W).</summary>
    private static string GridExact(string input, int w, int wt, int k)
    {
        var unused = new List<string>();
        string extended = Verilog.Resize(input, wt, w - k, signed: true, unused);
        return RtlTemplates.Render("grid_exact.v.sbn", new
        {
            k,
            w_msb = w - 1,
            term = k == 0 ? extended : $"{{{extended}, {k}'b0}}",
        });
    }

    /// <summary>F &lt; F_t: the term moves down d bits; floor, plus one when rounding to nearest says so.</summary>
    private string GridShiftDown(string input, int w, int wt, int d)
    {
        var unused = new List<string>();
        int px = Math.Max(wt, d + 1); // keep the sign above the d dropped bits
        int fw = px - d;
        var model = new Dictionary<string, object>
        {
            ["d"] = d,
            ["d_msb"] = d - 1,
            ["px_msb"] = px - 1,
            ["fw"] = fw,
            ["fw_msb"] = fw - 1,
            ["w_msb"] = w - 1,
            ["p_ext"] = Verilog.Resize(input, wt, px, signed: true, unused),
        };
        string half = Verilog.Hex(BigInteger.One << (d - 1), d);
        // above half, or exactly half with an odd floor (ties to even); with one dropped bit nothing is above half
        model["up"] = d == 1 ? "dropped & floor_q[0]" : $"(dropped > {half}) | ((dropped == {half}) & floor_q[0])";
        if (Accumulator.Rounding == FixedRounding.Truncate)
        {
            model["term"] = Verilog.Resize("floor_q", fw, w, signed: true, unused);
            model["unused"] = unused;
            return RtlTemplates.Render("grid_trunc.v.sbn", model);
        }
        model["floor_ext"] = Verilog.Resize("floor_q", fw, fw + 1, signed: true, unused);
        model["up_ext"] = Verilog.Resize("up", 1, fw + 1, signed: false, unused);
        model["term"] = Verilog.Resize("rounded", fw + 1, w, signed: true, unused); // the constructor proved it fits W
        model["unused"] = unused;
        return RtlTemplates.Render("grid_round.v.sbn", model);
    }
}
