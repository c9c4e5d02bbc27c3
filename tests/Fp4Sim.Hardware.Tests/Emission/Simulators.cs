using Fp4Sim.Hardware;
using Xunit.Sdk;

namespace Fp4Sim.Hardware.Tests;

/// <summary>Runs the external HDL tools; a missing tool fails the test with how to install it.</summary>
internal static class Simulators
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

/// <summary>The repository's committed default set (generated/ and golden-vectors/).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fp4Sim.sln"))) return dir.FullName;
        throw new XunitException("repository root (Fp4Sim.sln) not found above the test binaries");
    }

    /// <summary>The unit's Verilog files (every module it needs), without its testbench.</summary>
    public static string[] Rtl(string module) => Directory.GetFiles(Path.Combine(Root, "generated", module), "*.v")
        .Where(f => !Path.GetFileName(f).StartsWith("tb_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
    public static string Testbench(string module) => Path.Combine(Root, "generated", module, $"tb_{module}.v");
    public static string Vectors(string module) => Path.Combine(Root, "golden-vectors", module, "vectors.hex");

    public static TheoryData<string> DefaultModules()
    {
        var data = new TheoryData<string>();
        foreach (var unit in DefaultUnits.Create()) data.Add(unit.ModuleName);
        return data;
    }
}
