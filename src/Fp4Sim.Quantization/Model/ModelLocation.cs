namespace Fp4Sim.Quantization.Model;

/// <summary>
/// Where the downloaded model and data set live: an environment variable when set, otherwise under <c>.cache/</c> in
/// the repository (the folder holding <c>Fp4Sim.sln</c>, found by walking up from the running binaries, which sit in
/// <c>bin/</c> below it). <c>bash scripts/setup.sh</c> downloads both there.
/// </summary>
public static class ModelLocation
{
    /// <summary>Environment variable that overrides <see cref="DefaultModelDirectory"/>.</summary>
    public const string ModelDirectoryVariable = "FP4SIM_MODEL_DIR";

    /// <summary>Environment variable that overrides <see cref="DefaultDataDirectory"/>.</summary>
    public const string DataDirectoryVariable = "FP4SIM_DATA_DIR";

    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "Fp4Sim.sln";

    /// <summary>The command, run in the repository root, that downloads the model and the data set.</summary>
    public const string SetupCommand = "bash scripts/setup.sh";

    /// <summary>
    /// The Universal Sentence Encoder Lite model directory: <c>$FP4SIM_MODEL_DIR</c>, else
    /// <c>.cache/models/use-lite</c> in the repository. The directory may not exist; callers report that.
    /// </summary>
    public static string DefaultModelDirectory() => Resolve(ModelDirectoryVariable, ".cache", "models", "use-lite");

    /// <summary>
    /// The SpamAssassin corpus directory: <c>$FP4SIM_DATA_DIR</c>, else <c>.cache/data/spam-assassin</c> in the
    /// repository. The directory may not exist; callers report that.
    /// </summary>
    public static string DefaultDataDirectory() => Resolve(DataDirectoryVariable, ".cache", "data", "spam-assassin");

    /// <summary>
    /// The nearest directory at or above <paramref name="startDirectory"/> that holds <see cref="SolutionFileName"/>,
    /// or null when there is none.
    /// </summary>
    public static string? FindRepositoryRoot(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(startDirectory);
        for (DirectoryInfo? directory = new(Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName))) return directory.FullName;
        }

        return null;
    }

    // Outside a checkout (an installed tool) the binaries' folder has no solution above it; the working directory is
    // then the next guess, and failing that the path is relative to it, so the caller's "missing" message names it.
    private static string Resolve(string variable, params string[] relative)
    {
        string? overridden = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        string root = FindRepositoryRoot(AppContext.BaseDirectory)
            ?? FindRepositoryRoot(Environment.CurrentDirectory)
            ?? Environment.CurrentDirectory;
        return Path.GetFullPath(Path.Combine([root, .. relative]));
    }
}
