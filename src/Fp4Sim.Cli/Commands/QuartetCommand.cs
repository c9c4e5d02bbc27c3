using System.Globalization;
using System.Text;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Training.Quartet;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim quartet quantize|table2|train</c>: Quartet's MXFP4 quantizers on stdin groups, the Gaussian Table 2
/// reproduction, and the small training run in three settings.
/// </summary>
public static class QuartetCommand
{
    /// <summary>Runs the action; returns the exit code.</summary>
    public static int Run(string action, string[] argv, TextReader stdin, TextWriter stdout, TextWriter stderr) => action switch
    {
        "quantize" => Quantize(argv, stdin, stdout),
        "table2" => Table2(argv, stdout),
        _ => QuartetTrainCommand.Run(argv, stdout, stderr),
    };

    /// <summary>
    /// One float32 per stdin line, in groups of 32, streamed (one group in memory); one output line per group:
    /// <c>0x&lt;E8M0&gt; 0x&lt;e0&gt; … 0x&lt;e31&gt; 0x&lt;mask&gt;</c>, mask bit i set when element i was kept.
    /// </summary>
    private static int Quantize(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("quartet quantize", argv, "method", "hadamard", "signs", "seed");
        QuartetMethod method = QuartetNames.ParseMethod(args.Required("method"));
        HadamardKind kind = QuartetNames.ParseRotation(args.Optional("hadamard") ?? "none");
        SignPlacement placement = QuartetNames.ParsePlacement(args.Optional("signs") ?? "before");
        var stream = new GroupStream(method, kind, placement, args.Unsigned("seed", 0));
        var group = new float[QuartetQuantizer.GroupSize];
        var line = new StringBuilder();
        ulong lineNumber = 0;
        int filled = 0;
        for (string? text; (text = stdin.ReadLine()) != null;)
        {
            float v = FloatInput.ParseLine(text, ++lineNumber);
            if (!float.IsFinite(v))
                throw new CliException($"quartet quantize: line {lineNumber}: {text.Trim()} is not finite (MXFP4 has no code for NaN or infinity)");
            group[filled++] = v;
            if (filled < group.Length) continue;
            filled = 0;
            QuartetGroup q = stream.Next(group);
            line.Clear().Append(CodeText.Format(q.Scale, CodeText.Digits(KnownFormats.E8M0)));
            foreach (byte e in q.Elements) line.Append(' ').Append(CodeText.Format(e, CodeText.Digits(KnownFormats.E2M1)));
            stdout.Write(line.Append(' ').Append(CodeText.Format(q.Mask, 8)).Append('\n').ToString());
        }
        if (filled != 0)
            throw new CliException($"quartet quantize: {lineNumber} values leave a short last group of {filled} (groups hold {group.Length})");
        stdout.Flush();
        return 0;
    }

    private static int Table2(string[] argv, TextWriter stdout)
    {
        var args = new ArgumentReader("quartet table2", argv, "samples", "seed");
        int samples = (int)args.Integer("samples", GaussianTable.DefaultSamples, 32, 1 << 28, "an integer from 32 to 268435456");
        IReadOnlyList<GaussianRow> rows = GaussianTable.Measure(samples, args.Unsigned("seed", 0));
        stdout.Write(GaussianReport.Format(rows, samples));
        stdout.Flush();
        return 0;
    }
}
