using Xunit;

namespace Fp4Sim.TestSupport;

/// <summary>
/// What a test needs from the set-up (the real model, the corpus, a tool): a missing piece fails the test loudly with
/// the command that provides it; it never skips.
/// </summary>
public static class SetUp
{
    /// <summary>The set-up command (the library's <c>ModelLocation.SetupCommand</c>; a test keeps the two equal).</summary>
    public const string Command = "bash scripts/setup.sh";

    /// <summary>Returns <paramref name="path"/> when the file exists, else fails naming <paramref name="what"/> and the set-up command.</summary>
    public static string RequireFile(string path, string what = "it")
    {
        if (!System.IO.File.Exists(path)) Assert.Fail($"'{path}' is missing ({what}); run `{Command}` in the repository root first.");
        return path;
    }

    /// <summary>Returns <paramref name="path"/> when the folder exists, else fails naming <paramref name="what"/> and the set-up command.</summary>
    public static string RequireDirectory(string path, string what = "it")
    {
        if (!Directory.Exists(path)) Assert.Fail($"'{path}' is missing ({what}); run `{Command}` in the repository root first.");
        return path;
    }
}
