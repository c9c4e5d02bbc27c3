using Fp4Sim.Hardware;
using Xunit.Sdk;

namespace Fp4Sim.TestSupport;

/// <summary>Runs the external HDL tools; a missing tool fails the test with how to install it.</summary>
public static class Simulators
{
    public static string Require(string tool, string package) =>
        ExternalTool.Find(tool) ?? throw new XunitException(ExternalTool.NotFound(tool, package));

    /// <summary>Runs a tool in <paramref name="workingDirectory"/>; returns its exit code and stdout+stderr.</summary>
    public static (int ExitCode, string Output) Run(string tool, string workingDirectory, TimeSpan timeout, IReadOnlyList<string> args)
    {
        ToolRun run = ExternalTool.Run(tool, workingDirectory, timeout, args)
            ?? throw new XunitException($"{Path.GetFileName(tool)} {string.Join(' ', args)} ran longer than {timeout.TotalSeconds} s");
        return (run.ExitCode, run.Stdout + run.Stderr);
    }

    /// <summary>The vector count of a testbench's "PASS n vectors" line; fails with the output otherwise.</summary>
    public static int PassedVectors(string output, string what)
    {
        foreach (string line in output.Split('\n'))
            if (line.StartsWith("PASS ", StringComparison.Ordinal) && line.EndsWith(" vectors", StringComparison.Ordinal))
                return int.Parse(line["PASS ".Length..^" vectors".Length], System.Globalization.CultureInfo.InvariantCulture);
        throw new XunitException($"{what} did not pass:\n{output}");
    }
}
