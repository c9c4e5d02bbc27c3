using System.Globalization;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Quantization.Inference;

/// <summary>Where LLM-FP4's integer channel offsets b_j go when a layer runs on the MAC engine.</summary>
public enum PreShiftForm
{
    /// <summary>Form (a): the activation code keeps its offset; the MAC lowers each product's exponent by b_j (psb_mac).</summary>
    ShiftInMac,
    /// <summary>
    /// Form (b): the offsets are folded into the weights ahead of time, re-encoded (exactly) in the narrowest wider
    /// format that holds them; the MAC is a plain multiplier-accumulator of the activation and folded-weight codes.
    /// </summary>
    FoldedWeights,
}

/// <summary>Where a layer-relative fixed-point register puts its binary point.</summary>
public enum RegisterAnchor
{
    /// <summary>On the layer's product grid: every product lands exactly; a narrow register loses at the top (overflow).</summary>
    Grid,
    /// <summary>
    /// Under the layer's largest possible sum (K × the largest product, the exact register's top): the register never
    /// overflows; a narrow one loses at the bottom (products truncated onto its grid).
    /// </summary>
    Top,
}

/// <summary>
/// The accumulator a quantized layer's dot products run in: any accumulator of the core (<see cref="AccumulatorSpec"/>),
/// or a fixed-point register of <see cref="GridWidth"/> bits whose binary point depends on the layer
/// (<c>fixed:&lt;W&gt;.grid</c> on its product grid, <c>fixed:&lt;W&gt;.top</c> under its largest sum; see <see cref="RegisterAnchor"/>).
/// </summary>
/// <param name="Core">The accumulator, when it does not depend on the layer.</param>
/// <param name="GridWidth">The width of a layer-relative fixed-point register.</param>
/// <param name="GridOverflow">What that register does when a sum leaves its range.</param>
/// <param name="Anchor">Where its binary point sits.</param>
/// <param name="GridRounding">How products meet its grid (only a top-anchored register can round them).</param>
public sealed record MacAccumulator(Accumulator? Core, int GridWidth = 0, FixedOverflow GridOverflow = FixedOverflow.Saturate,
    RegisterAnchor Anchor = RegisterAnchor.Grid, FixedRounding GridRounding = FixedRounding.Truncate)
{
    /// <summary>The accumulator as the CLI spells it.</summary>
    public string Name => Core?.Name ?? $"fixed:{GridWidth}.{(Anchor == RegisterAnchor.Grid ? "grid" : "top")}" +
        (GridRounding == FixedRounding.Nearest ? ":round" : "") + (GridOverflow == FixedOverflow.Wrap ? ":wrap" : "");

    /// <summary>The register for a layer whose exact register (products on its grid, never overflowing) is <paramref name="aligned"/>.</summary>
    public Accumulator For((int Width, int FractionBits) aligned) => Core ?? new FixedPointAccumulator(GridWidth,
        Anchor == RegisterAnchor.Grid ? aligned.FractionBits : GridWidth - (aligned.Width - aligned.FractionBits),
        GridRounding, GridOverflow);

    /// <summary>
    /// Parses the accumulators of <c>fp4sim dot</c> plus <c>fixed:&lt;W&gt;.grid|top[:trunc|:round][:sat|:wrap]</c>; throws
    /// <see cref="FormatException"/> with a one-line reason.
    /// </summary>
    public static MacAccumulator Parse(string text)
    {
        string[] parts = text.Trim().ToLowerInvariant().Split(':');
        if (parts.Length is >= 2 and <= 4 && parts[0] == "fixed" && (parts[1].EndsWith(".grid", StringComparison.Ordinal)
            || parts[1].EndsWith(".top", StringComparison.Ordinal)))
        {
            RegisterAnchor anchor = parts[1].EndsWith(".grid", StringComparison.Ordinal) ? RegisterAnchor.Grid : RegisterAnchor.Top;
            string width = parts[1][..parts[1].LastIndexOf('.')];
            if (!int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out int w) || w is < 2 or > 128)
                throw new FormatException($"accumulator '{text}': the width of fixed:<W>.grid or fixed:<W>.top must be an integer 2..128");
            // The options are those of any fixed-point register; the width and binary point are resolved per layer.
            FixedPointAccumulator options = AccumulatorSpec.WithOptions(new FixedPointAccumulator(w, 0), parts.Skip(2), text);
            return new MacAccumulator(null, w, options.Overflow, anchor, options.Rounding);
        }
        return new MacAccumulator(AccumulatorSpec.Parse(text));
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>How a quantized model's linear layers are executed bit-exactly: the accumulator and the pre-shift form.</summary>
/// <param name="Accumulator">The accumulator of every layer's dot products.</param>
/// <param name="Form">Where FPQ's channel offsets go (no effect on methods without them).</param>
public sealed record MacExecution(MacAccumulator Accumulator, PreShiftForm Form = PreShiftForm.ShiftInMac)
{
    /// <summary><c>a</c> or <c>b</c>.</summary>
    public static string FormName(PreShiftForm form) => form == PreShiftForm.ShiftInMac ? "a" : "b";

    /// <summary>A short description for reports: <c>fixed:16.3, pre-shift form (a)</c>.</summary>
    public override string ToString() => $"{Accumulator.Name}, pre-shift form ({FormName(Form)})";
}
