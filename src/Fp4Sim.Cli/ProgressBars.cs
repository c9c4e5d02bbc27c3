using Fp4Sim.Quantization.Pipeline;
using Spectre.Console;

namespace Fp4Sim.Cli;

/// <summary>
/// Progress of the LLM-FP4 pipeline on stderr: a Spectre.Console status line with the stage and the step counts when
/// stderr is a terminal; otherwise one plain line per stage (and none per step), so logs stay readable.
/// </summary>
internal static class ProgressBars
{
    public static void Run(Action<IProgressSink> work, TextWriter stderr)
    {
        if (!StageProgress.IsTerminal(stderr)) { work(new PlainProgress(stderr)); return; }
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Status().Spinner(Spinner.Known.Dots).Start("starting", ctx => work(new StatusProgress(ctx)));
    }

    private sealed class PlainProgress(TextWriter stderr) : IProgressSink
    {
        private readonly ProgressLine _line = new(stderr);
        private DateTime _lastStep = DateTime.MinValue;

        public void Stage(string description) => _line.Write(description);

        /// <summary>Steps are written at most every 10 seconds, so a log shows where a long stage is without flooding.</summary>
        public void Step(string item, int done, int total)
        {
            if (DateTime.UtcNow - _lastStep < TimeSpan.FromSeconds(10)) return;
            _lastStep = DateTime.UtcNow;
            _line.Write($"  {item} ({done}/{total})");
        }
    }

    private sealed class StatusProgress(StatusContext context) : IProgressSink
    {
        private string _stage = "";

        public void Stage(string description) { _stage = description; context.Status(Markup.Escape(description)); }

        public void Step(string item, int done, int total) => context.Status(Markup.Escape($"{_stage} — {item} ({done}/{total})"));
    }
}
