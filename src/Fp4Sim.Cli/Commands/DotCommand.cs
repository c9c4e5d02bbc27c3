using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim dot --a-format F --b-format G --acc A [--bias-a-channel b0,b1,…]</c>: stdin lines <c>a b</c>, each operand
/// a code of its format (<c>0x</c> + hex digits) or a decimal that is exactly a value of that format; prints one line,
/// <c>0x&lt;result bits&gt; &lt;exact value&gt;</c> (plus <c>invalid</c> when a fixed-point register skipped ±∞/NaN).
/// With <c>--bias-a-channel</c>, pair j's product is scaled by 2^−b_j inside the MAC (LLM-FP4's pre-shifted bias, form a).
/// </summary>
public static class DotCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("dot", argv, "a-format", "b-format", "acc", "bias-a-channel");
        FormatInfo fa = FormatSpec.Parse(args.Required("a-format")), fb = FormatSpec.Parse(args.Required("b-format"));
        Accumulator accumulator = AccumulatorSpec.Parse(args.Required("acc"));
        var a = new List<uint>();
        var b = new List<uint>();
        ulong lineNumber = 0;
        for (string? line; (line = stdin.ReadLine()) != null;)
        {
            lineNumber++;
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new CliException($"line {lineNumber}: expected two operands 'a b', got {fields.Length} field(s)");
            a.Add(Operand(fa, fields[0], lineNumber));
            b.Add(Operand(fb, fields[1], lineNumber));
        }

        MacResult result;
        string? offsets = args.Optional("bias-a-channel");
        if (offsets is null) result = accumulator.Dot(fa, a.ToArray(), fb, b.ToArray());
        else
        {
            int[] shifts = ParseOffsets(offsets, a.Count);
            result = PreShiftedBias.ShiftInMac(fa, a.ToArray(), shifts, fb, b.ToArray(), accumulator);
        }
        int digits = (result.Width + 3) / 4;
        string bits = "0x" + result.Bits.ToString("x" + digits, CultureInfo.InvariantCulture);
        stdout.Write($"{bits} {ExactDecimal.Format(result.Value)}{(result.Invalid ? " invalid" : "")}\n");
        stdout.Flush();
        return 0;
    }

    /// <summary>A code (0x…) or an exactly representable decimal of the format.</summary>
    private static uint Operand(FormatInfo f, string text, ulong line)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong code) || text.Length == 2)
                throw new CliException($"line {line}: malformed code '{text}' (expected 0x + hex digits)");
            if (code >= f.CodeCount)
                throw new CliException($"line {line}: code {text} does not fit {f.Name} ({f.TotalBits} bits)");
            return (uint)code;
        }
        if (!FloatInput.TryParseDouble(text, out double value))
            throw new CliException($"line {line}: malformed number '{text}' (expected 0x + hex digits or a decimal number)");
        uint nearest = Encoder.Encode(f, value, new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee));
        double decoded = Decoder.Decode(f, nearest);
        bool exact = double.IsNaN(value) ? double.IsNaN(decoded) : decoded.Equals(value) && double.IsNegative(decoded) == double.IsNegative(value);
        if (!exact)
            throw new CliException($"line {line}: {text} is not a value of {f.Name} " +
                $"(nearest: {ExactDecimal.Format(decoded)} = {CodeText.Format(nearest, CodeText.Digits(f))})");
        return nearest;
    }

    private static int[] ParseOffsets(string text, int count)
    {
        string[] parts = text.Split(',');
        if (parts.Length != count)
            throw new CliException($"--bias-a-channel: {parts.Length} offset(s) for {count} pair(s); give one integer per input line");
        var offsets = new int[count];
        for (int j = 0; j < count; j++)
            if (!int.TryParse(parts[j].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offsets[j])
                || offsets[j] < 0 || offsets[j] > 64)
                throw new CliException($"--bias-a-channel: '{parts[j]}' is not an integer 0..64");
        return offsets;
    }
}
