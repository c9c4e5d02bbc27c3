using Fp4Sim.Hardware;

namespace Fp4Sim.Hardware.Tests;

/// <summary>The committed generated/ and golden-vectors/ are exactly what the generator writes today.</summary>
public class DriftTests
{
    [Fact]
    public void Committed_default_set_matches_a_fresh_generation()
    {
        string fresh = Directory.CreateTempSubdirectory("fp4sim-drift-").FullName;
        try
        {
            DefaultSetWriter.Write(fresh);
            foreach (string top in new[] { DefaultSetWriter.RtlDirectory, DefaultSetWriter.VectorsDirectory })
            {
                string[] expected = Files(Path.Combine(fresh, top)), committed = Files(Path.Combine(Repository.Root, top));
                Assert.True(expected.SequenceEqual(committed),
                    $"{top}/ differs in its file list (regenerate: fp4sim rtl defaults --out .):\n" +
                    $"  fresh: {string.Join(", ", expected)}\n  committed: {string.Join(", ", committed)}");
                foreach (string file in expected)
                    Assert.True(File.ReadAllBytes(Path.Combine(fresh, top, file)).AsSpan()
                            .SequenceEqual(File.ReadAllBytes(Path.Combine(Repository.Root, top, file))),
                        $"{top}/{file} drifted from the generator (regenerate: fp4sim rtl defaults --out .)");
            }
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    private static string[] Files(string dir) => Directory.Exists(dir)
        ? Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray()
        : [];
}
