using System.Globalization;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// An integer array (<c>|u1</c>, <c>&lt;u2</c>, <c>&lt;u4</c> or <c>&lt;i4</c>) read as codes in chunks: every element
/// is checked against the number of codes there are, and the one-line error (exit 2) names the file, the element's
/// flat index in C order and its value.
/// </summary>
internal sealed class CodeArrayReader : IDisposable
{
    private readonly NpyReader _reader;
    private readonly string _verb, _path, _what;
    private readonly ulong _codeCount;
    private double[] _values = [];
    private long _next;

    private CodeArrayReader(NpyReader reader, string verb, string path, ulong codeCount, string what)
    {
        (_reader, _verb, _path, _codeCount, _what) = (reader, verb, path, codeCount, what);
    }

    /// <summary>
    /// Opens <paramref name="path"/>, refusing a float array; its elements must be below <paramref name="codeCount"/>,
    /// which <paramref name="what"/> describes in the error (e.g. <c>e2m1 codes (0x0..0xf)</c>).
    /// </summary>
    public static CodeArrayReader Open(string verb, string path, ulong codeCount, string what)
    {
        NpyReader reader = ArrayFiles.OpenInput(verb, path);
        if (reader.ElementType == typeof(float) || reader.ElementType == typeof(Half) || reader.ElementType == typeof(double))
        {
            string descr = reader.Descr;
            reader.Dispose();
            throw new CliException($"{verb}: {path}: dtype '{descr}' is not an array of codes (expected |u1, <u2, <u4 or <i4)");
        }
        return new CodeArrayReader(reader, verb, path, codeCount, what);
    }

    /// <summary>The array's shape.</summary>
    public IReadOnlyList<int> Shape => _reader.Shape;

    /// <summary>Number of elements.</summary>
    public long Count => _reader.Count;

    /// <summary>Reads the next codes into <paramref name="destination"/>; returns how many (0 at the end).</summary>
    public int Read(Span<uint> destination)
    {
        if (_values.Length < destination.Length) _values = new double[destination.Length];
        int n = _reader.Read(_values.AsSpan(0, destination.Length));
        for (int i = 0; i < n; i++)
        {
            double v = _values[i]; // every integer dtype is exact in binary64
            if (v < 0 || v >= _codeCount)
                throw new CliException($"{_verb}: {_path}: element {(_next + i).ToString(CultureInfo.InvariantCulture)} (flat index, C order) " +
                                       $"is {v.ToString(CultureInfo.InvariantCulture)}, out of range for {_what}");
            destination[i] = (uint)v;
        }
        _next += n;
        return n;
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();
}
