using System.Numerics;
using System.Security.Cryptography;
using Fp4Sim.Hardware;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Hardware.Tests;

/// <summary>
/// The streamed writers (<see cref="RtlFiles"/>) write exactly what the in-memory vectors give, and exactly what the
/// generator wrote before it streamed; a failure midway leaves the old set of files and no temporary.
/// </summary>
public class RtlFilesTests
{
    /// <summary>
    /// SHA-256 of vectors.hex, manifest.json and the testbench as <c>fp4sim rtl vectors</c> wrote them before the
    /// vectors were streamed (commit f9c3945, every vector held in a VectorSet), for each unit kind and both paths of
    /// each generator (exhaustive and random, directed and random, directed cut short).
    /// </summary>
    public static TheoryData<string, string, string?, int?, ulong, string> Recorded => new()
    {
        { "fp_mul", "e2m1", null, null, 1, "8c228b6af0403dd4383ddb1a1a78b5bc6b536cc1d42adff25383b2da9dc18270 " +
            "f2521bd70193f0dee6509368f03da5c669aeecd4f6820097527b94f56ce49340 7fc25c19bf8da25f73d24b7310cc7ddf2227af6c0e147c827d29d83925e57912" },
        { "fp_mul", "e4m3,int8", null, 777, 3, "4ceb9ab9e0c12ae0bdc5eb96c5564428b44fb40e606ad6442342049153098f1c " +
            "aa743cb421e58e3d9b229ac55a8c0e21d7c1812f55bd23bc6f29134a268e08a2 6e0daac9499bec9910fe75acb413d60853de650bca3bea36c4827aa89839c7c8" },
        { "fp_mac", "e2m1", "fixed:16.2", 100, 2, "f21d4f5c41b38dbcf6e2c6016e857aa8c3ea3fe3b8fa852efebb9314fb309ada " +
            "32ff0f7670b811f21845a5b9e0c852ac5f5b800c5b2b7acc8f96340c3ea748d6 1197948d979c02a88155d54d7d6b4959a5dbb16686d73a0cced414f74c419f24" },
        { "fp_mac", "e4m3", "fixed:32.12:round:wrap", 1, 1, "c45bb4c11fbe7705ae3ec1ff906b73c6e9acc86eca319c5f60ece7ef6c05233f " +
            "8c1a03765ce8fb3f881fcba59f9cc6a45486b9288b2e439f5c41998b0dd22451 229c0351a1bad120c3a11d23d6fde4d8c043f26d5e77e9f58e2037e7913d4422" },
        { "psb_mac", "e2m1", "fixed:20.5", 50, 9, "ce0a471255eb36e2722978a4f4172451a17616875cc53af784f3ea3334f5c624 " +
            "2f577691886d2a76430ee1e6f629c0f21ecfa96f9306dc27a505aa108d669faa 9655713f548c848eda6ad1fa19cb8fcf0f7b774de51d59008704470cc35fd837" },
        { "int_mac", "int8", "fixed:32.0", 1000, 4, "7468659d85be77d1857dae7d6e3a7b3be23b9b7560363f4d3f24735f516eaabf " +
            "e84f0b56fd85fa182577cc552df888b55ca82904c2038ae1439f3c032116e3c9 4d57aed0afbf558c1b532f435d8ee3ac56b2837f772cfbf318f12d335a186fbf" },
        { "mx_dot", "mxfp4", null, 1, 5, "ce5ac4c71a9e7f74a6e65e23882c8c5a21bdb63226d80ebda013580fb7e26b88 " +
            "0044ef96acc0a422c042b2ee6e7e50aedad4ca50ac735e5fcea512cc7d11f932 c05f72f1e7576b9eca4eee919cc3dbdd7cca769d252c07f5301031870f079f1c" },
        { "mx_dot", "mxfp6_e2m3,mxfp4", null, 1000, 8, "e1a2d638c2a8a4e20afad2aacb675bc1407c75bcc03e5c15e3a745037461198e " +
            "9675a829b677164404ff652b35f9811a2848b2be84e2c576ee597c9c067a246d 8b87c4bf5859051ee428483ff2a1648f552b73e4904b05c770a54c612b93a543" },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Streamed_files_equal_the_in_memory_vectors_and_the_recorded_ones(
        string kind, string formats, string? acc, int? count, ulong seed, string sha256)
    {
        IRtlUnit unit = UnitSpecParser.Parse(kind, formats, acc).Create();
        using var folder = new TempFolder("rtl-stream");
        VectorSource source = unit.Vectors(count, seed);
        IReadOnlyList<string> written = RtlFiles.WriteVectors(unit, source, folder.Path, testbench: true);
        Assert.Equal([folder.File("vectors.hex"), folder.File("manifest.json"), folder.File(RtlFiles.TestbenchFile(unit))], written);

        VectorSet inMemory = unit.GenerateVectors(count, seed);
        Assert.Equal(source.Count, inMemory.Count);
        Assert.Equal(inMemory.ToHex(), File.ReadAllText(written[0]));
        Assert.Equal(inMemory.ToManifest(unit.Configuration), File.ReadAllText(written[1]));
        Assert.Equal(unit.GenerateTestbench(inMemory), File.ReadAllText(written[2]));
        Assert.Equal(sha256, string.Join(' ', written.Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))));
        Assert.Equal(["manifest.json", RtlFiles.TestbenchFile(unit), "vectors.hex"], Names(folder.Path));
    }

    [Theory]
    [InlineData("fp_mul", "e2m1,e1m2", null)]
    [InlineData("fp_mac", "e2m1", "fixed:12.2:round:wrap")]
    [InlineData("psb_mac", "e4m3,e2m1", "fixed:24.6")]
    [InlineData("int_mac", "int4", "fixed:16.0")]
    [InlineData("mx_dot", "mxint8", null)]
    public void Every_kind_declares_the_count_it_generates(string kind, string formats, string? acc)
    {
        IRtlUnit unit = UnitSpecParser.Parse(kind, formats, acc).Create();
        foreach (int? count in new int?[] { 1, 37, 300 })
        {
            VectorSource source = unit.Vectors(count, 11);
            int rows = 0;
            source.Generate(_ => rows++);
            Assert.Equal(source.Count, rows);
            Assert.Equal(unit.GenerateVectors(count, 11).ToHex(), unit.GenerateVectors(count, 11).ToHex()); // every run is the same
        }
    }

    [Fact]
    public void A_failure_midway_leaves_the_old_files_and_no_temporary()
    {
        IRtlUnit unit = UnitSpecParser.Parse("fp_mul", "e2m1", null).Create();
        using var folder = new TempFolder("rtl-fail");
        RtlFiles.WriteUnit(unit, unit.Vectors(10, 1), folder.Path);
        Dictionary<string, byte[]> before = Directory.GetFiles(folder.Path).ToDictionary(f => f, File.ReadAllBytes);
        VectorSource real = unit.Vectors(1000, 2);
        var failing = new VectorSource(real.Layout, real.Count, row =>
        {
            int n = 0;
            real.Generate(values =>
            {
                if (++n == 500) throw new IOException("disk full");
                row(values);
            });
        });
        Assert.Throws<IOException>(() => RtlFiles.WriteUnit(unit, failing, folder.Path));
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(folder.Path).Order()); // no .tmp left beside them
        foreach ((string file, byte[] content) in before) Assert.Equal(content, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_failure_in_a_new_folder_removes_the_folders_it_made()
    {
        IRtlUnit unit = UnitSpecParser.Parse("fp_mul", "e2m1", null).Create();
        using var folder = new TempFolder("rtl-fail-new");
        VectorSource real = unit.Vectors(10, 1);
        var failing = new VectorSource(real.Layout, real.Count + 1, real.Generate); // one vector short: refused at the end
        var e = Assert.Throws<InvalidOperationException>(() => RtlFiles.WriteUnit(unit, failing, Path.Combine(folder.Path, "a", "b")));
        Assert.Contains("produced 10 vectors, not 11", e.Message);
        Assert.Empty(Names(folder.Path));
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_refused()
    {
        var layout = new VectorLayout("fp_mul", "m", [("a", 4, "in"), ("p", 8, "out")], 0, "test");
        var source = new VectorSource(layout, 1, row => row([BigInteger.One]));
        Assert.Throws<ArgumentException>(() => source.ToSet());
    }

    private static string[] Names(string dir) =>
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
