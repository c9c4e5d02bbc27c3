using Fp4Sim.Cli.Charts;
using Fp4Sim.Hardware;
using Fp4Sim.Hardware.Cost;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim cost</c>: the analytic area of one unit or a named set (docs/cost.md), optionally synthesized with
/// yosys (<c>--synth</c>), as a terminal table; <c>--csv</c> writes every row with its block breakdown (the machine
/// interface), <c>--svg</c> the area chart (SVG, or PNG for a <c>.png</c> path). Bad input (a chart path with another
/// extension included): exit 2; an unwritable path, a missing or failing yosys: exit 3.
/// </summary>
public static class CostCommand
{
    /// <summary>Runs <c>cost</c> with the arguments after the verb.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("cost", argv, "unit", "format", "acc", "shift-bits", "set", "!synth", "csv", "svg");
        string? unitKind = args.Optional("unit"), set = args.Optional("set");
        if (unitKind is not null && set is not null) throw new CliException("cost: give --unit or --set, not both");
        if (unitKind is null && (args.Optional("format") ?? args.Optional("acc") ?? args.Optional("shift-bits")) is not null)
            throw new CliException("cost: --format, --acc and --shift-bits need --unit");
        set ??= unitKind is null ? CostSet.Default.Name() : null;
        bool synth = args.Flag("synth");
        string? csv = args.Optional("csv"), svg = args.Optional("svg");
        ChartFormat? chart = svg is null ? null : Chart.FormatOf("cost", svg);
        OutputPaths.RequireWritable("cost", csv, svg);

        ICostedUnit[] units;
        CostSet? costSet = null;
        try
        {
            if (set is not null) costSet = CostSets.Parse(set);
            IReadOnlyList<UnitSpec> specs = costSet is { } named
                ? CostSets.Get(named)
                : [UnitSpecParser.Parse(unitKind!, args.Required("format"), args.Optional("acc"), RtlCommand.ShiftBits(args))];
            units = specs.Select(CostReport.Unit).ToArray();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"cost: {e.Message}");
        }
        if (svg is not null && units.All(u => u is not Fp4Sim.Hardware.FpMacUnit))
            throw new CliException("cost: the area plot (--svg) needs fp_mac units (try --set sweep)");

        CostRow[] rows;
        try
        {
            if (synth) YosysSynthesis.FindYosys();
            rows = StageProgress.Run(stderr, synth ? "synthesizing" : "estimating", stage =>
                units.Select((u, i) =>
                {
                    if (synth) stage($"synthesizing {u.ModuleName} ({i + 1}/{units.Length})");
                    return CostReport.Evaluate(u, synth);
                }).ToArray());
        }
        catch (SynthesisException e)
        {
            throw new EnvironmentException($"cost: {e.Message}"); // a missing or failing yosys: the machine, not the input
        }

        stdout.Write(CostReport.Table(rows));
        if (costSet == CostSet.Table6)
        {
            stdout.Write('\n');
            stdout.Write(CostReport.Table6Comparison(rows));
        }
        var files = new List<OutputFile>();
        if (csv is not null) files.Add(OutputFile.Text(csv, CostReport.Csv(rows)));
        if (svg is not null) files.Add(new OutputFile(svg, AreaChart.Render(rows, chart!.Value)));
        OutputFiles.WriteAll("cost", files, stdout);
        return 0;
    }
}
