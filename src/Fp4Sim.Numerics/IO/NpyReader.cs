using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// Streams the elements of a .npy file in chunks, so memory stays flat for any file size. The whole file is
/// validated before the first element is returned: magic, version, header dict, a supported dtype, C order, and a
/// data length that matches the shape exactly (no truncation, nothing trailing).
/// </summary>
public sealed class NpyReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;
    private readonly NpyHeader _header;
    private readonly int _itemSize;
    private byte[] _bytes = [];
    private long _remaining;

    private NpyReader(string path)
    {
        _path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            _header = NpyFile.ReadHeader(_stream, path);
            ElementType = _header.SupportedElementType(path);
            _itemSize = NpyHeader.ItemSize(_header.Descr);
            long count = _header.ElementCount, present = _stream.Length - _stream.Position;
            bool huge = count > long.MaxValue / _itemSize;
            if (huge || count * _itemSize != present)
                throw new InvalidDataException(
                    $"{path}: data length does not match the shape: {NpyHeader.ShapeText(_header.Shape)} of {_header.Descr} needs " +
                    (huge ? "more than 2^63" : (count * _itemSize).ToString(CultureInfo.InvariantCulture)) + $" bytes, found {present}");
            _remaining = count;
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a valid .npy file of a supported dtype; a one-line message naming the file.</exception>
    public static NpyReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy I/O needs a little-endian host");
        return new NpyReader(path);
    }

    /// <summary>The array's shape (empty for a 0-d array).</summary>
    public IReadOnlyList<int> Shape => _header.Shape;

    /// <summary>The element type: float, Half, double, byte, ushort, uint or int.</summary>
    public Type ElementType { get; }

    /// <summary>The dtype as the header spells it (<c>&lt;f4</c>, <c>|u1</c>, …).</summary>
    public string Descr => _header.Descr;

    /// <summary>Number of elements.</summary>
    public long Count => _header.ElementCount;

    /// <summary>
    /// Reads the next elements, converted exactly to binary64 (every supported dtype's values are exact in it),
    /// into <paramref name="destination"/>; returns how many (0 at the end).
    /// </summary>
    public int Read(Span<double> destination)
    {
        Span<byte> raw = Next(destination.Length, out int count);
        Span<double> values = destination[..count];
        switch (Type.GetTypeCode(ElementType))
        {
            case TypeCode.Single: Widen(MemoryMarshal.Cast<byte, float>(raw), values); break;
            case TypeCode.Double: MemoryMarshal.Cast<byte, double>(raw).CopyTo(values); break;
            case TypeCode.Byte: Widen(raw, values); break;
            case TypeCode.UInt16: Widen(MemoryMarshal.Cast<byte, ushort>(raw), values); break;
            case TypeCode.UInt32: Widen(MemoryMarshal.Cast<byte, uint>(raw), values); break;
            case TypeCode.Int32: Widen(MemoryMarshal.Cast<byte, int>(raw), values); break;
            default: Widen(MemoryMarshal.Cast<byte, Half>(raw), values); break; // Half has no TypeCode
        }
        return count;
    }

    /// <summary>Converts each element to a wider type; every conversion used here is exact.</summary>
    private static void Widen<TSource, TTarget>(Span<TSource> source, Span<TTarget> destination)
        where TSource : INumberBase<TSource> where TTarget : INumberBase<TTarget>
    {
        for (int i = 0; i < source.Length; i++) destination[i] = TTarget.CreateTruncating(source[i]);
    }

    /// <summary>
    /// Reads the next elements of a float32 (<c>&lt;f4</c>) or float16 (<c>&lt;f2</c>) array as float32, bit for
    /// bit (a float16 widens exactly; a NaN keeps its payload's top bits); returns how many (0 at the end).
    /// </summary>
    /// <exception cref="InvalidOperationException">The array is of another dtype.</exception>
    public int Read(Span<float> destination)
    {
        if (ElementType != typeof(float) && ElementType != typeof(Half))
            throw new InvalidOperationException($"{_path}: dtype {Descr} is not a float32 or float16 array");
        Span<byte> raw = Next(destination.Length, out int count);
        if (ElementType == typeof(float)) MemoryMarshal.Cast<byte, float>(raw).CopyTo(destination);
        else Widen(MemoryMarshal.Cast<byte, Half>(raw), destination);
        return count;
    }

    private Span<byte> Next(int wanted, out int count)
    {
        count = (int)Math.Min(wanted, _remaining);
        int bytes = count * _itemSize;
        if (_bytes.Length < bytes) _bytes = new byte[bytes];
        _stream.ReadExactly(_bytes, 0, bytes);
        _remaining -= count;
        return _bytes.AsSpan(0, bytes);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
