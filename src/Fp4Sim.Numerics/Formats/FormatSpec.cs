using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Fp4Sim.Numerics.Formats;

/// <summary>
/// Parses format names, case-insensitively: a catalogue name or an alias (<c>e2m1</c>, <c>bf16</c>, <c>float8_e4m3fn</c>,
/// <c>torch.bfloat16</c>, ONNX's <c>FLOAT8E5M2</c>; <see cref="FormatAliases"/>), a generic <c>int&lt;N&gt;</c> or
/// <c>uint&lt;N&gt;</c>, or a generic <c>e&lt;E&gt;m&lt;M&gt;</c>. A signed float may be followed by <c>:key=value</c>
/// options: <c>specials=ieee|fn|fnuz|none</c>, <c>bias=N</c>, <c>subnormals=on|off|ftz</c>. An alias is only a spelling, so it
/// takes the options its format takes (<c>float8_e4m3fn:bias=8</c> is <c>e4m3:bias=8</c>).
/// A generic ExMy that is not catalogued defaults to <c>ieee</c> specials (as e5m10 = fp16, e8m7 = bf16).
/// Without <c>bias=</c> the bias is the named format's own while its specials policy is kept, else the default of the
/// final policy (<see cref="KnownFormats.DefaultBias"/>).
/// Every numeric parameter is range-checked before it is used, and the error names the allowed range: E in 1..11,
/// M in 0..(31 − E) (at most 32 bits in all), N of <c>int&lt;N&gt;</c> in 2..16 and of <c>uint&lt;N&gt;</c> in 1..16,
/// and the bias in <see cref="BiasRange"/> (every value of the format exact in binary64).
/// </summary>
public static partial class FormatSpec
{
    /// <summary>Parses a spec or throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static FormatInfo Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Trim().Split(':');
        string head = parts[0].ToLowerInvariant();
        FormatInfo format = Lookup(head) ?? throw new FormatException(
            $"unknown format '{spec}' (expected a catalogue name such as e2m1, e4m3, fp16, int8, an alias such as float8_e4m3fn, " +
            "int<N>, uint<N>, or e<E>m<M>[:option=value...])");
        if (parts.Length == 1) { CheckBias(format, given: null); return format; }
        FormatInfo named = format;

