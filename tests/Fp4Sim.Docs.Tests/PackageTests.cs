using System.IO.Compression;
using System.Xml.Linq;
using Fp4Sim.Hardware;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Docs.Tests;

/// <summary>
/// The packages a user installs carry real metadata: one version for all of them and the tool, a description, the
/// MIT licence expression, the README, tags and a symbols package. Packed from the Release build the test run uses.
/// </summary>
public sealed class PackageTests(PackageTests.PackedSolution packed) : IClassFixture<PackageTests.PackedSolution>
{
    /// <summary>Every packable project of the solution, packed once (one dotnet process) into a temporary folder.</summary>
    public sealed class PackedSolution : IDisposable
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("fp4sim-pack-").FullName;

        public PackedSolution() => Pack(Path.Combine(Repository.Root, "Fp4Sim.sln"), Folder);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private string Output => packed.Folder;

    public static TheoryData<string, string> Packages => new()
    {
        { "src/Fp4Sim.Numerics/Fp4Sim.Numerics.csproj", "Fp4Sim.Numerics" },
        { "src/Fp4Sim.Hardware/Fp4Sim.Hardware.csproj", "Fp4Sim.Hardware" },
        { "src/Fp4Sim.Quantization/Fp4Sim.Quantization.csproj", "Fp4Sim.Quantization" },
        { "src/Fp4Sim.Training/Fp4Sim.Training.csproj", "Fp4Sim.Training" },
        { "src/Fp4Sim.Cli/Fp4Sim.Cli.csproj", "Fp4Sim.Cli" },
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void A_packed_project_carries_its_metadata(string project, string id)
    {
        Assert.True(File.Exists(Path.Combine(Repository.Root, project)));
        string version = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        string package = Path.Combine(Output, $"{id}.{version}.nupkg");
        string[] made = [.. Directory.GetFiles(Output).Select(Path.GetFileName).OfType<string>()];
        Assert.True(File.Exists(package), $"no {Path.GetFileName(package)} in {string.Join(", ", made)}");
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), "no symbols package");
        using ZipArchive zip = ZipFile.OpenRead(package);
        XElement metadata = Nuspec(zip);
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Assert.Equal(id, Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.True(Field("description").Length > 60, $"{id}: description '{Field("description")}'");
        Assert.Contains("fp4", Field("tags").Split(' '));
        Assert.NotNull(zip.GetEntry("README.md"));
        Assert.NotNull(zip.GetEntry("LICENSE"));
        if (id == "Fp4Sim.Cli")
            Assert.Contains(metadata.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");
    }

    private static XElement Nuspec(ZipArchive zip)
    {
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using Stream s = entry.Open();
        return XDocument.Load(s).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static void Pack(string project, string output)
    {
        ToolRun? run = ExternalTool.Run(DotnetHost.Path, Repository.Root, TimeSpan.FromMinutes(10),
            ["pack", Path.Combine(Repository.Root, project), "-c", "Release", "--no-build", "-o", output, "--nologo", "-v", "q"]);
        Assert.True(run is { ExitCode: 0 }, $"dotnet pack {project} failed:\n{run?.Stdout}\n{run?.Stderr}");
    }
}
