using Fp4Sim.Hardware;

namespace Fp4Sim.TestSupport;

/// <summary>
/// /usr/bin/python3 with numpy, when the machine has them (scripts/setup.sh installs python3-numpy): the tests that
/// read our .npy files back with <c>numpy.load</c> run it, and pass on their own byte-level checks where it is absent.
/// </summary>
public static class PythonNumpy
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Whether python3 and numpy are there.</summary>
    public static bool Available { get; } = File.Exists(Python) && Run("print('ok')") == "ok";

    /// <summary>Runs <paramref name="code"/> after <c>import numpy</c>; its stdout, trimmed, or "" when it failed.</summary>
    public static string Run(string code)
    {
        ToolRun? run = ExternalTool.Run(Python, Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(2), ["-c", "import numpy\n" + code]);
        return run is { ExitCode: 0 } ? run.Stdout.Trim() : "";
    }
}
