using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Fp4Sim.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Fp4Sim.Docs.Tests;

/// <summary>
/// The README's C# snippets are programs: each is taken from the README as it stands, compiled with Roslyn against the
/// built libraries and run, so the library tour cannot drift from the API.
/// </summary>
public partial class ReadmeSnippetTests
{
    /// <summary>The ```csharp blocks of the README, in order.</summary>
    private static string[] Snippets() =>
        [.. CSharpBlock().Matches(Repository.Read("README.md")).Select(m => m.Groups[1].Value)];

    [Fact]
    public void The_readme_has_the_library_snippets() => Assert.Equal(2, Snippets().Length);

    [Fact]
    public void The_numerics_snippet_compiles_and_prints_what_its_comments_say()
    {
        string source = Snippets()[0];
        string promised = Regex.Match(source, @"// prints: (.*?)   \(").Groups[1].Value;
        Assert.Equal("0x45 3.25 3.25 448.75 0x01 6 -3", promised);
        Assert.Equal(promised, Run(source).Trim());
    }

    [Fact]
    public void The_pipeline_snippet_compiles_and_runs_on_the_real_model()
    {
        SetUp.RequireDirectory(Quantization.Model.ModelLocation.DefaultModelDirectory(), "the USE-Lite model");
        string output = Run(Snippets()[1]);
        Assert.StartsWith("result fpq 4/4/4", output.Trim());
    }

    /// <summary>Compiles <paramref name="source"/> as a program with top-level statements, runs it, returns what it printed.</summary>
    private static string Run(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create("ReadmeSnippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(source, parse)], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "the README snippet does not compile:\n" +
            string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        var context = new AssemblyLoadContext("readme", isCollectible: true);
        try
        {
            Assembly program = context.LoadFromStream(image);
            var printed = new StringWriter();
            TextWriter console = Console.Out;
            lock (ConsoleLock)
            {
                Console.SetOut(printed);
                try
                {
                    MethodInfo main = program.EntryPoint!;
                    main.Invoke(null, main.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
                }
                finally
                {
                    Console.SetOut(console);
                }
            }
            return printed.ToString();
        }
        finally
        {
            context.Unload();
        }
    }

    private static readonly Lock ConsoleLock = new();

    /// <summary>What a new console project (<c>dotnet new console</c>, ImplicitUsings on) imports for the snippet's reader.</summary>
    private const string ImplicitUsings = """
        global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;
        global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;
        """;

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
