using System.Runtime.InteropServices;
using Fp4Sim.Cli;
using Fp4Sim.Numerics.IO;

TextWriter stderr = StandardStreams.OpenError();
// A signal removes what the command was writing (temporaries, started tools) and exits as a shell reports it.
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupted(c, 130, "interrupted"));
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupted(c, 143, "terminated"));
// A fault on a worker thread would otherwise print the runtime's trace and abort.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Temporaries.Abandon();
    AbandonedExit(CommandLine.InternalError, $"fp4sim: internal error ({e.ExceptionObject.GetType().FullName}) on a worker thread\n" +
        (CommandLine.DebugEnabled ? $"{e.ExceptionObject}\n" : ""));
};

using TextReader stdin = StandardStreams.OpenInput();
StreamWriter stdout = StandardStreams.OpenOutput();
int exitCode = CommandLine.Run(args, stdin, stdout, stderr, stdoutIsTerminal: !Console.IsOutputRedirected);
if (Temporaries.IsAbandoned) Thread.Sleep(Timeout.Infinite); // a signal handler is ending the process with its own code
try
{
    stdout.Dispose();
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // CommandLine.Run flushed and chose the exit code; this can only repeat a failure it reported.
}
return exitCode;

void Interrupted(PosixSignalContext context, int code, string what)
{
    context.Cancel = true; // we exit ourselves, after the clean-up
    int removed = Temporaries.Abandon();
    // A spinner hides the terminal's cursor and is gone before it can show it again.
    string showCursor = Console.IsErrorRedirected ? "" : "\u001b[?25h\r";
    AbandonedExit(code, $"{showCursor}fp4sim: {what}{(removed > 0 ? $"; removed {removed} temporary file(s)" : "")}\n");
}

// After Temporaries.Abandon: the last word on stderr (if it is still open), then the process ends with that code.
void AbandonedExit(int code, string text)
{
    try
    {
        stderr.Write(text);
        stderr.Flush();
    }
    catch (IOException) { }
    Environment.Exit(code);
}
