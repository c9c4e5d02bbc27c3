using System.Globalization;
using System.Text;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// The header of a .npy file: the preamble (magic, version, little-endian header length: 2 bytes in version 1.0,
/// 4 in 2.0 and 3.0) and the Python dict literal <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>Magic (6) + version (2) + little-endian header length (2 in version 1.0).</summary>
    internal const int PreambleLength = 10;

    /// <summary>Version 2.0 and 3.0 preamble: the header length takes 4 bytes.</summary>
    internal const int WidePreambleLength = 12;

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
        ("<f2", typeof(Half), 2),
        ("<f8", typeof(double), 8),
        ("|u1", typeof(byte), 1),
        ("<u2", typeof(ushort), 2),
        ("<u4", typeof(uint), 4),
        ("<i4", typeof(int), 4),
    ];

    /// <summary>The supported descriptors, for error messages.</summary>
    internal const string SupportedDtypes = "<f4, <f2, <f8, |u1, <u2, <u4 or <i4";

    /// <summary>\x93NUMPY.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The descriptor of element type <paramref name="type"/>, or null when unsupported.</summary>
    internal static string? DescrOf(Type type) => Array.Find(Dtypes, d => d.Type == type).Descr;

    /// <summary>The element type of <paramref name="descr"/>, or null when unsupported.</summary>
    internal static Type? TypeOf(string descr) => Array.Find(Dtypes, d => d.Descr == descr).Type;

    /// <summary>
    /// The element type of a header this library can read — a supported dtype in C order — or an
    /// <see cref="InvalidDataException"/> whose message starts with <paramref name="source"/>.
    /// </summary>
    internal Type SupportedElementType(string source)
    {
        Type type = TypeOf(Descr)
            ?? throw new InvalidDataException($"{source}: dtype '{Printable(Descr)}' is not supported (expected {SupportedDtypes})");
        if (FortranOrder) throw new InvalidDataException($"{source}: fortran_order True is not supported (only C order)");
        return type;
    }

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
    /// <remarks>Version 1.0 when the header fits its 16-bit length, else 2.0 (numpy's rule).</remarks>
    internal byte[] Encode()
    {
        string text = DictText;
        if (Shape.Length > 0)
        {
            int firstAxisDigits = Shape[FortranOrder ? ^1 : 0].ToString(CultureInfo.InvariantCulture).Length;
            text += new string(' ', GrowthAxisMaxDigits - firstAxisDigits);
        }
        int lengthWithNewline = text.Length + 1;
        int preamble = PreambleLength;
        int headerLength = Padded(lengthWithNewline, preamble);
        if (headerLength > ushort.MaxValue)
        {
            preamble = WidePreambleLength;
            headerLength = Padded(lengthWithNewline, preamble);
        }

        byte[] bytes = new byte[preamble + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)(preamble == PreambleLength ? 1 : 2); // major version
        bytes[7] = 0; // minor version
        for (int i = 0; i < preamble - 8; i++) bytes[8 + i] = (byte)(headerLength >> (8 * i));
        Encoding.ASCII.GetBytes(text, bytes.AsSpan(preamble));
        bytes.AsSpan(preamble + text.Length, headerLength - text.Length - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>The header length after padding: spaces and a final '\n' up to the next multiple of 64.</summary>
    private static int Padded(int lengthWithNewline, int preamble) =>
        lengthWithNewline + ArrayAlign - (preamble + lengthWithNewline) % ArrayAlign;

    /// <summary>
    /// Parses the header dict. Accepts what Python's literal syntax allows for these three keys (any key order,
    /// either quote, optional trailing comma, any whitespace) and nothing else.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// Malformed, wrong keys, or a value of the wrong kind; the message starts with <paramref name="source"/>.
    /// </exception>
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
