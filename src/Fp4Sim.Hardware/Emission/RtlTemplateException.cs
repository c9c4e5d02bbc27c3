namespace Fp4Sim.Hardware;

/// <summary>
/// A Verilog template (<c>rtl-templates/*.v.sbn</c>) failed to parse or to render: a syntax error, or a variable or
/// member the model does not have. The message is one line that starts with the template's file and 1-based line and
/// column, for example <c>rtl-templates/fp_mul.v.sbn:12:20: the variable or function `w_msbb` was not found</c>. A shipped
/// template that fails is a bug in this program, not in its input. Scriban's exception is kept as
/// <see cref="Exception.InnerException"/> where there is one.
/// </summary>
public sealed class RtlTemplateException : Exception
{
    /// <summary>Reports <paramref name="problem"/> at <paramref name="line"/>:<paramref name="column"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The template, as a path from the repository root (<c>rtl-templates/NAME</c>).</param>
    /// <param name="line">The 1-based line of the problem.</param>
    /// <param name="column">The 1-based column of the problem.</param>
    /// <param name="problem">What is wrong, as a clause without the location.</param>
    /// <param name="innerException">Scriban's exception, if any.</param>
    public RtlTemplateException(string file, int line, int column, string problem, Exception? innerException = null)
        : base($"{file}:{line}:{column}: {problem}".ReplaceLineEndings(" "), innerException)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The template, as a path from the repository root (<c>rtl-templates/NAME</c>).</summary>
    public string File { get; }

    /// <summary>The 1-based line of the (first) problem.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the (first) problem.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
