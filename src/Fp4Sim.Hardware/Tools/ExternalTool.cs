using System.Diagnostics;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Hardware;

/// <summary>The outcome of an external tool run: its exit code and what it printed.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Finding and running the external hardware tools (yosys, iverilog, vvp, verilator): one PATH search and one
/// missing-tool message naming the Debian package, one bounded process run. Used by synthesis and by the tests.
/// </summary>
public static class ExternalTool
{
    /// <summary><paramref name="tool"/> in <paramref name="searchPath"/> (PATH syntax; the process's PATH when null), or null.</summary>
    public static string? Find(string tool, string? searchPath = null)
    {
        string file = OperatingSystem.IsWindows() ? tool + ".exe" : tool;
        foreach (string dir in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            string candidate = Path.Combine(dir, file);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate; // a shell skips non-executable ones too
        }
        return null;
    }

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static bool IsExecutable(string file) => OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & AnyExecute) != 0;

    /// <summary>The one-line message for a missing tool, naming the Debian package that provides it.</summary>
    public static string NotFound(string tool, string package) =>
        $"{tool} not found on PATH (install the Debian package {package}; scripts/setup.sh does)";

    /// <summary>
    /// Runs <paramref name="tool"/> in <paramref name="workingDirectory"/>; null when it ran past <paramref name="timeout"/> (it is killed).
    /// </summary>
    public static ToolRun? Run(string tool, string workingDirectory, TimeSpan timeout, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolStartException($"cannot run {tool}: {e.Message}");
        }
        Temporaries.Add(process); // an interrupted command kills it
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return null;
            }
            return new ToolRun(process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            Temporaries.Forget(process);
        }
    }
}

/// <summary>An external tool was found but could not be started (not executable, wrong architecture): an environment fault.</summary>
public sealed class ToolStartException(string message) : Exception(message);
