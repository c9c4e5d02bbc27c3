using System.Globalization;
using System.Text;

namespace Fp4Sim.Training.Quartet;

/// <summary>Prints the Table 2 reproduction: measured next to published.</summary>
public static class GaussianReport
{
    /// <summary>A fixed-width table, the Table's three rows first, then the QuEST scale conventions.</summary>
    public static string Format(IReadOnlyList<GaussianRow> rows, int samples)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Quartet Table 2 on {(samples + 31) / 32 * 32:N0} N(0, 1) samples (groups of 32); ")
            .Append("MSE / σ², misalignment 1 − E[<Q(x), x> / <x, x>]\n");
        text.Append($"{"quantizer",-46} {"MSE",10} {"published",10} {"misalign",10} {"published",10}\n");
        foreach (GaussianRow r in rows)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Name,-46} {r.Mse,10:0.000e+0} {Published(r.PublishedMse),10} {r.Misalignment,10:0.000e+0} " +
                $"{Published(r.PublishedMisalignment),10}\n");
        return text.ToString();
    }

    private static string Published(double? value) =>
        value is null ? "" : value.Value == 0 ? "0" : value.Value.ToString("0.00e+0", CultureInfo.InvariantCulture);
}
