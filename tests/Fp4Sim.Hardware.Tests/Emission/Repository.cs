using Fp4Sim.Hardware;
using Xunit.Sdk;

namespace Fp4Sim.Hardware.Tests;

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
