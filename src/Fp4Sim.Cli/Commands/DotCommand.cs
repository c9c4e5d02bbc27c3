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
/// The pairs are summed as they are read (<see cref="Accumulator.Begin"/>), so memory does not grow with the input.
/// </summary>
public static class DotCommand
{
    /// <summary>The largest channel offset <c>--bias-a-channel</c> takes.</summary>
    private const int MaxChannelOffset = 64;

    private static readonly RoundingContext Nearest = new(RoundingMode.Rne, OverflowMode.Ieee);

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("dot", argv, "a-format", "b-format", "acc", "bias-a-channel");
        FormatInfo fa = FormatSpec.Parse(args.Required("a-format")), fb = FormatSpec.Parse(args.Required("b-format"));
        Accumulator accumulator = AccumulatorSpec.Parse(args.Required("acc"));
        string? offsetsText = args.Optional("bias-a-channel");
        int[]? offsets = offsetsText is null ? null : ParseOffsets(offsetsText);
        RunningSum sum = accumulator.Begin();
        ulong lineNumber = 0;
        for (string? line; (line = stdin.ReadLine()) != null;)
        {
            lineNumber++;
            (string a, string b) = Fields(line, lineNumber);
            uint codeA = Operand(fa, a, lineNumber), codeB = Operand(fb, b, lineNumber);
            if (offsets is null)
            {
                sum.Add(MacTerm.Product(fa, codeA, fb, codeB));
                continue;
            }
            if (lineNumber > (ulong)offsets.Length)
                throw new CliException($"--bias-a-channel: {offsets.Length} offset(s) for more than {offsets.Length} pair(s) " +
                    $"(line {lineNumber}); give one integer per input line");
            sum.Add(PreShiftedBias.ShiftedProduct(fa, codeA, offsets[lineNumber - 1], fb, codeB));
        }
        if (offsets is not null && (ulong)offsets.Length != lineNumber)
            throw new CliException($"--bias-a-channel: {offsets.Length} offset(s) for {lineNumber} pair(s); give one integer per input line");

        MacResult result = sum.Result();
        int digits = (result.Width + 3) / 4;
        string bits = "0x" + result.Bits.ToString("x" + digits, CultureInfo.InvariantCulture);
        stdout.Write($"{bits} {ExactDecimal.Format(result.Value)}{(result.Invalid ? " invalid" : "")}\n");
        stdout.Flush();
        return 0;
    }

    /// <summary>The two operands of a line, or the error naming it.</summary>
    private static (string A, string B) Fields(string line, ulong lineNumber)
    {
        string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 2) throw new CliException($"line {lineNumber}: expected two operands 'a b', got {fields.Length} field(s)");
        return (fields[0], fields[1]);
    }

    /// <summary>
    /// A code (0x…) or a decimal that is exactly a value of the format: the decimal is read exactly
    /// (<see cref="ExactDecimal.TryParse"/>) and compared with the value of its nearest code, so no number of digits,
    /// and no exponent, passes for a value it only rounds to.
    /// </summary>
    private static uint Operand(FormatInfo f, string text, ulong line)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong code) || text.Length == 2)
                throw new CliException($"line {line}: malformed code '{ErrorText.Quote(text)}' (expected 0x + hex digits)");
            if (code >= f.CodeCount)
                throw new CliException($"line {line}: code {ErrorText.Quote(text)} does not fit {f.Name} ({f.TotalBits} bits)");
            return (uint)code;
        }
        uint nearest;
        if (ExactDecimal.TryParse(text, out ExactValue value, out bool exact))
        {
            nearest = Encoder.EncodeExact(f, value, Nearest);
            if (exact && Decoder.DecodeExact(f, nearest) == value) return nearest;
        }
        else
        {
            // inf, infinity and nan words, any case, with a sign
            if (!FloatInput.TryParseDouble(text, out double special) || double.IsFinite(special))
                throw new CliException($"line {line}: malformed number '{ErrorText.Quote(text)}' (expected 0x + hex digits or a decimal number)");
            nearest = Encoder.Encode(f, special, Nearest);
            double decoded = Decoder.Decode(f, nearest);
            bool same = double.IsNaN(special) ? double.IsNaN(decoded) : decoded.Equals(special);
            if (same) return nearest;
        }
        throw new CliException($"line {line}: {ErrorText.Quote(text)} is not a value of {f.Name} " +
            $"(nearest: {ExactDecimal.Format(Decoder.DecodeExact(f, nearest))} = {CodeText.Format(nearest, CodeText.Digits(f))})");
    }

    /// <summary>One offset 0..<see cref="MaxChannelOffset"/> per input line, read before the input.</summary>
    private static int[] ParseOffsets(string text)
    {
        string[] parts = text.Split(',');
        var offsets = new int[parts.Length];
        for (int j = 0; j < parts.Length; j++)
            if (!int.TryParse(parts[j].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offsets[j])
                || offsets[j] < 0 || offsets[j] > MaxChannelOffset)
                throw new CliException($"--bias-a-channel: '{ErrorText.Quote(parts[j])}' is not an integer 0..{MaxChannelOffset}");
        return offsets;
    }
}
