using System.Reflection;
using Fp4Sim.Cli.Commands;
using Fp4Sim.Hardware;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli;

/// <summary>
/// The <c>fp4sim</c> command line: verb dispatch and the one place errors become exit codes (docs/cli.md): 0 success,
/// 1 a check that found mismatches, 2 bad input or usage, 3 the environment (an unwritable path, a missing tool, a
/// closed stdout, out of memory), 70 anything unexpected; 130/143 for SIGINT/SIGTERM (Program). Every failure is one
/// <c>fp4sim: …</c> line on stderr; a stack trace only for an internal error under <c>FP4SIM_DEBUG=1</c>.
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
            // A misspelt instruction-set cap would silently run the widest kernels: refuse it, as any bad environment.
            if (Numerics.Vectorized.InstructionSets.EnvironmentError is { } isa) throw new EnvironmentException(isa);
            int exitCode = Dispatch(args, new BoundedLineReader(stdin), stdout, stderr, stdoutIsTerminal);
            stdout.Flush(); // a write that fails here (a full disk, a closed stdout) is a failure, not a success
            return exitCode;
        }
        catch (Exception e)
        {
            (int exitCode, string message) = Classify(Unwrap(e), CommandName(args));
            if (exitCode == InternalError && DebugEnabled) message += "\n" + e;
            return Fail(stdout, stderr, message, exitCode);
        }
    }

    /// <summary>Exit code for an unexpected exception (a bug): one line naming the command and the exception type.</summary>
    public const int InternalError = 70;

    /// <summary>Exit code after SIGINT (128 + 2); SIGTERM gives 143.</summary>
    public const int Interrupted = 130;

    /// <summary>Whether <c>FP4SIM_DEBUG=1</c> asks for the full stack trace of an internal error.</summary>
    public static bool DebugEnabled => Environment.GetEnvironmentVariable("FP4SIM_DEBUG") == "1";

    /// <summary>The exit code and the one-line message (before escaping) for an exception that reached the top.</summary>
    public static (int ExitCode, string Message) Classify(Exception e, string command) => e switch
    {
        CliException or FormatException => (UsageError, e.Message),
        NotRepresentableException => (UsageError, $"{command}: {e.Message}"), // the chosen convention's library refuses the input
        EnvironmentException or ToolStartException => (EnvironmentError, e.Message),
        IOException io when IsBrokenPipe(io) => (EnvironmentError, $"{command}: cannot write to standard output: the reader closed the pipe"),
        IOException or UnauthorizedAccessException => (EnvironmentError, $"{command}: i/o error: {e.Message}"),
        OperationCanceledException => (Interrupted, $"{command}: interrupted"),
        OutOfMemoryException or InsufficientMemoryException => (EnvironmentError, $"{command}: out of memory ({e.Message})"),
        _ => (InternalError, $"{command}: internal error ({e.GetType().FullName}): {e.Message} (FP4SIM_DEBUG=1 prints the trace)"),
    };

    /// <summary>The one exception inside wrappers that parallel loops and type initializers add.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } a: e = a.InnerExceptions[0]; continue;
                case TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                case TypeInitializationException { InnerException: { } inner }: e = inner; continue;
                default: return e;
            }
        }
    }

    /// <summary>The verb (and its action, for two-word commands) as an error line names it.</summary>
    private static string CommandName(string[] args)
    {
        if (args.Length == 0) return "fp4sim";
        string[] twoWord = ["mx", "bench", "rtl", "llmfp4", "quartet", "gpu", "plot"];
        string name = args.Length > 1 && twoWord.Contains(args[0]) ? $"{args[0]} {args[1]}" : args[0];
        return ErrorText.Quote(name);
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
            case "decode": return DecodeCommand.Run(rest, stdin, stdout);
            case "formats": return FormatsCommand.Run(rest, stdout, terminal);
            case "mx":
                return SubcommandArgs(rest, "mx", "action", "quantize", "dequantize") is var mxArgs && rest[0] == "quantize"
                    ? MxQuantizeCommand.Run(mxArgs, stdin, stdout)
                    : MxDequantizeCommand.Run(mxArgs, stdin, stdout);
            case "dot": return DotCommand.Run(rest, stdin, stdout);
            case "bench":
                return (SubcommandArgs(rest, "bench", "target", "cast", "mxgemm", "gpu", "decode", "mxquant", "sgemm"), rest[0]) switch
                {
                    (var benchArgs, "sgemm") => BenchSgemmCommand.Run(benchArgs, stdout, stderr),
                    (var benchArgs, "mxquant") => BenchMxQuantCommand.Run(benchArgs, stdout, stderr),
                    (var benchArgs, "cast") => BenchCastCommand.Run(benchArgs, stdout, stderr),
                    (var benchArgs, "decode") => BenchDecodeCommand.Run(benchArgs, stdout, stderr),
                    (var benchArgs, "gpu") => BenchGpuCommand.Run(benchArgs, stdout, stderr),
                    (var benchArgs, _) => BenchMxGemmCommand.Run(benchArgs, stdout, stderr),
                };
            case "rtl":
                return RtlCommand.Run(rest.Length > 0 ? rest[0] : "",
                    SubcommandArgs(rest, "rtl", "action", "generate", "vectors", "defaults"), stdout, stderr);
            case "cost": return CostCommand.Run(rest, stdout, stderr);
            case "llmfp4":
                return LlmFp4Command.Run(rest.Length > 0 ? rest[0] : "",
                    SubcommandArgs(rest, "llmfp4", "action", "tokenize", "embed", "run", "export", "export-layer"), stdin, stdout, stderr);
            case "explore": return ExploreCommand.Run(rest, stdout, stderr);
            case "quartet":
                return QuartetCommand.Run(rest.Length > 0 ? rest[0] : "",
                    SubcommandArgs(rest, "quartet", "action", "quantize", "table2", "train"), stdin, stdout, stderr);
            case "gpu":
                return GpuCommand.Run(rest.Length > 0 ? rest[0] : "", SubcommandArgs(rest, "gpu", "action", "info", "check"), stdout, stderr);
            case "plot":
                return PlotCommand.Run(rest.Length > 0 ? rest[0] : "", SubcommandArgs(rest, "plot", "chart", "llmfp4", "explore", "quartet"), stdout);
            default:
                throw new CliException(
                    $"unknown command '{args[0]}' (expected cast, decode, formats, mx, dot, bench, rtl, cost, llmfp4, explore, quartet, plot, gpu " +
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

    private static bool IsBrokenPipe(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 109 or 232 : e.HResult == 32; // ERROR_BROKEN_PIPE/NO_DATA; EPIPE

    private static int Fail(TextWriter stdout, TextWriter stderr, string message, int exitCode)
    {
        // A signal handler abandoned the command (its tool killed, its files gone, hence this failure) and is ending
        // the process with its own line and code: a second line or another code from here would be wrong.
        if (Temporaries.IsAbandoned) Thread.Sleep(Timeout.Infinite);
        try { stdout.Flush(); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the error line matters more
        try
        {
            // A debug trace keeps its lines; every other message is one line, escaped and bounded.
            stderr.Write(exitCode == InternalError && DebugEnabled ? $"fp4sim: {message}\n" : $"fp4sim: {ErrorText.Line(message)}\n");
            stderr.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // stderr is closed too: the exit code is all that is left to say it.
        }
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
