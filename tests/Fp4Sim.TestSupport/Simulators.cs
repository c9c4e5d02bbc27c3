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

    /// <summary>
    /// Writes a unit's RTL, vectors and testbench into a temporary folder, builds and runs them in Icarus Verilog
    /// ("iverilog") or Verilator ("verilator"), and returns the count of the testbench's PASS line (failing otherwise).
    /// </summary>
    public static int Simulate(IRtlUnit unit, VectorSet vectorSet, string simulator, string what)
    {
        using var folder = new TempFolder("rtl-simulate");
        RtlFiles.WriteRtl(unit, vectorSet, folder.Path);
        RtlFiles.WriteVectors(unit, vectorSet, folder.Path);
        string module = unit.ModuleName;
        string[] sources = [folder.File($"tb_{module}.v"), .. unit.Generate().Select(f => folder.File(f.File))];
        string vectors = "+vectors=" + Path.Combine(folder.Path, "vectors.hex");
        string run;
        if (simulator == "iverilog")
        {
            string iverilog = Require("iverilog", "iverilog"), vvp = Require("vvp", "iverilog");
            var (code, log) = Run(iverilog, folder.Path, TimeSpan.FromMinutes(2), ["-g2001", "-Wall", "-o", "sim", .. sources]);
            if (code != 0 || log.Trim().Length != 0) throw new XunitException($"iverilog:\n{log}");
            (_, run) = Run(vvp, folder.Path, TimeSpan.FromMinutes(5), ["-n", "sim", vectors]);
        }
        else
        {
            string verilator = Require("verilator", "verilator");
            var (code, log) = Run(verilator, folder.Path, TimeSpan.FromMinutes(4),
                ["--binary", "-O1", "--build-jobs", "2", "-Wno-fatal", "-CFLAGS", "-O1", "--top-module", $"tb_{module}", "-o", "sim",
                 .. sources]);
            if (code != 0) throw new XunitException($"verilator build failed:\n{log}");
            (_, run) = Run(Path.Combine(folder.Path, "obj_dir", "sim"), folder.Path, TimeSpan.FromMinutes(5), [vectors]);
        }
        return PassedVectors(run, $"{simulator} {module} on {what}");
    }
}
