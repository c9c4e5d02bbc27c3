using System.Globalization;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// Parses the accumulator names of the CLI: <c>exact</c> (one final RNE to binary32; <c>exact:&lt;format&gt;</c> for
/// another), <c>fp32</c> | <c>fp16</c> | <c>bf16</c>, <c>fixed:&lt;width&gt;.&lt;frac&gt;[:trunc|:round][:sat|:wrap]</c>,
/// <c>tc:&lt;model&gt;</c>.
/// </summary>
public static class AccumulatorSpec
{
    /// <summary>Parses a name; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static Accumulator Parse(string text)
    {
        string spec = text.Trim().ToLowerInvariant();
        string[] parts = spec.Split(':');
        switch (parts[0])
        {
            case "exact" when parts.Length == 1: return ExactAccumulator.Fp32;
            case "exact": return new ExactAccumulator(FormatSpec.Parse(spec["exact:".Length..]));
            case "fp32" or "fp16" or "bf16" when parts.Length == 1: return new IeeeAccumulator(FormatSpec.Parse(parts[0]));
            case "tc" when parts.Length == 2: return new TensorCoreAccumulator(TensorCoreModel.Parse(parts[1]));
            case "fixed" when parts.Length >= 2: return Fixed(text, parts);
        }
        throw new FormatException(
            $"unknown accumulator '{text}' (expected exact, fp32, fp16, bf16, fixed:<width>.<frac>[:trunc|:round][:sat|:wrap] or tc:<model>)");
    }

    private static FixedPointAccumulator Fixed(string text, string[] parts)
    {
        string[] wf = parts[1].Split('.');
        if (wf.Length != 2 || !IsInteger(wf[0], signed: false) || !IsInteger(wf[1], signed: true))
            throw new FormatException($"accumulator '{text}': expected fixed:<width>.<frac> with integers, e.g. fixed:32.16");
        int width = Bounded(wf[0], FixedPointAccumulator.MinWidth, FixedPointAccumulator.MaxWidth, text, "width", " bits");
        int frac = Bounded(wf[1], -FixedPointAccumulator.MaxFractionBits, FixedPointAccumulator.MaxFractionBits, text, "fraction bits", "");
        return WithOptions(new FixedPointAccumulator(width, frac), parts.Skip(2), text);
    }

    /// <summary>ASCII digits, after one leading sign when <paramref name="signed"/>.</summary>
    private static bool IsInteger(string s, bool signed)
    {
        ReadOnlySpan<char> digits = signed && s.Length > 0 && s[0] is '-' or '+' ? s.AsSpan(1) : s.AsSpan();
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>
    /// The value of an integer (see <see cref="IsInteger"/>) in <paramref name="min"/>..<paramref name="max"/>; any
    /// other, however many digits it has, is a <see cref="FormatException"/> that names the range.
    /// </summary>
    private static int Bounded(string s, int min, int max, string text, string what, string unit) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new FormatException($"accumulator '{text}': {what} must be {min}..{max}{unit}");

    /// <summary>
    /// A fixed-point register with the options after its width applied in order (<c>trunc</c>, <c>round</c>, <c>sat</c>,
    /// <c>wrap</c>); throws <see cref="FormatException"/> naming <paramref name="text"/> for any other.
    /// </summary>
    public static FixedPointAccumulator WithOptions(FixedPointAccumulator register, IEnumerable<string> options, string text)
    {
        var acc = register;
        foreach (string option in options)
        {
            acc = option switch
            {
                "trunc" => acc with { Rounding = FixedRounding.Truncate },
                "round" => acc with { Rounding = FixedRounding.Nearest },
                "sat" => acc with { Overflow = FixedOverflow.Saturate },
                "wrap" => acc with { Overflow = FixedOverflow.Wrap },
                _ => throw new FormatException($"accumulator '{text}': unknown option '{option}' (trunc, round, sat, wrap)"),
            };
        }
        return acc;
    }
}
