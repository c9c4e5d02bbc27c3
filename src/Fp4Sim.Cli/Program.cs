using System.Text;
using Fp4Sim.Cli;
using Microsoft.Win32.SafeHandles;

// Buffered streams: cast and decode write millions of short lines, and Console.Out flushes every write.
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
Stream output = OpenStdout();
using var stdin = new StreamReader(Console.OpenStandardInput(), utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
var stdout = new StreamWriter(output, utf8, bufferSize: 1 << 16) { AutoFlush = false };
int exitCode = CommandLine.Run(args, stdin, stdout, Console.Error, stdoutIsTerminal: !Console.IsOutputRedirected);
try
{
    stdout.Dispose();
}
catch (IOException)
{
    // The reader went away; CommandLine.Run already chose the exit code.
}
return exitCode;

// .NET's console stream swallows EPIPE, so `fp4sim decode --format fp32 | head` would run on for hours: a pipe on Unix
// is opened as a FileStream, which reports it. Not for regular files: FileStream would pwrite at its own offset and
// clobber output that the shell appends to the same file.
static Stream OpenStdout()
{
    if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
    var pipe = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
    if (!pipe.CanSeek) return pipe;
    pipe.Dispose();
    return Console.OpenStandardOutput();
}