        BigInteger? bias = null;
        foreach (string option in parts.Skip(1))
        {
            string[] kv = option.Split('=', 2);
            if (kv.Length != 2 || kv[1].Length == 0)
                throw new FormatException($"malformed option '{option}' in format '{spec}' (expected key=value)");
            if (format.IsInteger || !format.IsSigned)
                throw new FormatException($"format '{head}' takes no options (in '{spec}')");
            string key = kv[0].ToLowerInvariant(), value = kv[1].ToLowerInvariant();
            format = key switch
            {
                "specials" => format with { Specials = ParseSpecials(value, spec) },
                "bias" => format,
                "subnormals" => ParseSubnormals(format, value, spec),
                _ => throw new FormatException($"unknown option '{kv[0]}' in format '{spec}' (expected specials, bias or subnormals)"),
            };
            if (key == "bias") bias = ParseBias(value, spec);
        }
        // The bias is checked once every option is applied: its range depends on the final specials policy. Without bias=,
        // a kept policy keeps the named format's bias (e4m3b11fnuz:subnormals=off has bias 11), a changed one takes its default.
        int defaultBias = format.Specials == named.Specials ? named.Bias : KnownFormats.DefaultBias(format.ExponentBits, format.Specials);
        format = format with { Name = spec.Trim().ToLowerInvariant(), Bias = defaultBias };
        CheckBias(format, bias);
        return bias is { } b ? format with { Bias = (int)b } : format;
    }

    /// <summary>
    /// The biases a float format of this shape (E, M, specials, zero or not; the bias itself is ignored) may take: every
    /// value must be exact in binary64, so its top binade 2^(topField − bias) is at most 2^1023 (topField = the field of
    /// max finite: 2^E − 2 for ieee and for M = 0 fn, else 2^E − 1) and its grid step 2^(emin − M) at least 2^−1074
    /// (emin = 1 − bias, or −bias without zero). For e4m3 (fn): −1008..1072. The range is never empty for a format that
    /// passes the other checks (E ≤ 11, at most 32 bits), which are made first (<see cref="FormatException"/>).
    /// </summary>
    public static (int Min, int Max) BiasRange(FormatInfo f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.IsInteger) throw new ArgumentException($"format {f.Name} is an integer format and has no bias", nameof(f));
        ValidateShape(f);
        int topField = (int)(f.MaxFiniteMagnitude >> f.MantissaBits);
        return (topField - MaxBinary64Exponent, (f.HasZero ? 1 : 0) - MinBinary64Quantum - f.MantissaBits);
    }

    /// <summary>binary64's largest binade exponent (values below 2^1024).</summary>
    private const int MaxBinary64Exponent = 1023;

    /// <summary>binary64's smallest grid step exponent (its least subnormal, 2^−1074).</summary>
    private const int MinBinary64Quantum = -1074;

    /// <summary>Checks that a format is one this simulator can represent exactly; throws <see cref="FormatException"/> if not.</summary>
    public static void Validate(FormatInfo f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.IsInteger) return;
        (int min, int max) = BiasRange(f);
        if (f.Bias < min || f.Bias > max)
            throw new FormatException(BiasRangeMessage(f, min, max, string.Create(CultureInfo.InvariantCulture, $"not {f.Bias}")));
    }

    /// <summary>The checks that do not involve the bias: field widths and specials that need bits.</summary>
    private static void ValidateShape(FormatInfo f)
    {
        if (f.ExponentBits < 1 || f.ExponentBits > 11)
            throw new FormatException($"format '{f.Name}': exponent bits must be 1..11");
        int signBits = f.IsSigned ? 1 : 0;
        if (f.MantissaBits < 0 || f.TotalBits > 32)
            throw new FormatException(
                $"format '{f.Name}': mantissa bits must be 0..{32 - signBits - f.ExponentBits} for e{f.ExponentBits} (at most 32 bits in all)");
        if (f.Specials == SpecialsPolicy.Ieee && f.MantissaBits == 0)
            throw new FormatException($"format '{f.Name}': ieee specials need at least one mantissa bit to tell NaN from Inf");
        if (f.Specials == SpecialsPolicy.Fnuz && !f.IsSigned)
            throw new FormatException($"format '{f.Name}': fnuz needs a sign bit (its NaN is the sign-only code)");
    }

    /// <summary>
    /// Checks a spec's bias (<paramref name="given"/>, of any size, or else the format's default) against
    /// <see cref="BiasRange"/> before it is used (the format's shape is checked first).
    /// </summary>
    private static void CheckBias(FormatInfo f, BigInteger? given)
    {
        if (f.IsInteger) return;
        (int min, int max) = BiasRange(f);
        BigInteger bias = given ?? f.Bias;
        if (bias >= min && bias <= max) return;
        string which = given is null
            ? string.Create(CultureInfo.InvariantCulture, $"and the default bias {f.Bias} is not (give :bias=N)")
            : $"not {bias.ToString(CultureInfo.InvariantCulture)}";
        throw new FormatException(BiasRangeMessage(f, min, max, which));
    }

    private static string BiasRangeMessage(FormatInfo f, int min, int max, string which) => string.Create(CultureInfo.InvariantCulture,
        $"format '{f.Name}': bias must be in {min}..{max} for e{f.ExponentBits}m{f.MantissaBits} with " +
        $"{f.Specials.ToString().ToLowerInvariant()} specials (values must stay within binary64), {which}");

    private static FormatInfo? Lookup(string head)
    {
        foreach (FormatInfo f in KnownFormats.All)
            if (f.Name == head) return f;
        if (KnownFormats.Aliases.TryGetValue(head, out FormatInfo? alias)) return alias;
        Match integer = IntegerRegex().Match(head);
        if (integer.Success)
        {
            int bits = SmallNumber(integer.Groups[1].Value);
            if (bits < 2 || bits > 16)
                throw new FormatException($"format '{head}': integer formats take 2..16 bits");
            return KnownFormats.Integer(head, bits);
        }
        Match unsigned = UnsignedIntegerRegex().Match(head);
        if (unsigned.Success)
        {
            int bits = SmallNumber(unsigned.Groups[1].Value);
            if (bits < 1 || bits > 16)
                throw new FormatException($"format '{head}': unsigned integer formats take 1..16 bits");
            return KnownFormats.UnsignedInteger(head, bits);
        }
        Match m = GenericRegex().Match(head);
        if (!m.Success) return null;
        int e = SmallNumber(m.Groups[1].Value), mant = SmallNumber(m.Groups[2].Value);
        if (e < 1 || e > 11)
            throw new FormatException($"format '{head}': exponent bits must be 1..11");
        if (mant > 31 - e)
            throw new FormatException($"format '{head}': mantissa bits must be 0..{31 - e} for e{e} (at most 32 bits in all)");
        FormatInfo generic = KnownFormats.Float(head, e, mant, SpecialsPolicy.Ieee);
        return mant == 0 ? generic with { Specials = SpecialsPolicy.None } : generic; // validated once its options are applied
    }

    private static SpecialsPolicy ParseSpecials(string v, string spec) => v switch
    {
        "ieee" => SpecialsPolicy.Ieee,
        "fn" => SpecialsPolicy.Fn,
        "fnuz" => SpecialsPolicy.Fnuz,
        "none" => SpecialsPolicy.None,
        _ => throw new FormatException($"unknown specials '{v}' in format '{spec}' (expected ieee, fn, fnuz or none)"),
    };

    /// <summary>A decimal integer of any length (its range is checked once the format is complete).</summary>
    private static BigInteger ParseBias(string v, string spec) =>
        BiasRegex().IsMatch(v)
            ? BigInteger.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : throw new FormatException($"malformed bias '{v}' in format '{spec}' (expected an integer)");

    /// <summary>A field width of the head: digits only, so anything past int's range is simply "too large".</summary>
    private static int SmallNumber(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue;

    /// <summary><c>on</c> (gradual underflow), <c>off</c> (field 0 is zero, the gap rounds) or <c>ftz</c> (off, and flush before rounding).</summary>
    private static FormatInfo ParseSubnormals(FormatInfo format, string v, string spec) => v switch
    {
        "on" or "true" or "yes" => format with { Subnormals = true, FlushToZero = false },
        "off" or "false" or "no" => format with { Subnormals = false, FlushToZero = false },
        "ftz" => format with { Subnormals = false, FlushToZero = true },
        _ => throw new FormatException($"malformed subnormals '{v}' in format '{spec}' (expected on, off or ftz)"),
    };

    [GeneratedRegex(@"^e([0-9]+)m([0-9]+)$")]
    private static partial Regex GenericRegex();

    [GeneratedRegex(@"^int([0-9]+)$")]
    private static partial Regex IntegerRegex();

    [GeneratedRegex(@"^uint([0-9]+)$")]
    private static partial Regex UnsignedIntegerRegex();

    [GeneratedRegex(@"^[+-]?[0-9]+$")]
    private static partial Regex BiasRegex();
}
