using Fp4Sim.TestSupport;
using Xunit.Abstractions;

namespace Fp4Sim.Hardware.Tests;

/// <summary>Every committed default unit under Icarus Verilog (-g2001): its testbench must report 0 mismatches.</summary>
public class IverilogTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Modules))]
    public void Default_unit_passes_its_golden_vectors(string module)
    {
        string iverilog = Simulators.Require("iverilog", "iverilog"), vvp = Simulators.Require("vvp", "iverilog");
        string work = Directory.CreateTempSubdirectory("fp4sim-iverilog-").FullName;
        try
        {
            var (code, log) = Simulators.Run(iverilog, work, TimeSpan.FromMinutes(2),
                ["-g2001", "-Wall", "-o", "sim", Repository.Testbench(module), .. Repository.Rtl(module)]);
            Assert.True(log.Trim().Length == 0, $"iverilog -Wall warns:\n{log}");
            Assert.True(code == 0, $"iverilog failed:\n{log}");
            var (_, run) = Simulators.Run(vvp, work, TimeSpan.FromMinutes(5), ["-n", "sim", "+vectors=" + Repository.Vectors(module)]);
            int vectors = Simulators.PassedVectors(run, $"iverilog {module}");
            output.WriteLine($"iverilog {module}: PASS {vectors} vectors, 0 mismatches");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static TheoryData<string> Modules() => Repository.DefaultModules();
}
