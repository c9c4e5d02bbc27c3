using Spectre.Console;

namespace Fp4Sim.Cli;

/// <summary>
/// Shows which stage of a long command is running, as a Spectre.Console spinner on stderr — only when stderr is a
/// terminal, so pipes, files and tests see no control characters.
/// </summary>
internal static class StageProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports each new stage through the callback it is given.</summary>
    public static T Run<T>(string firstStage, Func<Action<string>, T> work)
    {
        if (Console.IsErrorRedirected) return work(_ => { });
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Status().Spinner(Spinner.Known.Dots).Start(firstStage, ctx => work(stage => ctx.Status(stage)));
    }
}
