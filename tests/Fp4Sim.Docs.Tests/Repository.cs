namespace Fp4Sim.Docs.Tests;

/// <summary>The repository's files as a reader sees them: the README and everything under docs/.</summary>
internal static class Repository
{
    /// <summary>The folder holding Fp4Sim.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>README.md and every Markdown file under docs/, relative to the root.</summary>
    public static IReadOnlyList<string> Documents { get; } =
        ["README.md", .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order()];

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Fp4Sim.sln"))) return dir;
        throw new InvalidOperationException($"no Fp4Sim.sln above {AppContext.BaseDirectory}");
    }
}
