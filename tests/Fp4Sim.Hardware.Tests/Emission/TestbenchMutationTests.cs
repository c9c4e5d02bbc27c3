using Fp4Sim.Hardware;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Hardware.Tests;

/// <summary>The testbenches can fail: one wrong expected bit gives "FAIL 1 mismatches" (Icarus, for speed).</summary>
public class TestbenchMutationTests
{
    [Theory]
    [InlineData("fp_mul", "e2m1,e1m2", null)]
    [InlineData("fp_mac", "e2m1", "fixed:12.2:round:wrap")]
    [InlineData("mx_dot", "mxfp6_e2m3,mxfp4", null)]
    public void A_corrupted_expected_value_is_reported(string kind, string formats, string? acc)
    {
        string iverilog = Simulators.Require("iverilog", "iverilog"), vvp = Simulators.Require("vvp", "iverilog");
        IRtlUnit unit = UnitSpecParser.Parse(kind, formats, acc).Create();
        VectorSet vectors = unit.GenerateVectors(kind == "fp_mul" ? null : 500, 3);
        string work = Directory.CreateTempSubdirectory("fp4sim-mutation-").FullName;
        try
        {
            var files = RtlFiles.WriteRtl(unit, vectors, work);
            RtlFiles.WriteVectors(unit, vectors, work);
            string hex = Path.Combine(work, "vectors.hex");
            string[] lines = File.ReadAllLines(hex);
            int flip = lines.Length / 2;
            // The last hex digit holds the lowest output bit (invalid): flipping bit 0 corrupts one expected value.
            char last = lines[flip][^1];
            lines[flip] = lines[flip][..^1] + Convert.ToString(Convert.ToInt32(last.ToString(), 16) ^ 1, 16);
            File.WriteAllLines(hex, lines);
            var (code, log) = Simulators.Run(iverilog, work, TimeSpan.FromMinutes(1), ["-g2001", "-o", "sim", .. files]);
            Assert.True(code == 0, log);
            var (_, run) = Simulators.Run(vvp, work, TimeSpan.FromMinutes(1), ["-n", "sim"]);
            Assert.Contains($"MISMATCH vector {flip}:", run);
            Assert.Contains("FAIL 1 mismatches", run);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

/// <summary>A vector file shorter than the testbench expects fails the run instead of passing on what it held.</summary>
public class ShortVectorFileTests
{
    [Theory]
    [InlineData("fp_mul", "e2m1", null)]
    [InlineData("fp_mac", "e2m1", "fixed:16.2")]
    public void A_truncated_vector_file_fails(string kind, string formats, string? acc)
    {
        string iverilog = Simulators.Require("iverilog", "iverilog"), vvp = Simulators.Require("vvp", "iverilog");
        IRtlUnit unit = UnitSpecParser.Parse(kind, formats, acc).Create();
        VectorSet vectors = unit.GenerateVectors(kind == "fp_mul" ? null : 300, 3);
        using var work = new TempFolder("short-vectors");
        var files = RtlFiles.WriteRtl(unit, vectors, work.Path);
        RtlFiles.WriteVectors(unit, vectors, work.Path);
        string hex = work.File("vectors.hex");
        File.WriteAllLines(hex, File.ReadAllLines(hex)[..^1]);
        var (code, log) = Simulators.Run(iverilog, work.Path, TimeSpan.FromMinutes(1), ["-g2001", "-o", "sim", .. files]);
        Assert.True(code == 0, log);
        var (_, run) = Simulators.Run(vvp, work.Path, TimeSpan.FromMinutes(1), ["-n", "sim"]);
        Assert.Contains($"FAIL vector file holds fewer than {vectors.Count} vectors", run);
        Assert.DoesNotContain("PASS", run);
    }
}

/// <summary>A simulator that is not installed fails the test with the package to install.</summary>
public class MissingSimulatorTests
{
    [Fact]
    public void Missing_tool_names_its_package()
    {
        var e = Assert.Throws<Xunit.Sdk.XunitException>(() => Simulators.Require("no-such-simulator-fp4sim", "no-such-package"));
        Assert.Equal("no-such-simulator-fp4sim not found on PATH (install the Debian package no-such-package; scripts/setup.sh does)", e.Message);
    }
}
