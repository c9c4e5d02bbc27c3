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

    private static string Line(TrainingRecord r) => string.Join(',',
        r.Step.ToString(CultureInfo.InvariantCulture),
        r.TrainLoss.ToString("R", CultureInfo.InvariantCulture),
        r.ValidationLoss?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        r.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        r.Seconds.ToString("F3", CultureInfo.InvariantCulture));
}
