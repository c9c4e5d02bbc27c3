using System.Text;
using System.Text.RegularExpressions;

namespace Fp4Sim.Docs.Tests;

/// <summary>
/// The README and docs/ stand alone: every relative link resolves to a file of the repository (and, for a Markdown
/// target, to one of its headings), and no text points at a machine path, a folder outside the repository or an
/// internal work-item number.
/// </summary>
public partial class DocsLinkTests
{
    public static TheoryData<string> Documents => [.. Repository.Documents];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_resolves(string document)
    {
        var broken = new List<string>();
        foreach (string target in Links(Prose(Repository.Read(document))))
        {
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)
                || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            string[] parts = target.Split('#', 2);
            string file = parts[0].Length == 0 ? document : Path.Combine(Path.GetDirectoryName(document)!, Uri.UnescapeDataString(parts[0]));
            string full = Path.GetFullPath(Path.Combine(Repository.Root, file));
            if (!full.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                broken.Add($"{target}: outside the repository");
            else if (!File.Exists(full) && !Directory.Exists(full))
                broken.Add($"{target}: no such file");
            else if (parts.Length == 2 && full.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(full)).Contains(parts[1]))
                broken.Add($"{target}: no heading with that anchor");
        }
        Assert.True(broken.Count == 0, $"{document}:\n  " + string.Join("\n  ", broken));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void No_text_points_outside_the_repository_or_at_work_items(string document)
    {
        string text = Repository.Read(document);
        var found = new List<string>();
        foreach (Regex pattern in (Regex[])[OutsidePath(), MachinePath(), WorkItem()])
            foreach (Match m in pattern.Matches(text))
                found.Add($"line {text[..m.Index].Count(c => c == '\n') + 1}: '{m.Value}'");
        Assert.True(found.Count == 0, $"{document}:\n  " + string.Join("\n  ", found));
    }

    [Fact]
    public void The_anchor_rule_matches_the_hosting_sites()
    {
        HashSet<string> anchors = Anchors("## 11. Quartet's MXFP4 quantizers — `Fp4Sim.Training.Quartet`");
        Assert.Contains("11-quartets-mxfp4-quantizers--fp4simtrainingquartet", anchors);
        Assert.Equal(["a", "a-1", "b-c"], Anchors("# A\n## A\n### B C\n```\n# not a heading\n```\n"));
    }

    /// <summary>The text with fenced code blocks and inline code removed (their brackets are not links).</summary>
    private static string Prose(string markdown)
    {
        var sb = new StringBuilder();
        bool fenced = false;
        foreach (string line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            if (!fenced) sb.Append(InlineCode().Replace(line, "")).Append('\n');
        }
        return sb.ToString();
    }

    private static IEnumerable<string> Links(string prose) =>
        Link().Matches(prose).Select(m => m.Groups[1].Value.Trim()).Where(t => t.Length > 0);

    /// <summary>Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    internal static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool fenced = false;
        foreach (string line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            Match h = Heading().Match(line);
            if (fenced || !h.Success) continue;
            string slug = new string(h.Groups[1].Value.Trim().ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
            int n = seen.GetValueOrDefault(slug);
            seen[slug] = n + 1;
            anchors.Add(n == 0 ? slug : $"{slug}-{n}");
        }
        return anchors;
    }

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\.\./shared|\.\./\.\./")]
    private static partial Regex OutsidePath();

    [GeneratedRegex(@"(?<![\w.])/(?:work|home|Users|root|mnt|tmp)/[\w./-]*|[A-Z]:\\\\")]
    private static partial Regex MachinePath();

    [GeneratedRegex(@"\b(?:[Ii]ssues?|work items?)\s+#?\d+|(?<![\w(/\]#&])#\d+\b")]
    private static partial Regex WorkItem();
}
