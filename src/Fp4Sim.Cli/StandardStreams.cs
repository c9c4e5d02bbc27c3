using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Fp4Sim.Cli;

/// <summary>
/// The process's stdin, stdout and stderr, opened so that closed descriptors and vanished readers are noticed:
/// a stdin closed at launch reads as empty input, a closed stdout fails the first write (exit 3), and a pipe whose
/// reader went away reports EPIPE instead of being swallowed.
/// </summary>
internal static partial class StandardStreams
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Standard input, or an empty reader when the descriptor was closed at launch.</summary>
    public static TextReader OpenInput() => Inherited(0)
        ? new StreamReader(Console.OpenStandardInput(), Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16)
        : TextReader.Null;

    /// <summary>Standard output, buffered (cast and decode write millions of short lines; Console.Out flushes every write).</summary>
    public static StreamWriter OpenOutput() =>
        new(Inherited(1) ? OpenStdout() : new ClosedStream(), Utf8, bufferSize: 1 << 16) { AutoFlush = false };

    /// <summary>Standard error, or a sink when the descriptor was closed at launch (the exit code still tells).</summary>
    public static TextWriter OpenError()
    {
        if (Inherited(2)) return Console.Error;
        Console.SetError(TextWriter.Null); // progress bars write through Console.Error: keep them off a stranger's descriptor
        return TextWriter.Null;
    }

    /// <summary>
    /// Whether descriptor <paramref name="fd"/> is open and came from the parent. When a shell starts us with, say,
    /// <c>&lt;&amp;-</c>, the runtime's first open file takes the free number 0; the runtime opens everything
    /// close-on-exec, and an inherited descriptor cannot carry that flag (it would not have survived exec).
    /// </summary>
    private static bool Inherited(int fd)
    {
        if (OperatingSystem.IsWindows()) return true;
        int flags = Fcntl(fd, GetDescriptorFlags);
        return flags >= 0 && (flags & CloseOnExec) == 0;
    }

    private const int GetDescriptorFlags = 1; // F_GETFD
    private const int CloseOnExec = 1; // FD_CLOEXEC

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command);

    // .NET's console stream swallows EPIPE, so `fp4sim decode --format fp32 | head` would run on for hours: a pipe on Unix
    // is opened as a FileStream, which reports it. Not for regular files: FileStream would pwrite at its own offset and
    // clobber output that the shell appends to the same file.
    private static Stream OpenStdout()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        var pipe = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (!pipe.CanSeek) return pipe;
        pipe.Dispose();
        return Console.OpenStandardOutput();
    }

    /// <summary>What stdout is when it was closed at launch: every write fails, and the command exits 3.</summary>
    private sealed class ClosedStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("standard output is closed");
    }
}
