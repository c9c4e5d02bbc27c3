using System.Runtime.InteropServices;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Streams an array of known shape into a .npy file in chunks, atomically (<see cref="AtomicFile"/>): the header is
/// written first, the elements as they come, and the file appears under its name only on <see cref="Commit"/>,
/// after exactly the shape's element count was written. Disposed without a commit, it leaves nothing behind.
/// A writer staged in an <see cref="AtomicFileSet"/> is published with the set's other files by the set's commit.
/// </summary>
/// <typeparam name="T">float, Half, double, byte, ushort, uint or int.</typeparam>
public sealed class NpyWriter<T> : IDisposable where T : unmanaged
{
    private readonly AtomicFile? _file; // null when the writer is staged in a set, which owns the file
    private readonly Stream _stream;
    private readonly long _count;
    private long _written;

    private NpyWriter(AtomicFile? file, Stream stream, NpyHeader header)
    {
        _file = file;
        _stream = stream;
        _count = header.ElementCount;
        _stream.Write(header.Encode());
    }

    /// <summary>Starts <paramref name="path"/> (its folder must exist) for an array of <paramref name="shape"/>.</summary>
    public static NpyWriter<T> Create(string path, IReadOnlyList<int> shape)
    {
        NpyHeader header = Header(shape);
        AtomicFile file = AtomicFile.Create(path);
        try
        {
            return new NpyWriter<T>(file, file.Stream, header);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stages <paramref name="path"/> in <paramref name="set"/> for an array of <paramref name="shape"/>:
    /// <see cref="Commit"/> checks the element count, <see cref="AtomicFileSet.Commit"/> publishes the file.
    /// </summary>
    public static NpyWriter<T> Create(AtomicFileSet set, string path, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(set);
        NpyHeader header = Header(shape);
        return new NpyWriter<T>(null, set.Create(path), header);
    }

    private static NpyHeader Header(IReadOnlyList<int> shape)
    {
        string descr = NpyFile.DescrOf<T>();
        int[] dims = [.. shape];
        if (dims.Any(d => d < 0)) throw new ArgumentException($"shape {NpyHeader.ShapeText(dims)} has a negative dimension", nameof(shape));
        return new NpyHeader(descr, FortranOrder: false, dims);
    }

    /// <summary>Appends elements in C order.</summary>
    /// <exception cref="InvalidOperationException">More elements than the shape holds.</exception>
    public void Write(ReadOnlySpan<T> elements)
    {
        if (_written + elements.Length > _count)
            throw new InvalidOperationException($"{_written + elements.Length} elements written for a shape of {_count}");
        _stream.Write(MemoryMarshal.AsBytes(elements));
        _written += elements.Length;
    }

    /// <summary>
    /// Checks that the shape's element count was written and renames the finished file over the target (for a writer
    /// staged in a set, the set's commit does that).
    /// </summary>
    /// <exception cref="InvalidOperationException">Fewer elements than the shape holds were written.</exception>
    public void Commit()
    {
        if (_written != _count) throw new InvalidOperationException($"{_written} of {_count} elements written");
        _file?.Commit();
    }

    /// <inheritdoc/>
    public void Dispose() => _file?.Dispose();
}
