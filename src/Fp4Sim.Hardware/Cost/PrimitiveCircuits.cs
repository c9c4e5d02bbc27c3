using System.Globalization;

namespace Fp4Sim.Hardware.Cost;

/// <summary>
/// One primitive circuit for fitting and checking <see cref="CostModel"/>: a module <c>prim</c>, the structural
/// counts its coefficients multiply, and the model's prediction.
/// </summary>
/// <param name="Primitive">The primitive's name (<c>adder</c>, <c>multiplier</c>, …).</param>
/// <param name="Size">Its size as text, e.g. <c>8</c> or <c>4x3</c>.</param>
/// <param name="Verilog">The module <c>prim</c>.</param>
/// <param name="Features">The structural counts (one per coefficient of the primitive).</param>
/// <param name="ModelGe">The model's estimate with the committed coefficients.</param>
public sealed record PrimitiveCircuit(string Primitive, string Size, string Verilog, double[] Features, double ModelGe);

/// <summary>The primitive circuits the coefficients of <see cref="CostModel"/> were fitted to (docs/cost.md).</summary>
public static class PrimitiveCircuits
{
    /// <summary>The top module's name of every primitive circuit.</summary>
    public const string Top = "prim";

    /// <summary>The fitting set: every primitive at a few sizes spanning the units' widths.</summary>
    public static IReadOnlyList<PrimitiveCircuit> FitSet()
    {
        var list = new List<PrimitiveCircuit>();
        foreach (int n in new[] { 3, 4, 8, 16, 32 })
        {
            // affine: features {n, 1}
            list.Add(new("adder", S(n), Module($"input wire [{n - 1}:0] a, input wire [{n - 1}:0] b, output wire [{n - 1}:0] y",
                "assign y = a + b;"), [n, 1], CostModel.Adder(n)));
            list.Add(new("incrementer", S(n), Module($"input wire [{n - 1}:0] a, input wire c, output wire [{n - 1}:0] y",
                $"assign y = a + {{{{{n - 1}{{1'b0}}}}, c}};"), [n, 1], CostModel.Incrementer(n)));
            list.Add(new("negate", S(n), Module($"input wire [{n - 1}:0] a, input wire neg, output wire [{n - 1}:0] y",
                "assign y = neg ? -a : a;"), [n, 1], CostModel.ConditionalNegate(n)));
        }
        foreach (int n in new[] { 8, 16, 32 })
        {
            list.Add(new("mux", S(n), Module($"input wire [{n - 1}:0] a, input wire [{n - 1}:0] b, input wire s, output wire [{n - 1}:0] y",
                "assign y = s ? a : b;"), [n], CostModel.Mux(n)));
            list.Add(new("zero_gate", S(n), Module($"input wire [{n - 1}:0] a, input wire kill, output wire [{n - 1}:0] y",
                $"assign y = kill ? {n}'d0 : a;"), [n], CostModel.ZeroGate(n)));
            list.Add(new("reduce", S(n), Module($"input wire [{n - 1}:0] a, output wire y", "assign y = |a;"), [n - 1], CostModel.Reduce(n)));
            list.Add(new("register", S(n), Module(
                $"input wire clk, input wire rst, input wire en, input wire [{n - 1}:0] d, output reg [{n - 1}:0] q",
                $"always @(posedge clk) begin if (rst) q <= {n}'d0; else if (en) q <= d; end"), [n], CostModel.Register(n)));
            list.Add(new("saturation", S(n), Module($"input wire [{n}:0] s, output wire [{n - 1}:0] y",
                $"wire ov = s[{n}] ^ s[{n - 1}];\n" +
                    $"    assign y = ov ? (s[{n}] ? {{1'b1, {{{n - 1}{{1'b0}}}}}} : {{1'b0, {{{n - 1}{{1'b1}}}}}}) : s[{n - 1}:0];"),
                [n], CostModel.Saturation(n)));
        }
        foreach (int d in new[] { 4, 8, 16 })
            list.Add(new("round_decision", S(d), Module($"input wire [{d - 1}:0] dropped, input wire odd, output wire up",
                $"assign up = (dropped > {d}'d{1L << (d - 1)}) | ((dropped == {d}'d{1L << (d - 1)}) & odd);"), [d], CostModel.RoundDecision(d)));
        foreach ((int n, int m) in new[] { (2, 2), (3, 3), (4, 4), (5, 5), (4, 8), (8, 8), (11, 11) })
            list.Add(new("multiplier", $"{n}x{m}", Module(
                $"input wire [{n - 1}:0] a, input wire [{m - 1}:0] b, output wire [{n + m - 1}:0] y",
                "assign y = a * b;"), [n * m, (n - 1) * (m - 1)], CostModel.Multiplier(n, m)));
        foreach ((int n, int m) in new[] { (3, 3), (4, 4), (6, 6), (8, 8), (4, 8) })
            list.Add(new("signed_multiplier", $"{n}x{m}", Module(
                $"input wire signed [{n - 1}:0] a, input wire signed [{m - 1}:0] b, output wire signed [{n + m - 1}:0] y",
                "assign y = a * b;"), [n * m, (n - 1) * (m - 1)], CostModel.SignedMultiplier(n, m)));
        foreach ((int i, int o, int s) in new[] { (4, 8, 2), (4, 16, 3), (8, 36, 5), (6, 66, 6), (16, 32, 4) })
            list.Add(new("shifter", $"{i}->{o}/{s}", Module($"input wire [{i - 1}:0] a, input wire [{s - 1}:0] sh, output wire [{o - 1}:0] y",
                $"assign y = {{{{{o - i}{{1'b0}}}}, a}} << sh;"), [CostModel.ShifterMuxBits(i, o, s)], CostModel.Shifter(i, o, s)));
        return list;
    }

    /// <summary>
    /// Least-squares coefficients per primitive from measured areas (through the origin: no constant term), in the
    /// order of <see cref="PrimitiveCircuit.Features"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> Fit(IEnumerable<(PrimitiveCircuit Circuit, double MeasuredGe)> samples)
    {
        var fits = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var group in samples.GroupBy(s => s.Circuit.Primitive))
        {
            int k = group.First().Circuit.Features.Length;
            // normal equations XᵀX c = Xᵀy, solved by Gaussian elimination (k ≤ 2)
            var a = new double[k, k + 1];
            foreach ((PrimitiveCircuit c, double y) in group)
                for (int r = 0; r < k; r++)
                {
                    for (int j = 0; j < k; j++) a[r, j] += c.Features[r] * c.Features[j];
                    a[r, k] += c.Features[r] * y;
                }
            for (int p = 0; p < k; p++)
                for (int r = 0; r < k; r++)
                {
                    if (r == p) continue;
                    double f = a[r, p] / a[p, p];
                    for (int j = p; j <= k; j++) a[r, j] -= f * a[p, j];
                }
            fits[group.Key] = Enumerable.Range(0, k).Select(r => a[r, k] / a[r, r]).ToArray();
        }
        return fits;
    }

    private static string S(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Module(string ports, string body) => $"module {Top} ({ports});\n    {body}\nendmodule\n";
}
