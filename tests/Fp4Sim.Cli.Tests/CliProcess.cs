using System.Diagnostics;
using System.Runtime.InteropServices;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>How to start the real <c>fp4sim</c> process: its stdin, closed descriptors, folder, environment, a signal.</summary>
internal sealed record CliProcessOptions
{
    /// <summary>Bytes for stdin (none: empty input).</summary>
    public byte[]? Stdin { get; init; }

    /// <summary>Writes stdin as it is read (for inputs too large to hold); the process may exit before it is done.</summary>
    public Action<Stream>? StdinWriter { get; init; }

    /// <summary>Start with stdin closed (<c>&lt;&amp;-</c>).</summary>
    public bool CloseStdin { get; init; }

    /// <summary>Redirect stdout as a shell would (<c>&gt;&amp;-</c>, <c>&gt;/dev/full</c>); null: captured.</summary>
    public string? StdoutRedirect { get; init; }

    /// <summary>Read this many bytes of stdout, then close the pipe (a reader like <c>head -c</c> going away); null: read all.</summary>
    public int? StdoutBytes { get; init; }

    /// <summary>The working folder (default: the test's current folder).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Sends <see cref="Signal"/> once this returns true (polled every 20 ms while the process runs).</summary>
    public Func<bool>? SignalWhen { get; init; }

    /// <summary>The signal number to send (2 SIGINT, 15 SIGTERM).</summary>
    public int Signal { get; init; } = 15;

    /// <summary>Killed (and the test failed) after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>What the process did: exit code, its output, and its peak resident memory read from /proc.</summary>
internal sealed record CliProcessResult(int ExitCode, string Stdout, string Stderr, long PeakRssBytes, bool Signalled)
{
    /// <summary>stderr's lines other than progress lines (<c>[   1.2 s] …</c>, written when stderr is not a terminal).</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !ProgressLines.IsProgress(l)).ToArray();

    /// <summary>stderr's progress lines.</summary>
    public string[] Progress => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(ProgressLines.IsProgress).ToArray();
}

/// <summary>
/// Runs the built <c>fp4sim.dll</c> as a child process, for what only a real process shows: exit codes from Program,
/// closed descriptors, signals, memory. The dll is the one the test project copies beside itself.
/// </summary>
internal static partial class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "fp4sim.dll");

    public static CliProcessResult Run(params string[] args) => Run(new CliProcessOptions(), args);

    public static CliProcessResult Run(CliProcessOptions options, params string[] args)
    {
        // sh applies the redirections, then exec replaces it, so the pid below is fp4sim's own. env restores SIGINT and
        // SIGTERM to their defaults first: a test run started in the background by a non-interactive shell inherits
        // SIGINT ignored, and the runtime (rightly, as for nohup) keeps an ignored signal ignored.
        string redirections = (options.CloseStdin ? " <&-" : "") + (options.StdoutRedirect is { } r ? $" >{r}" : "");
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = options.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        string script = $"exec /usr/bin/env --default-signal=INT,TERM \"$0\" \"$@\"{redirections}";
        foreach (string a in (string[])["-c", script, DotnetHost.Path, Dll, .. args]) start.ArgumentList.Add(a);
        foreach ((string key, string value) in options.Environment) start.Environment[key] = value;
        using Process process = Process.Start(start)!;
        Task<string> stdout = options.StdoutBytes is { } n ? ReadThenClose(process.StandardOutput, n) : process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task feed = Task.Run(() => Feed(process, options));
        long peak = 0;
        bool signalled = false;
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakRss(process.Id));
            if (!signalled && options.SignalWhen is { } when && when())
            {
                signalled = true;
                _ = Kill(process.Id, options.Signal);
            }
            if (clock.Elapsed > options.Timeout)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"fp4sim {string.Join(' ', args)} ran past {options.Timeout.TotalSeconds} s");
            }
        }
        process.WaitForExit();
        feed.Wait();
        return new CliProcessResult(process.ExitCode, stdout.Result, stderr.Result, peak, signalled);
    }

    private static async Task<string> ReadThenClose(StreamReader stdout, int count)
    {
        var buffer = new char[count];
        int read = 0;
        for (int n; read < count && (n = await stdout.ReadAsync(buffer.AsMemory(read))) > 0;) read += n;
        stdout.Close();
        return new string(buffer, 0, read);
    }

    private static void Feed(Process process, CliProcessOptions options)
    {
        try
        {
            Stream stdin = process.StandardInput.BaseStream;
            if (options.Stdin is { } bytes) stdin.Write(bytes);
            options.StdinWriter?.Invoke(stdin);
            stdin.Close();
        }
        catch (IOException)
        {
            // The process stopped reading (it failed, or its stdin was closed): what it did is the result.
        }
    }

    /// <summary>VmHWM (peak resident set) of a running process, in bytes; 0 once it has gone.</summary>
    private static long PeakRss(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
