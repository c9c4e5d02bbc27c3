using System.Collections.Concurrent;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Fp4Sim.Hardware;

/// <summary>
/// Renders the Verilog templates (<c>rtl-templates/*.v.sbn</c>, Scriban, embedded in this assembly). Templates only
/// substitute and loop; every width, constant and structural choice arrives in the model, computed by the unit's C#
/// record. A template that fails to parse or render throws <see cref="RtlTemplateException"/> naming file and line.
/// </summary>
/// <remarks>
/// Scriban's settings, chosen deliberately (docs/rtl.md): output is never escaped (Scriban has no auto-escaping, and
/// the templates cannot call <c>html.escape</c>: no built-in function is visible); member names are not renamed (a
/// template names a model member exactly as the C# model spells it, snake_case by convention here, rather than
/// Scriban's default PascalCase-to-snake_case renaming); a missing variable or member is an error, not empty text;
/// loop and output-size limits are off (a generated module is as long as its unit needs). Whitespace is controlled in
/// the templates: a loop's <c>{{~ for … ~}}</c> and <c>{{~ end ~}}</c> lines leave no line of their own in the output.
/// </remarks>
public static class RtlTemplates
{
    private const string Folder = "rtl-templates/";
    private static readonly ConcurrentDictionary<string, Template> Parsed = new();

    /// <summary>Renders template <paramref name="name"/> (e.g. <c>fp_mul.v.sbn</c>) with <paramref name="model"/>.</summary>
    /// <param name="name">The template's file name in <c>rtl-templates/</c>.</param>
    /// <param name="model">An object whose public properties (or a string-keyed dictionary whose entries) the template names.</param>
    /// <exception cref="RtlTemplateException">The template has a syntax error or names something the model lacks.</exception>
    public static string Render(string name, object model) => Render(name, Parsed.GetOrAdd(name, n => Parse(n, Source(n))), model);

    /// <summary>The file names of the embedded templates, in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(RtlTemplates).Assembly.GetManifestResourceNames()
        .Where(r => r.StartsWith(Folder, StringComparison.Ordinal)).Select(r => r[Folder.Length..]).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The text of an embedded template.</summary>
    public static string Source(string name)
    {
        using Stream stream = typeof(RtlTemplates).Assembly.GetManifestResourceStream(Folder + name)
            ?? throw new ArgumentException($"no RTL template named '{name}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal); // generated files are LF on every OS
    }

    /// <summary>Renders <paramref name="source"/> as if it were template <paramref name="name"/> (tests of broken templates).</summary>
    internal static string RenderSource(string name, string source, object model) => Render(name, Parse(name, source), model);

    private static Template Parse(string name, string source)
    {
        Template template = Template.Parse(source, Folder + name);
        LogMessage[] errors = template.Messages.Where(m => m.Type == ParserMessageType.Error).ToArray();
        if (errors.Length == 0) return template;
        TextPosition at = errors[0].Span.Start;
        string more = errors.Length > 1 ? $" (and {errors.Length - 1} more error(s))" : "";
        throw new RtlTemplateException(Folder + name, at.Line + 1, at.Column + 1, $"syntax error: {errors[0].Message}{more}");
    }

    private static string Render(string name, Template template, object model)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: member => member.Name);
        var context = new TemplateContext(new ScriptObject()) // no built-in functions: substitution and loops only
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            MemberRenamer = member => member.Name,
            LoopLimit = 0,
            LimitToString = 0,
            NewLine = "\n",
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            TextPosition at = e.Span.Start;
            throw new RtlTemplateException(Folder + name, at.Line + 1, at.Column + 1, e.OriginalMessage, e);
        }
    }
}
