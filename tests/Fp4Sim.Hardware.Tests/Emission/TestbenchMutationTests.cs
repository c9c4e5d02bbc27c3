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

/// <summary>
/// A vector file that does not end with its count line, or holds another number of vectors than that line says,
/// fails the run instead of passing on what it held: in Icarus and in Verilator, for both testbench templates.
/// </summary>
public class ShortVectorFileTests
{
    [Theory]
    [InlineData("fp_mul", "e2m1", null, "iverilog")]
    [InlineData("fp_mac", "e2m1", "fixed:16.2", "iverilog")]
    [InlineData("fp_mul", "e2m1", null, "verilator")]
    [InlineData("fp_mac", "e2m1", "fixed:16.2", "verilator")]
    public void A_truncated_vector_file_fails(string kind, string formats, string? acc, string simulator)
    {
        IRtlUnit unit = UnitSpecParser.Parse(kind, formats, acc).Create();
        VectorSet vectors = unit.GenerateVectors(kind == "fp_mul" ? null : 300, 3);
        int n = vectors.Count;
        using var work = new TempFolder("short-vectors");
        var files = RtlFiles.WriteRtl(unit, vectors, work.Path);
        RtlFiles.WriteVectors(unit, vectors, work.Path);
        string[] lines = File.ReadAllLines(work.File("vectors.hex"));
        Assert.Equal($"// {n} vectors", lines[^1]);
        Func<string, string> run = Build(simulator, work.Path, unit, files);
        Assert.Equal(n, Simulators.PassedVectors(run(WriteLines(work, "whole.hex", lines)), $"{simulator} on the whole file"));

        // Cut after a whole line: the count line is gone.
        string noCount = run(WriteLines(work, "no-count.hex", lines[..^1]));
        Assert.Contains($"FAIL vector file ends after {n} vectors without its \"// <n> vectors\" line", noCount);
        // The last vector lost, the count line kept.
        string oneShort = run(WriteLines(work, "one-short.hex", [.. lines[..^2], lines[^1]]));
        Assert.Contains($"FAIL vector file holds {n - 1} vectors, its last line says {n}", oneShort);
        // Cut in the middle of a line, as an interrupted copy leaves it.
        string text = File.ReadAllText(work.File("vectors.hex"));
        string midLine = work.Write("mid-line.hex", text[..(text.Length / 2 + 3)]);
        Assert.Contains("FAIL vector file ends after ", run(midLine));
        foreach (string output in new[] { noCount, oneShort })
        {
            Assert.DoesNotContain("PASS", output);
            Assert.DoesNotContain("MISMATCH", output);
        }
    }

    private static string WriteLines(TempFolder work, string name, string[] lines)
    {
        string path = work.File(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Builds the testbench once; the function runs it on a vector file and returns its output.</summary>
    private static Func<string, string> Build(string simulator, string work, IRtlUnit unit, IReadOnlyList<string> files)
    {
        if (simulator == "iverilog")
        {
            string iverilog = Simulators.Require("iverilog", "iverilog"), vvp = Simulators.Require("vvp", "iverilog");
            var (code, log) = Simulators.Run(iverilog, work, TimeSpan.FromMinutes(1), ["-g2001", "-o", "sim", .. files]);
            Assert.True(code == 0, log);
            return hex => Simulators.Run(vvp, work, TimeSpan.FromMinutes(1), ["-n", "sim", "+vectors=" + hex]).Output;
        }
        string verilator = Simulators.Require("verilator", "verilator");
        var (vcode, vlog) = Simulators.Run(verilator, work, TimeSpan.FromMinutes(4),
            ["--binary", "-O1", "--build-jobs", "2", "-Wno-fatal", "-CFLAGS", "-O1", "--top-module", $"tb_{unit.ModuleName}", "-o", "sim",
             .. files]);
        Assert.True(vcode == 0, $"verilator build failed:\n{vlog}");
        string sim = Path.Combine(work, "obj_dir", "sim");
        return hex => Simulators.Run(sim, work, TimeSpan.FromMinutes(1), ["+vectors=" + hex]).Output;
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
