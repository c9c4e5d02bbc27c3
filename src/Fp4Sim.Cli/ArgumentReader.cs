using System.Globalization;

namespace Fp4Sim.Cli;

/// <summary>
/// Reads a verb's options: <c>--name value</c> or <c>--name=value</c>, each at most once; every option takes a value
/// except flags, declared with a leading '!' (<c>"!pad"</c>) and given bare (<c>--pad</c>).
/// Anything unknown, repeated or missing its value is a <see cref="CliException"/> naming the option and the verb.
/// </summary>
public sealed class ArgumentReader
{
    private readonly string _verb;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private const string FlagValue = "\0flag";

    /// <summary>Parses <paramref name="args"/> against the option names (without dashes) the verb accepts.</summary>
    public ArgumentReader(string verb, string[] args, params string[] options)
    {
        _verb = verb;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new CliException($"{verb}: unexpected argument '{ErrorText.Quote(arg)}'");
            int eq = arg.IndexOf('=');
            string name = eq >= 0 ? arg[2..eq] : arg[2..];
            bool isFlag = Array.IndexOf(options, "!" + name) >= 0;
            if (!isFlag) ThrowIfUnknown(name, options);
            string value;
            if (isFlag && eq >= 0) throw new CliException($"{verb}: flag --{name} takes no value");
            if (isFlag) value = FlagValue;
            else if (eq >= 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else value = ""; // a following "--x" is the next option: none of our values start with two dashes
            if (value.Length == 0) throw new CliException($"{verb}: option --{name} needs a value");
            if (!_values.TryAdd(name, value)) throw new CliException($"{verb}: option --{name} given more than once");
        }
    }

    /// <summary>The value of an option, or null when it was not given.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>Whether a flag (declared as "!name") was given.</summary>
    public bool Flag(string name) => _values.ContainsKey(name);

    /// <summary>The value of an option that must be given.</summary>
    public string Required(string name) =>
        Optional(name) ?? throw new CliException($"{_verb}: missing required option --{name}");

    /// <summary>An integer option in [<paramref name="min"/>, <paramref name="max"/>], or the default when absent.</summary>
    public long Integer(string name, long defaultValue, long min, long max, string expectation)
    {
        string? text = Optional(name);
        if (text is null) return defaultValue;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
            throw new CliException($"{_verb}: malformed --{name} '{ErrorText.Quote(text)}' (expected {expectation})");
        return v;
    }

    /// <summary>An unsigned 64-bit option (decimal or 0x hex), or the default when absent.</summary>
    public ulong Unsigned(string name, ulong defaultValue)
    {
        string? text = Optional(name);
        if (text is null) return defaultValue;
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong v)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        return ok ? v : throw new CliException($"{_verb}: malformed --{name} '{ErrorText.Quote(text)}' (expected an integer 0..2^64-1)");
    }

    private void ThrowIfUnknown(string name, string[] options)
    {
        if (Array.IndexOf(options, name) < 0)
            throw new CliException(
                $"{_verb}: unknown option '--{ErrorText.Quote(name)}' (expected {string.Join(", ", options.Select(o => "--" + o.TrimStart('!')))})");
    }
}
