using System.Numerics;

namespace Fp4Sim.Hardware;

/// <summary>
/// A unit's golden vectors before they are made: their <see cref="VectorLayout"/>, their <see cref="Count"/>, and the
/// generator that produces them in order, one row at a time. Writers stream the rows to a file in chunks, so memory
/// does not grow with the count; the testbench and the manifest only need the layout and the count. Every run of
/// <see cref="Generate"/> produces the same rows (the random parts restart from the seed).
/// </summary>
public sealed class VectorSource
{
    private readonly Action<Action<BigInteger[]>> _generate;

    /// <summary>
    /// <paramref name="generate"/> hands each of <paramref name="count"/> rows (one value per field of
    /// <paramref name="layout"/>, in field order) to the callback it is given, in order.
    /// </summary>
    public VectorSource(VectorLayout layout, int count, Action<Action<BigInteger[]>> generate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Layout = layout;
        Count = count;
        _generate = generate;
    }

    /// <summary>The fields, seed and description of the vectors.</summary>
    public VectorLayout Layout { get; }

    /// <summary>Number of vectors.</summary>
    public int Count { get; }

    /// <summary>
    /// Hands every row to <paramref name="row"/>, in order; each row is a fresh array the callback may keep.
    /// </summary>
    /// <exception cref="InvalidOperationException">The generator produced a number of rows other than <see cref="Count"/>.</exception>
    public void Generate(Action<BigInteger[]> row)
    {
        int produced = 0;
        _generate(values =>
        {
            Layout.CheckRow(values);
            if (produced++ >= Count) throw new InvalidOperationException($"{Layout.Module}: the generator produced more than {Count} vectors");
            row(values);
        });
        if (produced != Count) throw new InvalidOperationException($"{Layout.Module}: the generator produced {produced} vectors, not {Count}");
    }

    /// <summary>
    /// Writes the <c>$readmemh</c> text (one line per vector) to <paramref name="writer"/> as the rows are made, then
    /// the count line (<see cref="VectorLayout.CountLine"/>).
    /// </summary>
    public void WriteHex(TextWriter writer)
    {
        var line = new char[Layout.HexDigits + 1];
        Generate(row => writer.Write(line, 0, Layout.WriteLine(row, line)));
        writer.Write(VectorLayout.CountLine(Count));
    }

    /// <summary>Every vector, in memory (for tests and small sets; writers stream instead).</summary>
    public VectorSet ToSet()
    {
        var set = new VectorSet(Layout);
        Generate(set.Add);
        return set;
    }
}
