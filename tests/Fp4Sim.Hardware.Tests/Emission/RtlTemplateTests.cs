using Fp4Sim.Hardware;
using Scriban;
using Scriban.Syntax;

namespace Fp4Sim.Hardware.Tests;

/// <summary>The Scriban templates: errors name file and line; the engine's settings; the templates only substitute and loop.</summary>
public class RtlTemplateTests
{
    [Fact]
    public void A_syntax_error_names_the_template_file_and_line()
    {
        var e = Assert.Throws<RtlTemplateException>(() =>
            RtlTemplates.RenderSource("broken.v.sbn", "// ok\n// ok\n    wire x = {{ a + }};\n", new { a = 1 }));
        Assert.StartsWith("rtl-templates/broken.v.sbn:3:", e.Message);
        Assert.Contains("syntax error", e.Message);
        Assert.Equal(("rtl-templates/broken.v.sbn", 3), (e.File, e.Line));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_unclosed_loop_names_the_line_where_its_end_was_expected() // Scriban reports the end of the text, not the for
    {
        var e = Assert.Throws<RtlTemplateException>(() =>
            RtlTemplates.RenderSource("broken.v.sbn", "// ok\n{{~ for x in xs ~}}\n    {{ x }}\n", new { xs = new[] { 1 } }));
        Assert.StartsWith("rtl-templates/broken.v.sbn:3:12: syntax error: ", e.Message);
        Assert.Contains("The <end> statement was not found", e.Message);
    }

    [Fact]
    public void A_missing_variable_is_an_error_that_names_file_and_line()
    {
        var e = Assert.Throws<RtlTemplateException>(() =>
            RtlTemplates.RenderSource("missing.v.sbn", "module {{ module }};\n    wire [{{ w_msbb }}:0] p;\n", new { module = "m", w_msb = 3 }));
        Assert.Equal("rtl-templates/missing.v.sbn:2:14: The variable or function `w_msbb` was not found", e.Message);
        Assert.Equal((2, 14), (e.Line, e.Column)); // the variable's first letter
    }

    [Fact]
    public void A_missing_member_of_a_loop_item_is_an_error()
    {
        const string source = "{{~ for port in ports ~}}\n    {{ port.decl }}{{ port.seperator }}\n{{~ end ~}}\n";
        var model = new { ports = new[] { new { decl = "a", sep = "," } } };
        var e = Assert.Throws<RtlTemplateException>(() => RtlTemplates.RenderSource("member.v.sbn", source, model));
        Assert.StartsWith("rtl-templates/member.v.sbn:2:", e.Message);
    }

    [Fact]
    public void A_shipped_template_missing_a_model_member_fails_with_its_own_name()
    {
        var e = Assert.Throws<RtlTemplateException>(() => RtlTemplates.Render("limit_wrap.v.sbn", new { w = 8 }));
        Assert.Equal("rtl-templates/limit_wrap.v.sbn:2:14: The variable or function `w_msb` was not found", e.Message);
    }

    [Fact]
    public void Output_is_not_escaped_and_member_names_are_not_renamed()
    {
        var model = new Dictionary<string, object> { ["Expr"] = "a < b && c > 'd' \"e\"", ["items"] = new[] { new { PascalName = "x" } } };
        Assert.Equal("a < b && c > 'd' \"e\" x\n",
            RtlTemplates.RenderSource("raw.v.sbn", "{{ Expr }}{{ for item in items }} {{ item.PascalName }}{{ end }}\n", model));
        Assert.Throws<RtlTemplateException>(() => RtlTemplates.RenderSource("renamed.v.sbn", "{{ expr }}\n", model));
    }

    [Fact]
    public void Templates_have_no_builtin_functions()
    {
        var e = Assert.Throws<RtlTemplateException>(() => RtlTemplates.RenderSource("fn.v.sbn", "{{ string.upcase x }}\n", new { x = "a" }));
        Assert.StartsWith("rtl-templates/fn.v.sbn:1:", e.Message);
    }

    [Fact]
    public void Loop_lines_leave_no_line_of_their_own()
    {
        const string source = "begin\n{{~ for x in xs ~}}\n    item {{ x }}\n{{~ end ~}}\n{{~ for y in none ~}}\n    never\n{{~ end ~}}\nend\n";
        Assert.Equal("begin\n    item 1\n    item 2\nend\n",
            RtlTemplates.RenderSource("lines.v.sbn", source, new { xs = new[] { 1, 2 }, none = Array.Empty<int>() }));
    }

    public static TheoryData<string> ShippedTemplates() => new(RtlTemplates.Names);

    /// <summary>Decisions stay in C#: a shipped template holds text, variables, members of loop items and for loops.</summary>
    [Theory]
    [MemberData(nameof(ShippedTemplates))]
    public void Shipped_templates_only_substitute_and_loop(string name)
    {
        Assert.EndsWith(".v.sbn", name);
        Template template = Template.Parse(RtlTemplates.Source(name), name);
        Assert.False(template.HasErrors, string.Join("; ", template.Messages));
        var allowed = new HashSet<Type>
        {
            typeof(ScriptPage), typeof(ScriptBlockStatement), typeof(ScriptRawStatement), typeof(ScriptEscapeStatement),
            typeof(ScriptExpressionStatement), typeof(ScriptForStatement), typeof(ScriptEndStatement), typeof(ScriptKeyword),
            typeof(ScriptToken), typeof(ScriptVariableGlobal), typeof(ScriptMemberExpression),
        };
        var seen = new List<string>();
        void Walk(ScriptNode? node)
        {
            if (node is null) return;
            Type type = node.GetType();
            if (!allowed.Contains(type) && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ScriptList<>)))
                seen.Add($"{type.Name} '{node}' at line {node.Span.Start.Line + 1}");
            for (int i = 0; i < node.ChildrenCount; i++) Walk(node.GetChildren(i));
        }
        Walk(template.Page);
        Assert.True(seen.Count == 0, $"{name}: more than substitution and loops: {string.Join("; ", seen)}");
    }

    [Fact]
    public void Sixteen_templates_are_shipped() => Assert.Equal(16, RtlTemplates.Names.Count);
}
