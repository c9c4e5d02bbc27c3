using System.Globalization;
using System.Text.RegularExpressions;

namespace Fp4Sim.Numerics.Formats;

/// <summary>
/// Parses format names: a catalogue name or alias (<c>e2m1</c>, <c>e4m3fn</c>, <c>bf16</c>), or a generic
/// <c>e&lt;E&gt;m&lt;M&gt;</c>, each optionally followed by <c>:key=value</c> options:
/// <c>specials=ieee|fn|fnuz|none</c>, <c>bias=N</c>, <c>subnormals=on|off</c>.
/// A generic ExMy that is not catalogued defaults to <c>ieee</c> specials (as e5m10 = fp16, e8m7 = bf16).
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
            $"unknown format '{spec}' (expected a catalogue name such as e2m1, e4m3, fp16, int8, int<N>, or e<E>m<M>[:option=value...])");
        if (parts.Length == 1) { Validate(format); return format; }

        bool biasGiven = false;
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
                "bias" => format with { Bias = ParseBias(value, spec) },
                "subnormals" => format with { Subnormals = ParseSwitch(value, spec) },
                _ => throw new FormatException($"unknown option '{kv[0]}' in format '{spec}' (expected specials, bias or subnormals)"),
            };
            biasGiven |= key == "bias";
        }
        if (!biasGiven) format = format with { Bias = KnownFormats.DefaultBias(format.ExponentBits, format.Specials) };
        format = format with { Name = spec.Trim().ToLowerInvariant() };
        Validate(format);
        return format;
    }

    /// <summary>Checks that a format is one this simulator can represent exactly; throws <see cref="FormatException"/> if not.</summary>
    public static void Validate(FormatInfo f)
    {
        if (f.IsInteger) return;
        if (f.ExponentBits < 1 || f.ExponentBits > 11)
            throw new FormatException($"format '{f.Name}': exponent bits must be 1..11");
        if (f.TotalBits > 32)
            throw new FormatException($"format '{f.Name}': at most 32 bits in all");
        if (f.Specials == SpecialsPolicy.Ieee && f.MantissaBits == 0)
            throw new FormatException($"format '{f.Name}': ieee specials need at least one mantissa bit to tell NaN from Inf");
        if (f.Specials == SpecialsPolicy.Fnuz && !f.IsSigned)
            throw new FormatException($"format '{f.Name}': fnuz needs a sign bit (its NaN is the sign-only code)");
        // Every value must be exact in double: smallest quantum and largest binade inside binary64's range.
        int minQuantum = f.MinNormalExponent - f.MantissaBits;
        int maxExponent = (int)(f.MaxFiniteMagnitude >> f.MantissaBits) - f.Bias; // the top finite binade
        if (minQuantum < -1074 || maxExponent > 1023)
            throw new FormatException($"format '{f.Name}': bias {f.Bias} puts values outside the binary64 range");
    }

    private static FormatInfo? Lookup(string head)
    {
        foreach (FormatInfo f in KnownFormats.All)
            if (f.Name == head) return f;
        if (KnownFormats.Aliases.TryGetValue(head, out FormatInfo? alias)) return alias;
        Match integer = IntegerRegex().Match(head);
        if (integer.Success)
        {
            int bits = int.Parse(integer.Groups[1].Value, CultureInfo.InvariantCulture);
            if (bits < 2 || bits > 16)
                throw new FormatException($"format '{head}': integer formats take 2..16 bits");
            return KnownFormats.Integer(head, bits);
        }
        Match m = GenericRegex().Match(head);
        if (!m.Success) return null;
        int e = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int mant = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (e < 1 || e > 11 || mant > 31)
            throw new FormatException($"format '{head}': exponent bits must be 1..11 and mantissa bits at most 31");
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

    private static int ParseBias(string v, string spec) =>
        int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int b)
            ? b
            : throw new FormatException($"malformed bias '{v}' in format '{spec}' (expected an integer)");

    private static bool ParseSwitch(string v, string spec) => v switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        _ => throw new FormatException($"malformed subnormals '{v}' in format '{spec}' (expected on or off)"),
    };

    [GeneratedRegex(@"^e(\d{1,2})m(\d{1,2})$")]
    private static partial Regex GenericRegex();

    [GeneratedRegex(@"^int(\d{1,2})$")]
    private static partial Regex IntegerRegex();
}
