using System.Globalization;
using Spectre.Console;

namespace Fp4Sim.Cli;

/// <summary>
/// Shows which stage of a long command is running: a Spectre.Console spinner on stderr when stderr is the terminal, and
/// otherwise one plain line per stage (<see cref="ProgressLine"/>), so logs say where a run is without control
/// characters.
/// </summary>
internal static class StageProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports each new stage through the callback it is given.</summary>
    public static T Run<T>(TextWriter stderr, string firstStage, Func<Action<string>, T> work)
    {
        if (!IsTerminal(stderr))
        {
            var plain = new ProgressLine(stderr);
            plain.Write(firstStage);
            return work(plain.Write);
        }
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Status().Spinner(Spinner.Known.Dots).Start(firstStage, ctx => work(stage => ctx.Status(Markup.Escape(stage))));
    }

    /// <summary>Whether <paramref name="stderr"/> is the process's own stderr and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
}

/// <summary>
/// The plain progress line every long command writes when stderr is not a terminal: <c>[   1.2 s] text</c>, the time
/// since the command started. Error lines start with <c>fp4sim: </c>, so the two never mix up.
/// </summary>
internal sealed class ProgressLine(TextWriter stderr)
{
    private readonly DateTime _start = DateTime.UtcNow;

    /// <summary>Writes one line and flushes it.</summary>
    public void Write(string text)
    {
        stderr.Write(string.Create(CultureInfo.InvariantCulture, $"[{(DateTime.UtcNow - _start).TotalSeconds,6:F1} s] {text}\n"));
        stderr.Flush();
    }
}
