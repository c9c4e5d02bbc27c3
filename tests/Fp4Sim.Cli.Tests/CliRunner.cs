namespace Fp4Sim.Cli.Tests;

/// <summary>Runs the CLI in-process and captures its streams.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
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
