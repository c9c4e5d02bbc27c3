using System.Collections.Concurrent;
using HandlebarsDotNet;

namespace Fp4Sim.Hardware;

/// <summary>
/// Renders the Verilog templates (<c>rtl-templates/*.v.hbs</c>, embedded in this assembly). Templates only substitute
/// and loop; every width, constant and structural choice arrives in the model, computed by the unit's C# record.
/// </summary>
public static class RtlTemplates
{
    // NoEscape: the output is Verilog, not HTML ("&", "<" and "'" are operators and literal prefixes there).
    private static readonly IHandlebars Engine =
        Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = true });
    private static readonly ConcurrentDictionary<string, HandlebarsTemplate<object, object>> Compiled = new();

    /// <summary>Renders template <paramref name="name"/> (e.g. <c>fp_mul.v.hbs</c>) with <paramref name="model"/>.</summary>
    public static string Render(string name, object model) =>
        Compiled.GetOrAdd(name, n => Engine.Compile(Source(n)))(model);

    /// <summary>The text of an embedded template.</summary>
    public static string Source(string name)
    {
        using Stream stream = typeof(RtlTemplates).Assembly.GetManifestResourceStream("rtl-templates/" + name)
            ?? throw new ArgumentException($"no RTL template named '{name}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal); // generated files are LF on every OS
    }
}
