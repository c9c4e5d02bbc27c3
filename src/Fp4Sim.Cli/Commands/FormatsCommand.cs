using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Spectre.Console;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim formats</c>: the catalogue as a table. Redirected output is plain text for scripts: a header line, then one
/// format per line, whitespace-separated columns with no spaces inside a cell. A terminal gets a Spectre table.
/// </summary>
public static class FormatsCommand
{
    /// <summary>Column headers (single words, so the plain table splits on whitespace).</summary>
    public static IReadOnlyList<string> Headers { get; } =
        ["name", "bits", "E", "M", "bias", "specials", "subnormals", "max", "min_normal", "min_subnormal"];

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, bool terminal)
    {
        _ = new ArgumentReader("formats", argv); // no options: anything given is an error
        List<string[]> rows = KnownFormats.All.Select(Row).ToList();
        if (terminal) WriteRich(rows, stdout);
        else WritePlain(rows, stdout);
        stdout.Flush();
        return 0;
    }

    /// <summary>The cells of one format's row.</summary>
    public static string[] Row(FormatInfo f) =>
    [
        f.Name,
        Integer(f.TotalBits),
        Integer(f.ExponentBits),
        Integer(f.MantissaBits),
        Integer(f.Bias),
        f.IsInteger ? "int" : f.Specials.ToString().ToLowerInvariant(),
        HasSubnormals(f) ? "yes" : "no",
        Value(CodeSpace.MaxFinite(f)),
        Value(CodeSpace.MinNormal(f)),
        Value(CodeSpace.MinSubnormal(f)),
    ];

    /// <summary>Exact decimal when it is short (448, 0.015625), else round-trip "R" (1.52587890625E-05).</summary>
    public static string Value(double v)
    {
        string exact = ExactDecimal.Format(v);
        return exact.Length <= 16 ? exact : v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether subnormal codes exist (an M = 0 format such as e3m0 has none even with the flag on).</summary>
    public static bool HasSubnormals(FormatInfo f) => !f.IsInteger && f.Subnormals && f.HasZero && f.MantissaBits > 0;

    private static int? WindowWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : null; }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException) { return null; }
    }

    private static string Integer(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static void WritePlain(List<string[]> rows, TextWriter stdout)
    {
        int[] widths = Headers.Select((h, c) => rows.Max(r => r[c].Length)).ToArray();
        for (int c = 0; c < widths.Length; c++) widths[c] = Math.Max(widths[c], Headers[c].Length);
        foreach (IReadOnlyList<string> cells in rows.Prepend(Headers.ToArray()))
        {
            var line = string.Join("  ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])));
            stdout.Write(line.TrimEnd() + "\n");
        }
    }

    private static void WriteRich(List<string[]> rows, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        console.Profile.Width = WindowWidth() ?? 200; // without a window, wide enough not to wrap cells
        var table = new Table().RoundedBorder();
        for (int c = 0; c < Headers.Count; c++)
        {
            var column = new TableColumn(Headers[c].Replace('_', ' '));
            table.AddColumn(c == 0 ? column.NoWrap() : column.RightAligned()); // names stay whole in a narrow window
        }
        foreach (string[] row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(table);
    }
}
