namespace Fp4Sim.Quantization.Tests.Text;

/// <summary>
/// Locates the downloaded model and corpus for tests: the environment variables
/// <c>FP4SIM_MODEL_DIR</c> / <c>FP4SIM_DATA_DIR</c> when set, otherwise <c>.cache/...</c> under the
/// folder holding <c>Fp4Sim.sln</c> found by walking up from the test binaries.
/// </summary>
internal static class TestPaths
{
    public const string SetupCommand = "bash scripts/setup.sh";

    public static string DataDirectory() =>
        FromEnvironment("FP4SIM_DATA_DIR") ?? Path.Combine(RepositoryRoot(), ".cache", "data", "spam-assassin");

    public static string ModelDirectory() =>
        FromEnvironment("FP4SIM_MODEL_DIR") ?? Path.Combine(RepositoryRoot(), ".cache", "models", "use-lite");

    public static string VocabularyPath() => Path.Combine(ModelDirectory(), "vocab.json");

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Fp4Sim.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder containing Fp4Sim.sln above '{AppContext.BaseDirectory}'; set FP4SIM_DATA_DIR and FP4SIM_MODEL_DIR.");
    }

    /// <summary>Fails the calling test (never skips) when the downloaded file is missing.</summary>
    public static string RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"'{path}' is missing; run `{SetupCommand}` first.");
        }

        return path;
    }

    /// <summary>Fails the calling test (never skips) when the downloaded folder is missing.</summary>
    public static string RequireDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            Assert.Fail($"'{path}' is missing; run `{SetupCommand}` first.");
        }

        return path;
    }

    private static string? FromEnvironment(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
