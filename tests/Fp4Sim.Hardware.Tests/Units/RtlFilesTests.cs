using System.Numerics;
using System.Security.Cryptography;
using System.Text;
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
    /// SHA-256 of vectors.hex without its count line, as <c>fp4sim rtl vectors</c> wrote it before the vectors were
    /// streamed (commit f9c3945, every vector held in a VectorSet), then of manifest.json and the testbench as
    /// generator <c>fp4sim-rtl 3</c> writes them (typed configuration values; a testbench for any count), for each unit
    /// kind and both paths of each generator (exhaustive and random, directed and random, directed cut short).
    /// </summary>
    public static TheoryData<string, string, string?, int?, ulong, string> Recorded => new()
    {
        { "fp_mul", "e2m1", null, null, 1, "8c228b6af0403dd4383ddb1a1a78b5bc6b536cc1d42adff25383b2da9dc18270 " +
            "eee3539e665265e0fe415d2739f3574c1569aaead649aa5032429c81c7c68c8e d29d419ebeb9c6b35443aac3422f3b22ace30cd164b3e4dfc9d018dda71ff477" },
        { "fp_mul", "e4m3,int8", null, 777, 3, "4ceb9ab9e0c12ae0bdc5eb96c5564428b44fb40e606ad6442342049153098f1c " +
            "1c2e6ff62a52fdc3d4bfdf6d081333d513cbc0b94b46e044a1a5a1dd75d6fcd6 0c41d6ce95ea772802273203dafa04154c8a959e851b4a60a6345df1ad4748e5" },
        { "fp_mac", "e2m1", "fixed:16.2", 100, 2, "f21d4f5c41b38dbcf6e2c6016e857aa8c3ea3fe3b8fa852efebb9314fb309ada " +
            "a2aad2cdbf8034e041b0484d067b6b3a930f8fbf3589c958dab0a28dc52a56bb 963dcdb5b42ef4af7c07e7fc161aad614c2d911a2a8d3a835db9fbbd25913a2b" },
        { "fp_mac", "e4m3", "fixed:32.12:round:wrap", 1, 1, "c45bb4c11fbe7705ae3ec1ff906b73c6e9acc86eca319c5f60ece7ef6c05233f " +
            "d10394c465cb2fbfcfb693c2174b9d43dfe96d0a2d6709cbf857bd10a40e45d2 742c4aafbc3be40066b8bfc1c9060c7abe63301620d92f8a51864e171e9eaa51" },
        { "psb_mac", "e2m1", "fixed:20.5", 50, 9, "ce0a471255eb36e2722978a4f4172451a17616875cc53af784f3ea3334f5c624 " +
            "4f53600423d0a39f31e9db0eb0b138eae8a1f941351a4f150645d9aa081853fe d2af83f9162981690e0cb50ea42acf4cd882a81df2e76524def3df75ec68a488" },
        { "int_mac", "int8", "fixed:32.0", 1000, 4, "7468659d85be77d1857dae7d6e3a7b3be23b9b7560363f4d3f24735f516eaabf " +
            "7bdc084438e7a4eae712273de261dfb7c888e4a56c86680ff309f9764b757a37 0f9261ffce7f118fcd9964181f0c57661229fa20a599df9c134e735e9647a836" },
        { "mx_dot", "mxfp4", null, 1, 5, "ce5ac4c71a9e7f74a6e65e23882c8c5a21bdb63226d80ebda013580fb7e26b88 " +
            "38e5c2ce96866e7c944557e914e0e5dad6f9df5eaae41b7cb781ee956e33ad31 109342b219dd12ad80decb87639c9cc53e28ef2cbd964eeb7fa4b984100a4edb" },
        { "mx_dot", "mxfp6_e2m3,mxfp4", null, 1000, 8, "e1a2d638c2a8a4e20afad2aacb675bc1407c75bcc03e5c15e3a745037461198e " +
            "a24454c619b56b62cc958ce9700b37fef98be2d15525519f9e41c288518cb272 e8d85f3381c48a14a1182b4f25ecc6f95c5990c9e47a543892f1571a0a921aaf" },
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
        byte[] hex = File.ReadAllBytes(written[0]);
        byte[] countLine = Encoding.UTF8.GetBytes($"// {source.Count} vectors\n");
        Assert.True(hex.AsSpan().EndsWith(countLine), "vectors.hex ends with its count line");
        byte[][] contents = [hex[..^countLine.Length], File.ReadAllBytes(written[1]), File.ReadAllBytes(written[2])];
        Assert.Equal(sha256, string.Join(' ', contents.Select(c => Convert.ToHexStringLower(SHA256.HashData(c)))));
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
