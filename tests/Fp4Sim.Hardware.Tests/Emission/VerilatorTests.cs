using Fp4Sim.TestSupport;
using Xunit.Abstractions;

namespace Fp4Sim.Hardware.Tests;

/// <summary>
/// Every committed default unit under Verilator: <c>--lint-only -Wall</c> must be silent on the unit, and its
/// testbench, built once with <c>--binary</c> (light C++ optimisation: the build, not the run, is the slow part),
/// must report 0 mismatches.
/// </summary>
public class VerilatorTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Modules))]
    public void Default_unit_is_lint_clean(string module)
    {
        string verilator = Simulators.Require("verilator", "verilator");
        var (code, log) = Simulators.Run(verilator, Path.GetTempPath(), TimeSpan.FromMinutes(1),
            ["--lint-only", "-Wall", "--top-module", module, .. Repository.Rtl(module)]);
        Assert.True(code == 0 && log.Trim().Length == 0, $"verilator --lint-only -Wall {module}:\n{log}");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void Default_unit_passes_its_golden_vectors(string module)
    {
        string verilator = Simulators.Require("verilator", "verilator");
        string work = Directory.CreateTempSubdirectory("fp4sim-verilator-").FullName;
        try
        {
            var (code, log) = Simulators.Run(verilator, work, TimeSpan.FromMinutes(4),
                ["--binary", "-O1", "--build-jobs", "2", "-Wno-fatal", "-CFLAGS", "-O1", "--top-module", $"tb_{module}", "-o", "sim",
                 Repository.Testbench(module), .. Repository.Rtl(module)]);
            Assert.True(code == 0, $"verilator build failed:\n{log}");
            var (_, run) = Simulators.Run(Path.Combine(work, "obj_dir", "sim"), work, TimeSpan.FromMinutes(5),
                ["+vectors=" + Repository.Vectors(module)]);
            int vectors = Simulators.PassedVectors(run, $"verilator {module}");
            output.WriteLine($"verilator {module}: PASS {vectors} vectors, 0 mismatches");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static TheoryData<string> Modules() => Repository.DefaultModules();
}
