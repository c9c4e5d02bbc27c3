using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Spectre.Console;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim formats</c>: every named format as a table — the catalogue, then the generic integers an alias names
/// (int16, uint8, …) — with its limits as exact decimals and its aliases (ml_dtypes, PyTorch, ONNX spellings). Redirected
/// output is plain text for scripts: a header line, then one format per line, whitespace-separated columns with no spaces
/// inside a cell (aliases comma-separated, <c>-</c> for none). A terminal gets a Spectre table.
/// </summary>
public static class FormatsCommand
{
    /// <summary>Column headers (single words, so the plain table splits on whitespace).</summary>
    public static IReadOnlyList<string> Headers { get; } =
        ["name", "bits", "E", "M", "bias", "specials", "subnormals", "max", "min_normal", "min_subnormal", "aliases"];

    /// <summary>The formats listed: the catalogue, then the generic integers that aliases name.</summary>
    public static IReadOnlyList<FormatInfo> Listed { get; } = [.. KnownFormats.All, .. FormatAliases.GenericTargets];

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, bool terminal)
    {
        _ = new ArgumentReader("formats", argv); // no options: anything given is an error
        List<string[]> rows = Listed.Select(Row).ToList();
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
        f.IsInteger ? (f.IsSigned ? "int" : "uint") : f.Specials.ToString().ToLowerInvariant(),
        HasSubnormals(f) ? "yes" : "no",
        Value(CodeSpace.MaxFinite(f)),
        Value(CodeSpace.MinNormal(f)),
        Value(CodeSpace.MinSubnormal(f)),
        FormatAliases.Of(f) is { Count: > 0 } aliases ? string.Join(',', aliases) : "-",
    ];

    /// <summary>The exact decimal expansion, never exponent notation (0.0000152587890625, 340282346638528859811704183484516925440).</summary>
    public static string Value(double v) => ExactDecimal.Format(v);

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
            // Names stay whole in a narrow window; numbers align right; aliases are a left-aligned list, one per line.
            table.AddColumn(c == 0 ? column.NoWrap() : c == Headers.Count - 1 ? column.LeftAligned() : column.RightAligned());
        }
        foreach (string[] row in rows)
            table.AddRow(row.Select((cell, c) => Markup.Escape(c == row.Length - 1 ? cell.Replace(',', '\n') : cell)).ToArray());
        console.Write(table);
    }
}
