using System.Text;
using Fp4Sim.Cli;

// Buffered streams: cast and decode write millions of short lines, and Console.Out flushes every write.
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using var stdin = new StreamReader(Console.OpenStandardInput(), utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8, bufferSize: 1 << 16) { AutoFlush = false };
int exitCode = Cli.Run(args, stdin, stdout, Console.Error, stdoutIsTerminal: !Console.IsOutputRedirected);
try
{
    stdout.Dispose();
}
catch (IOException)
{
    // The reader went away (e.g. `| head`); like SIGPIPE, that is not an error of ours.
}
return exitCode;
