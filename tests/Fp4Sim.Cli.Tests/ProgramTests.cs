using System.Text;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// The real process under hostile conditions (docs/cli.md): closed descriptors, a full disk, a reader that goes away,
/// tools that cannot run. Each case: the documented exit code, exactly one <c>fp4sim:</c> line, no stack trace.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ProgramTests
{
    internal static void AssertOneErrorLine(CliProcessResult r, int exitCode, string contains)
    {
        Assert.True(exitCode == r.ExitCode, $"exit {r.ExitCode}, expected {exitCode}; stderr: {r.Stderr}");
        string line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("fp4sim: ", line);
        Assert.Contains(contains, line);
    }

    [Fact]
    public void A_closed_stdout_is_exit_3_not_a_crash()
    {
        CliProcessResult r = CliProcess.Run(new CliProcessOptions { StdoutRedirect = "&-" }, "formats");
        AssertOneErrorLine(r, 3, "standard output is closed");
    }

    [Fact]
    public void A_closed_stdin_reads_as_empty_input()
    {
        CliProcessResult r = CliProcess.Run(new CliProcessOptions { CloseStdin = true, Timeout = TimeSpan.FromSeconds(60) },
            "cast", "--format", "e2m1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void A_full_disk_on_stdout_is_exit_3()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-full-").FullName;
        try
        {
            CliProcessResult r = CliProcess.Run(new CliProcessOptions { StdoutRedirect = "/dev/full" },
                "rtl", "generate", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:16.2", "--out", dir);
            AssertOneErrorLine(r, 3, "No space left on device");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_reader_that_goes_away_stops_the_command_with_exit_3()
    {
        // decode --format fp32 prints 2^32 lines: only a noticed EPIPE ends it within the timeout.
        CliProcessResult r = CliProcess.Run(new CliProcessOptions { StdoutBytes = 100, Timeout = TimeSpan.FromSeconds(60) },
            "decode", "--format", "fp32");
        AssertOneErrorLine(r, 3, "the reader closed the pipe");
    }

    [Fact]
    public void A_yosys_that_is_not_executable_is_a_missing_tool_exit_3()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-path-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "yosys"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(dir, "yosys"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var options = new CliProcessOptions { Environment = new Dictionary<string, string> { ["PATH"] = dir } };
            CliProcessResult r = CliProcess.Run(options, "cost", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:16.2", "--synth");
            AssertOneErrorLine(r, 3, "yosys not found on PATH");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_error_line_from_the_process_is_escaped_and_bounded()
    {
        byte[] line = [.. Encoding.ASCII.GetBytes("12"), 0x1b, .. Encoding.ASCII.GetBytes("[2J"), 0xff, .. Enumerable.Repeat((byte)'7', 200_000), 10];
        CliProcessResult r = CliProcess.Run(new CliProcessOptions { Stdin = line }, "cast", "--format", "e2m1");
        AssertOneErrorLine(r, 2, "malformed number '12\\x1b[2J\\u{fffd}777");
        Assert.True(r.ErrorLines[0].Length < 200, r.ErrorLines[0]);
        Assert.DoesNotContain('\u001b', r.Stderr);
    }
}
