using System.Globalization;

namespace Fp4Sim.Training.Train;

/// <summary>Training records as CSV: <c>step,train_loss,val_loss,lr,seconds</c>, invariant culture, empty val_loss off evaluation steps.</summary>
public static class TrainingLog
{
    /// <summary>The header line.</summary>
    public const string Header = "step,train_loss,val_loss,lr,seconds";

    /// <summary>Writes the header and one line per record (losses and rate round-trip, seconds to the millisecond).</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<TrainingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        writer.Write(Header + "\n");
        foreach (TrainingRecord r in records) writer.Write(Line(r) + "\n");
    }

    /// <summary>Writes the CSV to <paramref name="path"/>.</summary>
    public static void WriteCsv(string path, IEnumerable<TrainingRecord> records)
    {
        using var writer = new StreamWriter(path);
        WriteCsv(writer, records);
    }

    /// <summary>The CSV as a string.</summary>
    public static string ToCsv(IEnumerable<TrainingRecord> records)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer, records);
        return writer.ToString();
    }

    /// <summary>
    /// Reads a CSV written by <see cref="WriteCsv(TextWriter, IEnumerable{TrainingRecord})"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Another header, or a line that is not five fields of numbers (naming the line).</exception>
    public static IReadOnlyList<TrainingRecord> ReadCsv(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        if (header != Header) throw new InvalidDataException($"line 1: expected the header '{Header}'");
        var records = new List<TrainingRecord>();
        int number = 1;
        for (string? line; (line = reader.ReadLine()) != null;)
        {
            number++;
            if (line.Length == 0) continue;
            string[] f = line.Split(',');
            const NumberStyles Float = NumberStyles.Float;
            CultureInfo c = CultureInfo.InvariantCulture;
            if (f.Length != 5 || !int.TryParse(f[0], NumberStyles.None, c, out int step) || !double.TryParse(f[1], Float, c, out double train)
                || !(f[2].Length == 0 || double.TryParse(f[2], Float, c, out _)) || !double.TryParse(f[3], Float, c, out double lr)
                || !double.TryParse(f[4], Float, c, out double seconds))
                throw new InvalidDataException($"line {number}: expected step,train_loss,val_loss,lr,seconds, got '{line}'");
            double? validation = f[2].Length == 0 ? null : double.Parse(f[2], Float, c);
            records.Add(new TrainingRecord(step, train, validation, lr, seconds));
        }
        return records;
    }

    private static string Line(TrainingRecord r) => string.Join(',',
        r.Step.ToString(CultureInfo.InvariantCulture),
        r.TrainLoss.ToString("R", CultureInfo.InvariantCulture),
        r.ValidationLoss?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        r.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        r.Seconds.ToString("F3", CultureInfo.InvariantCulture));
}
