using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Quantization.Tests.Text;

/// <summary>
/// Locates the downloaded model and corpus for tests: the environment variables
/// <c>FP4SIM_MODEL_DIR</c> / <c>FP4SIM_DATA_DIR</c> when set, otherwise <c>.cache/...</c> under the
/// folder holding <c>Fp4Sim.sln</c> found by walking up from the test binaries.
/// </summary>
internal static class TestPaths
{
    public const string SetupCommand = ModelLocation.SetupCommand;

    /// <summary>The corpus folder, resolved as the library resolves it (<see cref="ModelLocation.DefaultDataDirectory"/>).</summary>
    public static string DataDirectory() => ModelLocation.DefaultDataDirectory();

    /// <summary>The model folder, resolved as the library resolves it (<see cref="ModelLocation.DefaultModelDirectory"/>).</summary>
    public static string ModelDirectory() => ModelLocation.DefaultModelDirectory();

    public static string VocabularyPath() => Path.Combine(ModelDirectory(), "vocab.json");

    public static string RequireFile(string path) => SetUp.RequireFile(path);

    public static string RequireDirectory(string path) => SetUp.RequireDirectory(path);
}
