using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Quantization.Tests.Model;

public sealed class ModelLocationTests
{
    [Fact]
    public void The_repository_root_is_the_nearest_folder_above_with_the_solution()
    {
        using var scratch = new TempFolder("model-test");
        string nested = Directory.CreateDirectory(Path.Combine(scratch.Path, "bin", "Debug", "net10.0")).FullName;
        Assert.NotEqual(scratch.Path, ModelLocation.FindRepositoryRoot(nested));

        File.WriteAllText(scratch.File(ModelLocation.SolutionFileName), "");
        Assert.Equal(scratch.Path, ModelLocation.FindRepositoryRoot(nested));
        Assert.Equal(scratch.Path, ModelLocation.FindRepositoryRoot(scratch.Path));
    }

    [Fact]
    public void Default_directories_end_in_the_cache_layout_unless_overridden()
    {
        string model = ModelLocation.DefaultModelDirectory();
        string data = ModelLocation.DefaultDataDirectory();

        Assert.True(Path.IsPathFullyQualified(model));
        Assert.True(Path.IsPathFullyQualified(data));
        if (Environment.GetEnvironmentVariable(ModelLocation.ModelDirectoryVariable) is null)
            Assert.EndsWith(Path.Combine(".cache", "models", "use-lite"), model);
        if (Environment.GetEnvironmentVariable(ModelLocation.DataDirectoryVariable) is null)
            Assert.EndsWith(Path.Combine(".cache", "data", "spam-assassin"), data);
    }
}
