using System.Reflection;
using Fp4Sim.Cli.Commands;

namespace Fp4Sim.Cli;

/// <summary>
/// The <c>fp4sim</c> command line: verb dispatch and error reporting. Exit codes: 0 success, 1 a failed check
/// (bench mismatch) or an i/o error, 2 bad input (one <c>fp4sim: …</c> line on stderr), 141 stdout closed early.
/// </summary>
public static class CommandLine
{
    /// <summary>Exit code for bad input.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a missing set-up or an unwritable output (the environment, not the input).</summary>
    public const int EnvironmentError = 3;

    /// <summary>Runs the command with redirected (non-terminal) output; for tests and embedding.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdin, stdout, stderr, stdoutIsTerminal: false);

    /// <summary>Runs the command. <paramref name="stdoutIsTerminal"/> selects the rich table of <c>formats</c>.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, bool stdoutIsTerminal)
    {
        try
        {
            return Dispatch(args, stdin, stdout, stderr, stdoutIsTerminal);
        }
        catch (Exception e) when (e is CliException or FormatException)
        {
            return Fail(stdout, stderr, e.Message, UsageError);
        }
        catch (EnvironmentException e)
        {
            return Fail(stdout, stderr, e.Message, EnvironmentError);
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            return BrokenPipe; // like a process killed by SIGPIPE: the reader has all it wanted, nothing to report
        }
        catch (IOException e)
        {
            return Fail(stdout, stderr, $"i/o error: {e.Message}", 1);
        }
    }

    private static int Dispatch(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, bool terminal)
    {
        if (args.Length == 0) throw new CliException("missing command (try 'fp4sim --help')");
        string[] rest = args[1..];
        if (args[0] == "help" || args.Contains("--help") || args.Contains("-h")) args = ["--help"];
        switch (args[0])
        {
            case "--help":
                stdout.Write(Usage.Text);
                stdout.Flush();
                return 0;
            case "--version":
                stdout.Write($"fp4sim {Version}\n");
                stdout.Flush();
                return 0;
            case "cast": return CastCommand.Run(rest, stdin, stdout);
            case "decode": return DecodeCommand.Run(rest, stdout);
            case "formats": return FormatsCommand.Run(rest, stdout, terminal);
            case "mx": return MxQuantizeCommand.Run(SubcommandArgs(rest, "mx", "action", "quantize"), stdin, stdout);
            case "dot": return DotCommand.Run(rest, stdin, stdout);
            case "bench":
                return SubcommandArgs(rest, "bench", "target", "cast", "mxgemm") is var benchArgs && rest[0] == "cast"
                    ? BenchCastCommand.Run(benchArgs, stdout, stderr)
                    : BenchMxGemmCommand.Run(benchArgs, stdout, stderr);
            case "rtl":
                return RtlCommand.Run(rest.Length > 0 ? rest[0] : "",
                    SubcommandArgs(rest, "rtl", "action", "generate", "vectors", "defaults"), stdout);
            case "cost": return CostCommand.Run(rest, stdout);
            case "llmfp4":
                return LlmFp4Command.Run(rest.Length > 0 ? rest[0] : "",
                    SubcommandArgs(rest, "llmfp4", "action", "tokenize", "embed", "run", "export", "export-layer"), stdin, stdout, stderr);
            case "explore": return ExploreCommand.Run(rest, stdout, stderr);
            case "quartet":
                return QuartetCommand.Run(rest.Length > 0 ? rest[0] : "",
                    SubcommandArgs(rest, "quartet", "action", "quantize", "table2", "train"), stdin, stdout, stderr);
            case "gpu":
                return GpuCommand.Run(rest.Length > 0 ? rest[0] : "", SubcommandArgs(rest, "gpu", "action", "info", "check"), stdout);
            default:
                throw new CliException(
                    $"unknown command '{args[0]}' (expected cast, decode, formats, mx, dot, bench, rtl, cost, llmfp4, explore, quartet, gpu " +
                    "or help)");
        }
    }

    /// <summary>The arguments after a two-word command (<c>mx quantize</c>, <c>bench cast</c>), or the error naming what is missing.</summary>
    private static string[] SubcommandArgs(string[] rest, string verb, string noun, params string[] expected)
    {
        string choices = string.Join(" or ", expected.Select(e => $"'{verb} {e}'"));
        if (rest.Length == 0) throw new CliException($"missing {verb} {noun} (expected {choices})");
        if (!expected.Contains(rest[0])) throw new CliException($"unknown {verb} {noun} '{rest[0]}' (expected {choices})");
        return rest[1..];
    }

    /// <summary>Exit code when the reader of stdout went away (128 + SIGPIPE, as a shell reports it).</summary>
    public const int BrokenPipe = 141;

    private static bool IsBrokenPipe(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 109 or 232 : e.HResult == 32; // ERROR_BROKEN_PIPE/NO_DATA; EPIPE

    private static int Fail(TextWriter stdout, TextWriter stderr, string message, int exitCode)
    {
        try { stdout.Flush(); } catch (IOException) { } // the error line matters more than output the reader dropped
        stderr.Write($"fp4sim: {message}\n");
        stderr.Flush();
        return exitCode;
    }

    private static string Version
    {
        get
        {
            string v = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = v.IndexOf('+');
            return plus >= 0 ? v[..plus] : v; // drop the commit hash the SDK appends
        }
    }
}
