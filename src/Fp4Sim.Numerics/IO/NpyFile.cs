using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Reads and writes whole NumPy .npy arrays (format versions 1.0, 2.0 and 3.0, C order, little-endian) of
/// <see cref="float"/> (<c>&lt;f4</c>), <see cref="Half"/> (<c>&lt;f2</c>), <see cref="double"/> (<c>&lt;f8</c>),
/// <see cref="byte"/> (<c>|u1</c>), <see cref="ushort"/> (<c>&lt;u2</c>), <see cref="uint"/> (<c>&lt;u4</c>) or
/// <see cref="int"/> (<c>&lt;i4</c>) elements; <see cref="NpyReader"/> and <see cref="NpyWriter{T}"/> stream them in
/// chunks. Written files are byte-identical to what <c>numpy.save</c> writes for the same C-contiguous array.
/// </summary>
public static class NpyFile
{
    /// <summary>
    /// Writes <paramref name="data"/> with <paramref name="shape"/> to <paramref name="path"/> atomically: into a
    /// temporary file beside it, then renamed over the target, so readers see the old file or the whole new one,
    /// never a partial one. On failure the temporary file is deleted and the target is left as it was.
    /// </summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    /// <param name="data">Elements in C (row-major) order.</param>
    /// <param name="shape">Dimensions; empty for a 0-d array. Their product must equal <c>data.Length</c>.</param>
    /// <exception cref="ArgumentException">The shape does not match the data, or a dimension is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static void Write<T>(string path, ReadOnlySpan<T> data, int[] shape) where T : unmanaged
    {
        using AtomicFile file = AtomicFile.Create(path);
        Write(file.Stream, data, shape);
        file.Commit();
    }

