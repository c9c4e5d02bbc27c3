using Fp4Sim.Hardware;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary><c>fp4sim rtl generate|vectors</c>: files written, bad input exits 2 with one line.</summary>
public class RtlCommandTests
{
    [Fact]
    public void Generate_writes_the_modules_and_the_testbench()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-cli-rtl-").FullName;
        try
        {
            CliResult r = CliRunner.Run("rtl", "generate", "--unit", "fp_mac", "--format", "e2m1,e1m2", "--acc", "fixed:12.3:round", "--out", dir);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.Stderr);
            string[] files = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
            Assert.Equal(["fp_mac_e2m1_e1m2_fixed12_3_round.v", "fp_mul_e2m1_e1m2.v", "tb_fp_mac_e2m1_e1m2_fixed12_3_round.v"], files);
            Assert.Equal(3, r.Lines.Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("psb_mac", "e2m1", "fixed:20.5", "3", "psb_mac_e2m1_e2m1_s3_fixed20_5.v,fp_mul_e2m1_e2m1.v,tb_psb_mac_e2m1_e2m1_s3_fixed20_5.v")]
    [InlineData("psb_mac", "e4m3,e2m1", "fixed:24.6", null,
        "psb_mac_e4m3_e2m1_s4_fixed24_6.v,fp_mul_e4m3_e2m1.v,tb_psb_mac_e4m3_e2m1_s4_fixed24_6.v")]
    [InlineData("int_mac", "int4,int8", "fixed:16.0", null, "int_mac_int4_int8_fixed16_0.v,tb_int_mac_int4_int8_fixed16_0.v")]
    public void Generate_names_the_mac_variants(string unit, string format, string acc, string? shiftBits, string expected)
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-cli-rtl-").FullName;
        try
        {
            string[] args = ["rtl", "generate", "--unit", unit, "--format", format, "--acc", acc, "--out", dir];
            CliResult r = CliRunner.Run(shiftBits is null ? args : [.. args, "--shift-bits", shiftBits]);
            Assert.Equal(0, r.ExitCode);
            string[] files = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
            Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), files);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Vectors_writes_hex_manifest_and_matching_testbench()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-cli-vec-").FullName;
        try
        {
            CliResult r = CliRunner.Run("rtl", "vectors", "--unit", "fp_mul", "--format", "e5m2,int8", "--count", "1000", "--seed", "9",
                "--out", dir);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("1000 vectors", r.Lines[^1]);
            string[] lines = File.ReadAllLines(Path.Combine(dir, "vectors.hex"));
            Assert.Equal(1001, lines.Length);
            Assert.Equal("// 1000 vectors", lines[^1]);
            string manifest = File.ReadAllText(Path.Combine(dir, "manifest.json"));
            Assert.Contains("\"seed\": 9", manifest);
            Assert.Contains("\"count\": 1000", manifest);
            IRtlUnit unit = UnitSpecParser.Parse("fp_mul", "e5m2,int8", null).Create();
            Assert.Equal(unit.GenerateTestbench(unit.Vectors(null, 1).Layout), File.ReadAllText(Path.Combine(dir, "tb_fp_mul_e5m2_int8.v")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Mx_dot_generate_and_vectors_write_the_unit_and_its_vectors()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-cli-mxdot-").FullName;
        try
        {
            CliResult g = CliRunner.Run("rtl", "generate", "--unit", "mx_dot", "--format", "mxfp6_e2m3,mxfp4", "--out", dir);
            Assert.Equal(0, g.ExitCode);
            Assert.Equal("", g.Stderr);
            string[] files = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
            Assert.Equal(["fp_mul_e2m3_e2m1.v", "mx_dot_mxfp6_e2m3_mxfp4.v", "tb_mx_dot_mxfp6_e2m3_mxfp4.v"], files);
            string testbench = File.ReadAllText(Path.Combine(dir, "tb_mx_dot_mxfp6_e2m3_mxfp4.v"));
            CliResult v = CliRunner.Run("rtl", "vectors", "--unit", "mx_dot", "--format", "mxfp6_e2m3,mxfp4", "--count", "300", "--out", dir);
            Assert.Equal(0, v.ExitCode);
            Assert.Equal("300 vectors", v.Lines[^1]);
            Assert.Equal(301, File.ReadAllLines(Path.Combine(dir, "vectors.hex")).Length);
            Assert.Contains("\"unit\": \"mx_dot\"", File.ReadAllText(Path.Combine(dir, "manifest.json")));
            Assert.Contains("\"block_size\": 32,", File.ReadAllText(Path.Combine(dir, "manifest.json")));
            Assert.Equal(testbench, File.ReadAllText(Path.Combine(dir, "tb_mx_dot_mxfp6_e2m3_mxfp4.v"))); // the same for any count
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Vectors_are_streamed_byte_identical_and_replace_the_old_set_whole()
    {
        using var folder = new TempFolder("cli-rtl-stream");
        string[] args = ["rtl", "vectors", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:16.2", "--out", folder.Path];
        Assert.Equal(0, CliRunner.Run([.. args, "--count", "5", "--seed", "1"]).ExitCode);
        CliResult r = CliRunner.Run([.. args, "--count", "2000", "--seed", "4"]);
        Assert.Equal(0, r.ExitCode);
        IRtlUnit unit = UnitSpecParser.Parse("fp_mac", "e2m1", "fixed:16.2").Create();
        VectorSet expected = unit.GenerateVectors(2000, 4);
        Assert.Equal($"{expected.Count} vectors", r.Lines[^1]);
        Assert.Equal(expected.ToHex(), File.ReadAllText(folder.File("vectors.hex")));
        Assert.Equal(expected.ToManifest(unit.Configuration), File.ReadAllText(folder.File("manifest.json")));
        Assert.Equal(unit.GenerateTestbench(expected), File.ReadAllText(folder.File($"tb_{unit.ModuleName}.v")));
        Assert.Equal(3, Directory.GetFiles(folder.Path).Length); // no temporary left beside them
    }

    [Theory]
    [InlineData("generate", "--unit", "fp_mul", "--format", "e2m1")]
    [InlineData("vectors", "--unit", "fp_mul", "--format", "e2m1", "--count", "10")]
    [InlineData("defaults")]
    public void An_unwritable_output_folder_exits_3_before_any_work(string action, params string[] options)
    {
        using var folder = new TempFolder("cli-rtl-unwritable");
        string file = folder.Write("file", "x"), under = Path.Combine(file, "out");
        CliResult r = CliRunner.Run(["rtl", action, .. options, "--out", under]);
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith($"fp4sim: rtl {action}: cannot write into '", Assert.Single(r.ErrorLines));
        Assert.Contains("is a file", r.Stderr);
        Assert.Equal("", r.Stdout);
        Assert.Equal(["file"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("fp4sim: missing rtl action", new[] { "rtl" })]
    [InlineData("fp4sim: unknown rtl action 'build'", new[] { "rtl", "build" })]
    [InlineData("fp4sim: rtl: unknown unit 'fp_add' (expected fp_mul, fp_mac, psb_mac, int_mac or mx_dot)",
        new[] { "rtl", "generate", "--unit", "fp_add", "--format", "e2m1", "--out", "x" })]
    [InlineData("fp4sim: rtl: accumulator fixed:8.2 is too narrow for e2m1 x e2m1 products",
        new[] { "rtl", "generate", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:8.2", "--out", "x" })]
    [InlineData("fp4sim: rtl: unit fp_mac needs an accumulator", new[] { "rtl", "vectors", "--unit", "fp_mac", "--format", "e2m1", "--out", "x" })]
    [InlineData("fp4sim: rtl: unknown block format 'e2m1' for unit mx_dot (expected mxfp8_e4m3, ",
        new[] { "rtl", "generate", "--unit", "mx_dot", "--format", "e2m1", "--out", "x" })]
    [InlineData("fp4sim: rtl: unit mx_dot takes no accumulator",
        new[] { "rtl", "vectors", "--unit", "mx_dot", "--format", "mxfp4", "--acc", "fixed:16.2", "--out", "x" })]
    [InlineData("fp4sim: rtl: block format nvfp4: unit mx_dot takes MX formats (blocks of 32, E8M0 scales), not blocks of 16 with e4m3 scales",
        new[] { "rtl", "generate", "--unit", "mx_dot", "--format", "mxfp4,nvfp4", "--out", "x" })]
    [InlineData("fp4sim: unknown format 'e2m9x'", new[] { "rtl", "generate", "--unit", "fp_mul", "--format", "e2m9x", "--out", "x" })]
    [InlineData("fp4sim: unknown accumulator 'float'",
        new[] { "rtl", "generate", "--unit", "fp_mac", "--format", "e2m1", "--acc", "float", "--out", "x" })]
    [InlineData("fp4sim: rtl generate: missing required option --out", new[] { "rtl", "generate", "--unit", "fp_mul", "--format", "e2m1" })]
    [InlineData("fp4sim: rtl generate: malformed --shift-bits '9'",
        new[] { "rtl", "generate", "--unit", "psb_mac", "--format", "e2m1", "--acc", "fixed:24.8", "--shift-bits", "9", "--out", "x" })]
    [InlineData("fp4sim: rtl: unit fp_mac takes no shift input",
        new[] { "rtl", "generate", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:24.8", "--shift-bits", "2", "--out", "x" })]
    [InlineData("fp4sim: rtl: unit int_mac takes integer formats",
        new[] { "rtl", "vectors", "--unit", "int_mac", "--format", "e2m1", "--acc", "fixed:24.8", "--out", "x" })]
    [InlineData("fp4sim: rtl vectors: malformed --count '0'",
        new[] { "rtl", "vectors", "--unit", "fp_mul", "--format", "e2m1", "--count", "0", "--out", "x" })]
    public void Bad_input_exits_2_with_one_line(string expectedStart, string[] args)
    {
        CliResult r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(expectedStart, Assert.Single(r.ErrorLines));
        Assert.Equal("", r.Stdout);
        Assert.False(Directory.Exists("x"));
    }
}
