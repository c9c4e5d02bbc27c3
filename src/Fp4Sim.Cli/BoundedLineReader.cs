namespace Fp4Sim.Cli;

/// <summary>
/// Standard input as lines of at most <see cref="MaxLineChars"/> characters: a line-oriented verb holds one line at a
/// time, so its memory does not grow with the input — not even with a gigabyte of bytes and no newline, which
/// <see cref="TextReader.ReadLine"/> would gather into one string. Line ends are '\n', '\r\n' or '\r', as for ReadLine.
/// </summary>
public sealed class BoundedLineReader(TextReader inner) : TextReader
{
    /// <summary>The longest line accepted (1 Mi characters; the longest real input, a mail of the corpus, is far shorter).</summary>
    public const int MaxLineChars = 1 << 20;

    private readonly char[] _buffer = new char[1 << 16];
    private int _start, _end;
    private bool _skipLineFeed; // the last line ended with '\r' at the end of a buffer: a following '\n' belongs to it
    private ulong _lineNumber;

    /// <inheritdoc/>
    public override string? ReadLine()
    {
        System.Text.StringBuilder? longLine = null;
        while (true)
        {
            if (!Available()) return longLine?.ToString();
            ReadOnlySpan<char> span = _buffer.AsSpan(_start, _end - _start);
            int eol = span.IndexOfAny('\n', '\r');
            int take = eol < 0 ? span.Length : eol;
            if ((longLine?.Length ?? 0) + take > MaxLineChars)
                throw new CliException($"line {_lineNumber + 1}: longer than {MaxLineChars} characters");
            if (eol < 0)
            {
                (longLine ??= new System.Text.StringBuilder()).Append(span);
                _start = _end;
                continue;
            }
            string line = longLine is null ? new string(span[..eol]) : longLine.Append(span[..eol]).ToString();
            _start += eol + 1;
            if (span[eol] == '\r')
            {
                if (_start < _end) { if (_buffer[_start] == '\n') _start++; }
                else _skipLineFeed = true;
            }
            _lineNumber++;
            return line;
        }
    }

    /// <inheritdoc/>
    public override int Peek() => Available() ? _buffer[_start] : -1;

    /// <inheritdoc/>
    public override int Read() => Available() ? _buffer[_start++] : -1;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Whether a character is buffered (reading more if needed), past a '\n' that completes an earlier "\r\n".</summary>
    private bool Available()
    {
        while (true)
        {
            if (_start == _end && !Fill()) return false;
            if (!_skipLineFeed) return true;
            _skipLineFeed = false;
            if (_buffer[_start] == '\n') _start++;
        }
    }

    private bool Fill()
    {
        _start = 0;
        _end = inner.Read(_buffer, 0, _buffer.Length);
        return _end > 0;
    }
}