    /// <summary>
    /// Writes the header and <paramref name="data"/> to <paramref name="stream"/> at its current position. Arguments
    /// are validated before anything is written.
    /// </summary>
    /// <param name="stream">Writable destination; left open.</param>
    /// <param name="data">Elements in C (row-major) order.</param>
    /// <param name="shape">Dimensions; empty for a 0-d array. Their product must equal <c>data.Length</c>.</param>
    /// <exception cref="ArgumentException">The shape does not match the data, or a dimension is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        string descr = DescrOf<T>();
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] < 0)
                throw new ArgumentException($"dimension {axis} of shape {NpyHeader.ShapeText(shape)} is negative", nameof(shape));
        }
        var header = new NpyHeader(descr, FortranOrder: false, (int[])shape.Clone());
        if (header.ElementCount != data.Length)
            throw new ArgumentException(
                $"shape {NpyHeader.ShapeText(shape)} has {header.ElementCount} elements but data has {data.Length}", nameof(shape));

        stream.Write(header.Encode());
        stream.Write(MemoryMarshal.AsBytes(data));
    }

    /// <summary>Reads a whole .npy file; bytes after the data are an error.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">
    /// The file is not a valid .npy file of <typeparamref name="T"/> elements; the one-line message names the file and the problem.
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static NpyArray<T> Read<T>(string path) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        NpyArray<T> array = Read<T>(stream, path);
        long trailing = stream.Length - stream.Position;
        if (trailing > 0)
        {
            long needed = (long)array.Data.Length * Marshal.SizeOf<T>();
            throw new InvalidDataException(
                $"{path}: data length does not match the shape: {NpyHeader.ShapeText(array.Shape)} of {DescrOf<T>()} " +
                $"needs {needed} bytes, found {needed + trailing}");
        }
        return array;
    }

    /// <summary>
    /// Reads one array from <paramref name="stream"/> and leaves it just after the data, so several arrays written
    /// back to back (as repeated <c>numpy.save</c> calls on one file object do) can be read in turn.
    /// </summary>
    /// <param name="stream">Readable source; left open.</param>
    /// <param name="sourceName">What to call the source in error messages.</param>
    /// <exception cref="InvalidDataException">
    /// The stream does not hold a valid .npy array of <typeparamref name="T"/> elements; the one-line message names the source
    /// and the problem.
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static NpyArray<T> Read<T>(Stream stream, string sourceName = "stream") where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        string requested = DescrOf<T>();
        NpyHeader header = ReadHeader(stream, sourceName);

        Type stored = header.SupportedElementType(sourceName);
        if (stored != typeof(T))
            throw new InvalidDataException(
                $"{sourceName}: dtype '{header.Descr}' ({stored.Name}) does not match the requested {typeof(T).Name} ('{requested}')");

        long count = header.ElementCount;
        int itemSize = NpyHeader.ItemSize(header.Descr);
        if (count > Array.MaxLength / itemSize)
            throw new InvalidDataException(
                $"{sourceName}: shape {NpyHeader.ShapeText(header.Shape)} holds more data than this reader supports ({Array.MaxLength} bytes)");
        long needed = count * itemSize;
        // Check a seekable source's length first, so a corrupt shape cannot make us allocate a huge array.
        if (stream.CanSeek && stream.Length - stream.Position < needed)
            throw Truncated(sourceName, header, needed, stream.Length - stream.Position);

        var data = new T[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan());
        int present = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (present < needed) throw Truncated(sourceName, header, needed, present);
        return new NpyArray<T>(header.Shape, data);
    }

    /// <summary>
    /// Reads the preamble and the header dict (versions 1.0 and 2.0: Latin-1 text; 3.0: UTF-8), leaving the stream at
    /// the first data byte.
    /// </summary>
    internal static NpyHeader ReadHeader(Stream stream, string source)
    {
        Span<byte> preamble = stackalloc byte[NpyHeader.WidePreambleLength];
        int read = stream.ReadAtLeast(preamble[..NpyHeader.PreambleLength], NpyHeader.PreambleLength, throwOnEndOfStream: false);
        if (read < NpyHeader.Magic.Length || !preamble[..NpyHeader.Magic.Length].SequenceEqual(NpyHeader.Magic))
            throw new InvalidDataException($"{source}: not a .npy file (bad magic; expected \\x93NUMPY)");
        if (read < NpyHeader.PreambleLength)
            throw new InvalidDataException(
                $"{source}: truncated header: the file ends after {read} of the {NpyHeader.PreambleLength} preamble bytes");
        (byte major, byte minor) = (preamble[6], preamble[7]);
        if (major is < 1 or > 3 || minor != 0)
            throw new InvalidDataException($"{source}: unsupported .npy version {major}.{minor} (1.0, 2.0 or 3.0)");

        long headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]);
        if (major > 1)
        {
            int more = stream.ReadAtLeast(preamble[NpyHeader.PreambleLength..], 2, throwOnEndOfStream: false);
            if (more < 2)
                throw new InvalidDataException(
                    $"{source}: truncated header: the file ends after {read + more} of the {NpyHeader.WidePreambleLength} preamble bytes");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        }
        if (headerLength > MaxHeaderLength)
            throw new InvalidDataException($"{source}: header length {headerLength} exceeds the {MaxHeaderLength} bytes this reader accepts");
        byte[] headerBytes = new byte[headerLength];
        read = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (read < headerLength)
            throw new InvalidDataException($"{source}: truncated header: expected {headerLength} bytes, found {read}");
        Encoding text = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        return NpyHeader.Parse(text.GetString(headerBytes), source);
    }

    /// <summary>A header longer than this is hostile: numpy's own reader refuses headers over 10,000 bytes by default.</summary>
    private const int MaxHeaderLength = 1 << 20;

    private static InvalidDataException Truncated(string source, NpyHeader header, long needed, long present) =>
        new($"{source}: truncated data: shape {NpyHeader.ShapeText(header.Shape)} of {header.Descr} needs {needed} bytes, found {present}");

    internal static string DescrOf<T>() where T : unmanaged
    {
        // The data is copied as raw memory, which is little-endian only on little-endian hosts.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy I/O needs a little-endian host");
        return NpyHeader.DescrOf(typeof(T))
            ?? throw new NotSupportedException($"{typeof(T).Name} elements are not supported (use float, byte, ushort, int or double)");
    }
}
