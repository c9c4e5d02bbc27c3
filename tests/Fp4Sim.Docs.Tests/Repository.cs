using Fp4Sim.Quantization.Model;

namespace Fp4Sim.Docs.Tests;

/// <summary>The repository's files as a reader sees them: the README and everything under docs/.</summary>
internal static class Repository
{
    /// <summary>The folder holding Fp4Sim.sln, found upwards from the test binaries (as the library finds its model).</summary>
    public static string Root { get; } = ModelLocation.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no Fp4Sim.sln above {AppContext.BaseDirectory}");

    /// <summary>README.md and every Markdown file under docs/, relative to the root.</summary>
    public static IReadOnlyList<string> Documents { get; } =
        ["README.md", .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order()];

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));
}
