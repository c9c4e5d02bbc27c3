using System.Globalization;
using System.Text;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// The header of a .npy version 1.0 file: the 10-byte preamble (magic, version, header length) and the Python
/// dict literal <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>Magic (6) + version (2) + little-endian header length (2).</summary>
    internal const int PreambleLength = 10;

    /// <summary>numpy aligns the data to 64 bytes so that any dtype can be memory-mapped in place.</summary>
    private const int ArrayAlign = 64;

    /// <summary>
    /// numpy leaves room for the first axis to grow to 21 digits, so an appender can rewrite the header in place.
    /// Copied so that our files are byte-identical to numpy.save's.
    /// </summary>
    private const int GrowthAxisMaxDigits = 21;

    private static readonly (string Descr, Type Type, int Size)[] Dtypes =
    [
        ("<f4", typeof(float), 4),
        ("|u1", typeof(byte), 1),
        ("<u2", typeof(ushort), 2),
        ("<i4", typeof(int), 4),
        ("<f8", typeof(double), 8),
    ];

    /// <summary>The supported descriptors, for error messages.</summary>
    internal const string SupportedDtypes = "<f4, |u1, <u2, <i4 or <f8";

    /// <summary>\x93NUMPY.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The descriptor of element type <paramref name="type"/>, or null when unsupported.</summary>
    internal static string? DescrOf(Type type) => Array.Find(Dtypes, d => d.Type == type).Descr;

    /// <summary>The element type of <paramref name="descr"/>, or null when unsupported.</summary>
    internal static Type? TypeOf(string descr) => Array.Find(Dtypes, d => d.Descr == descr).Type;

    /// <summary>Bytes per element of a supported descriptor.</summary>
    internal static int ItemSize(string descr) => Array.Find(Dtypes, d => d.Descr == descr).Size;

    /// <summary>
    /// Number of elements: the product of the shape, 1 for a 0-d array. Saturates at <see cref="long.MaxValue"/>
    /// (still exact when a later dimension is 0) so a hostile header cannot cause an overflow.
    /// </summary>
    internal long ElementCount
    {
        get
        {
            long product = 1;
            foreach (int dim in Shape)
                product = dim == 0 ? 0 : product > long.MaxValue / dim ? long.MaxValue : product * dim;
            return product;
        }
    }

    /// <summary>The shape as Python's repr of a tuple writes it: <c>()</c>, <c>(5,)</c>, <c>(2, 3)</c>.</summary>
    internal static string ShapeText(int[] shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    /// <summary>The dict literal exactly as numpy writes it (keys sorted, trailing ", ").</summary>
    internal string DictText =>
        $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {ShapeText(Shape)}, }}";

    /// <summary>
    /// Preamble plus header, padded as numpy pads it: growth spaces, then spaces and a final '\n' up to the next
    /// multiple of 64 (a full extra 64 when already aligned, as numpy does).
    /// </summary>
    /// <exception cref="ArgumentException">The header does not fit the 16-bit length of version 1.0.</exception>
    internal byte[] Encode()
    {
        string text = DictText;
        if (Shape.Length > 0)
        {
            int firstAxisDigits = Shape[FortranOrder ? ^1 : 0].ToString(CultureInfo.InvariantCulture).Length;
            text += new string(' ', GrowthAxisMaxDigits - firstAxisDigits);
        }
        int lengthWithNewline = text.Length + 1;
        int padding = ArrayAlign - (PreambleLength + lengthWithNewline) % ArrayAlign;
        int headerLength = lengthWithNewline + padding;
        if (headerLength > ushort.MaxValue)
            throw new ArgumentException($"a header of {headerLength} bytes does not fit .npy version 1.0 ({Shape.Length} dimensions)");

        byte[] bytes = new byte[PreambleLength + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = 1; // major version
        bytes[7] = 0; // minor version
        bytes[8] = (byte)headerLength;
        bytes[9] = (byte)(headerLength >> 8);
        Encoding.ASCII.GetBytes(text, bytes.AsSpan(PreambleLength));
        bytes.AsSpan(PreambleLength + text.Length, padding).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// Parses the header dict. Accepts what Python's literal syntax allows for these three keys (any key order,
    /// either quote, optional trailing comma, any whitespace) and nothing else.
    /// </summary>
    /// <exception cref="InvalidDataException">Malformed, wrong keys, or a value of the wrong kind; the message starts with <paramref name="source"/>.</exception>
    internal static NpyHeader Parse(string text, string source)
    {
        var reader = new DictReader(text, source);
        Dictionary<string, object> entries = reader.ReadDict();
        foreach (string key in entries.Keys)
        {
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw reader.Error($"unexpected header key '{key}'");
        }
        foreach (string key in (string[])["descr", "fortran_order", "shape"])
        {
            if (!entries.ContainsKey(key)) throw reader.Error($"header has no '{key}' key");
        }

        string descr = entries["descr"] as string
            ?? throw reader.Error($"dtype {entries["descr"]} is not supported (expected {SupportedDtypes})");
        bool fortranOrder = entries["fortran_order"] as bool?
            ?? throw reader.Error($"fortran_order is {entries["fortran_order"]}, not True or False");
        int[] shape = entries["shape"] as int[]
            ?? throw reader.Error($"shape is {entries["shape"]}, not a tuple of integers");
        return new NpyHeader(descr, fortranOrder, shape);
    }

    /// <summary>Header text for a one-line message: anything outside printable ASCII becomes <c>\xNN</c>.</summary>
    internal static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
            builder.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\x{(int)c:x2}");
        return builder.ToString();
    }

    /// <summary>A value that is not a string, bool or int tuple, kept as its source text for messages.</summary>
    private sealed record RawValue(string Text)
    {
        public override string ToString() => Text;
    }

    /// <summary>Recursive descent over the Python dict literal.</summary>
    private sealed class DictReader(string text, string source)
    {
        private int _position;

        public InvalidDataException Error(string what) => new($"{source}: {Printable(what)}");

        private InvalidDataException Malformed(string expected) =>
            Error($"malformed header: expected {expected} at offset {_position} of \"{text.TrimEnd()}\"");

        public Dictionary<string, object> ReadDict()
        {
            var entries = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (!TryConsume('}'))
            {
                if (Peek() is not ('\'' or '"')) throw Malformed("a quoted key or '}'");
                string key = ReadString();
                Expect(':');
                object value = ReadValue();
                if (!entries.TryAdd(key, value)) throw Error($"header key '{key}' appears twice");
                if (!TryConsume(','))
                {
                    Expect('}');
                    break;
                }
            }
            SkipWhitespace();
            if (_position != text.Length) throw Malformed("the end of the header after '}'");
            return entries;
        }

        private object ReadValue()
        {
            switch (Peek())
            {
                case '\'' or '"':
                    return ReadString();
                case '(':
                    return ReadIntTuple();
            }
            int start = _position;
            object raw = ReadRaw();
            string word = text[start.._position].Trim();
            return word switch { "True" => true, "False" => false, _ => raw };
        }

        private string ReadString()
        {
            char quote = text[_position++];
            int end = text.IndexOf(quote, _position);
            if (end < 0) throw Malformed($"a closing {quote}");
            string value = text[_position..end];
            _position = end + 1;
            return value;
        }

        private object ReadIntTuple()
        {
            int start = _position;
            Expect('(');
            var dims = new List<int>();
            while (!TryConsume(')'))
            {
                SkipWhitespace();
                int digitsStart = _position;
                while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] == '-')) _position++;
                string digits = text[digitsStart.._position];
                if (digits.Length == 0)
                {
                    // Not a tuple of plain integers: keep the text so the caller can say what it found.
                    _position = start;
                    return ReadRaw();
                }
                if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long dim) || dim < 0)
                    throw Error($"shape dimension {digits} is not a non-negative integer");
                if (dim > int.MaxValue) throw Error($"shape dimension {digits} is too large");
                dims.Add((int)dim);
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }
            return dims.ToArray();
        }

        /// <summary>Skips to the next top-level ',' or '}' (brackets balanced) and returns the text skipped.</summary>
        private RawValue ReadRaw()
        {
            int start = _position;
            int depth = 0;
            for (; _position < text.Length; _position++)
            {
                char c = text[_position];
                if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}' && depth > 0) depth--;
                else if (c is ',' or '}' && depth == 0) break;
                else if (c is '\'' or '"')
                {
                    int end = text.IndexOf(c, _position + 1);
                    if (end < 0) break;
                    _position = end;
                }
            }
            string raw = text[start.._position].Trim();
            if (raw.Length == 0) throw Malformed("a value");
            return new RawValue(raw);
        }

        private char? Peek()
        {
            SkipWhitespace();
            return _position < text.Length ? text[_position] : null;
        }

        private bool TryConsume(char c)
        {
            if (Peek() != c) return false;
            _position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c)) throw Malformed($"'{c}'");
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position])) _position++;
        }
    }
}
