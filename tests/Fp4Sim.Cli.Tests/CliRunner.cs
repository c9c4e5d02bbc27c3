namespace Fp4Sim.Cli.Tests;

/// <summary>Runs the CLI in-process and captures its streams.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    /// <summary>stderr's lines other than progress lines (<c>[   1.2 s] …</c>, written when stderr is not a terminal).</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !ProgressLines.IsProgress(l)).ToArray();

    /// <summary>stderr's progress lines.</summary>
    public string[] Progress => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(ProgressLines.IsProgress).ToArray();
}

internal static class CliRunner
{
    public static CliResult RunWithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, new StringReader(stdin), stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static CliResult Run(params string[] args) => RunWithInput("", args);
}

/// <summary>Recognises the plain progress lines long commands write to a redirected stderr.</summary>
internal static partial class ProgressLines
{
    public static bool IsProgress(string line) => Pattern().IsMatch(line);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[ *[0-9]+\.[0-9] s\] ")]
    private static partial System.Text.RegularExpressions.Regex Pattern();
}
