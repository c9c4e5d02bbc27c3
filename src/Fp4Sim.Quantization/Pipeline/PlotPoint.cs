using System.Globalization;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>
/// One bar of the results chart: a method at a bit setting, its spam accuracy and mean cosine to float32. The chart
/// is drawn by the tool (fp4sim); the library only says what to draw, from a run or from its <c>results.csv</c>.
/// </summary>
public sealed record PlotPoint(QuantizationMethod Method, BitSetting Bits, double Accuracy, double Cosine)
{
    /// <summary>The points of a run's results, in their order.</summary>
    public static IReadOnlyList<PlotPoint> From(IReadOnlyList<MethodResult> results) =>
        results.Select(r => new PlotPoint(r.Method, r.Bits, r.Accuracy, r.MeanCosine)).ToArray();

    /// <summary>
    /// The summary rows (layer <c>model</c>) of a <c>results.csv</c> written by <see cref="ResultsReport.Csv"/>, so a
    /// finished run, or several merged, can be charted again; per-layer rows are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">Another header, or a summary row that does not parse (naming the line).</exception>
    public static IReadOnlyList<PlotPoint> ReadCsv(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        const string Start = "method,bits,layer,spam_accuracy,cosine_mean,";
        if (reader.ReadLine() is not { } header || !header.StartsWith(Start, StringComparison.Ordinal))
            throw new InvalidDataException($"line 1: expected the header of results.csv ('{Start}…')");
        var points = new List<PlotPoint>();
        int number = 1;
        for (string? line; (line = reader.ReadLine()) != null;)
        {
            number++;
            string[] f = line.Split(',');
            if (line.Length == 0 || (f.Length > 2 && f[2] != "model")) continue;
            CultureInfo c = CultureInfo.InvariantCulture;
            if (f.Length < 5 || MethodNames.Parse(f[0]) is not { } method || BitSetting.Parse(f[1], out _) is not { } bits
                || !double.TryParse(f[3], NumberStyles.Float, c, out double accuracy)
                || !double.TryParse(f[4], NumberStyles.Float, c, out double cosine))
                throw new InvalidDataException($"line {number}: expected method,bits,model,spam_accuracy,cosine_mean,…, got '{line}'");
            points.Add(new PlotPoint(method, bits, accuracy, cosine));
        }
        return points;
    }
}
