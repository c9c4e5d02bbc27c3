using System.Runtime.InteropServices;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Streams an array of known shape into a .npy file in chunks, atomically (<see cref="AtomicFile"/>): the header is
/// written first, the elements as they come, and the file appears under its name only on <see cref="Commit"/>,
/// after exactly the shape's element count was written. Disposed without a commit, it leaves nothing behind.
/// </summary>
/// <typeparam name="T">float, Half, double, byte, ushort, uint or int.</typeparam>
public sealed class NpyWriter<T> : IDisposable where T : unmanaged
{
    private readonly AtomicFile _file;
    private readonly long _count;
    private long _written;

    private NpyWriter(string path, int[] shape)
    {
        string descr = NpyFile.DescrOf<T>();
        if (shape.Any(d => d < 0)) throw new ArgumentException($"shape {NpyHeader.ShapeText(shape)} has a negative dimension", nameof(shape));
        var header = new NpyHeader(descr, FortranOrder: false, (int[])shape.Clone());
        _count = header.ElementCount;
        _file = AtomicFile.Create(path);
        _file.Stream.Write(header.Encode());
    }

    /// <summary>Starts <paramref name="path"/> (its folder must exist) for an array of <paramref name="shape"/>.</summary>
    public static NpyWriter<T> Create(string path, IReadOnlyList<int> shape) => new(path, [.. shape]);

    /// <summary>Appends elements in C order.</summary>
    /// <exception cref="InvalidOperationException">More elements than the shape holds.</exception>
    public void Write(ReadOnlySpan<T> elements)
    {
        if (_written + elements.Length > _count)
            throw new InvalidOperationException($"{_written + elements.Length} elements written for a shape of {_count}");
        _file.Stream.Write(MemoryMarshal.AsBytes(elements));
        _written += elements.Length;
    }

    /// <summary>Renames the finished file over the target.</summary>
    /// <exception cref="InvalidOperationException">Fewer elements than the shape holds were written.</exception>
    public void Commit()
    {
        if (_written != _count) throw new InvalidOperationException($"{_written} of {_count} elements written");
        _file.Commit();
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
