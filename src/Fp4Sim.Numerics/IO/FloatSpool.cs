using System.Runtime.InteropServices;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Holds a stream of floats to read back once, in order, in bounded memory: for a pass that needs the whole input
/// before its first output (a tensor scale from the global amax) when the input can only be read once (stdin). Up to
/// the memory limit the values stay in memory; past it they go to a temporary file (registered with
/// <see cref="Temporaries"/>, so a signal removes it) which <see cref="Dispose"/> deletes.
/// </summary>
public sealed class FloatSpool : IDisposable
{
    /// <summary>Values kept in memory before the spool moves to a file (16 MB).</summary>
    public const int DefaultMemoryValues = 1 << 22;

    private readonly int _memoryValues;
    private float[] _buffer;
    private int _buffered;
    private string? _folder;
    private FileStream? _file;
    private bool _reading;
    private long _read;

    /// <summary>A spool that keeps at most <paramref name="memoryValues"/> values in memory.</summary>
    public FloatSpool(int memoryValues = DefaultMemoryValues)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryValues, 1);
        _memoryValues = memoryValues;
        _buffer = new float[Math.Min(memoryValues, 1024)];
    }

    /// <summary>Values written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Whether the values went to a temporary file (more than the memory limit).</summary>
    public bool Spilled => _file is not null;

    /// <summary>Appends one value; only before the first <see cref="Read"/>.</summary>
    public void Add(float value)
    {
        if (_reading) throw new InvalidOperationException("the spool is being read");
        if (_buffered == _buffer.Length)
        {
            if (_buffer.Length < _memoryValues) Array.Resize(ref _buffer, (int)Math.Min(_memoryValues, 2L * _buffer.Length));
            else Spill();
        }
        _buffer[_buffered++] = value;
        Count++;
    }

    /// <summary>Appends <paramref name="values"/>; only before the first <see cref="Read"/>.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        foreach (float v in values) Add(v);
    }

    /// <summary>Reads the next values, in the order written, into <paramref name="destination"/>; returns how many (0 at the end).</summary>
    public int Read(Span<float> destination)
    {
        if (!_reading)
        {
            _reading = true;
            if (_file is not null)
            {
                Spill();
                _file.Position = 0;
            }
        }
        int n = (int)Math.Min(destination.Length, Count - _read);
        if (n == 0) return 0;
        if (_file is null)
        {
            _buffer.AsSpan((int)_read, n).CopyTo(destination);
        }
        else
        {
            _file.ReadExactly(MemoryMarshal.AsBytes(destination[..n]));
        }
        _read += n;
        return n;
    }

    /// <summary>Deletes the temporary file, if any.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        if (_folder is not null) Temporaries.DeleteFolder(_folder);
        _folder = null;
    }

    /// <summary>Moves the buffered values to the file (creating it the first time).</summary>
    private void Spill()
    {
        if (_file is null)
        {
            _folder = Temporaries.CreateFolder("fp4sim-spool-");
            _file = new FileStream(Path.Combine(_folder, "values.f32"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.SequentialScan);
        }
        _file.Write(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _buffered)));
        _buffered = 0;
    }
}
