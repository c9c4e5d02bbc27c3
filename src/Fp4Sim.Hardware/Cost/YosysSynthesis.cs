using System.Globalization;
using System.Text.RegularExpressions;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Hardware.Cost;

/// <summary>What one yosys run measured.</summary>
/// <param name="Module">The top module.</param>
/// <param name="Cells">Cell count per gate-library cell.</param>
/// <param name="AreaGe">Total area in NAND2 equivalents (yosys <c>stat -liberty</c>), flip-flops included.</param>
/// <param name="Transistors">Σ cells × <see cref="GateLibrary.Transistors"/>, flip-flops included.</param>
/// <param name="FlipFlops">Number of DFF cells.</param>
/// <param name="Depth">Cells on the longest combinational path (<c>ltp -noff</c>, flip-flops cut the paths).</param>
/// <param name="FastAbc">Whether the run used <c>abc -fast</c> (large design, or the full script timed out).</param>
public sealed record SynthesisResult(string Module, IReadOnlyDictionary<string, int> Cells, double AreaGe, long Transistors,
    int FlipFlops, int Depth, bool FastAbc)
{
    /// <summary>Total number of cells.</summary>
    public int CellCount => Cells.Values.Sum();
}

/// <summary>A synthesis that could not run or finish; the message is one line meant for the user.</summary>
public sealed class SynthesisException(string message) : Exception(message);

/// <summary>
/// Synthesizes Verilog with yosys in a fresh process and a fixed script (docs/cost.md): read the gate library
/// (cells only) and the files; <c>synth -flatten -top T</c>; <c>dfflegalize</c> to plain rising-edge DFFs (enable
/// and synchronous reset become logic); <c>abc -liberty</c> maps the logic; <c>opt_clean</c>; <c>ltp -noff</c>
/// (depth; DFFs are still yosys cells here, so paths stop at them); <c>dfflibmap -liberty</c> maps the DFFs;
/// <c>opt_clean</c>; <c>stat -liberty</c>. ABC runs its default script unless the design is large (analytic
/// estimate above <see cref="FastAbcAboveGe"/>) or the full script exceeds <see cref="FullAbcTimeout"/>; then
/// <c>abc -fast</c> (seconds instead of minutes, but 20–35 % more area on the 32-lane mx_dot units, so results
/// from it are flagged and the tolerance test would not accept them: every default unit, the largest being
/// mx_dot mxfp8 at ~24 k GE and ~45 s on two cores, runs the full script).
/// </summary>
public static partial class YosysSynthesis
{
    /// <summary>Analytic estimate above which <c>abc -fast</c> is used from the start.</summary>
    public const double FastAbcAboveGe = 50_000;

    /// <summary>How long the full ABC script may run before the run is repeated with <c>abc -fast</c>.</summary>
    public static readonly TimeSpan FullAbcTimeout = TimeSpan.FromSeconds(180);

    /// <summary>The limit for a run with <c>abc -fast</c>.</summary>
    public static readonly TimeSpan FastAbcTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The Debian package that provides yosys.</summary>
    public const string Package = "yosys";

    /// <summary>The yosys executable on PATH; throws <see cref="SynthesisException"/> naming the package when missing.</summary>
    public static string FindYosys() => FindYosys(Environment.GetEnvironmentVariable("PATH") ?? "");

    /// <summary>The yosys executable in <paramref name="searchPath"/> (PATH syntax); throws <see cref="SynthesisException"/> when missing.</summary>
    public static string FindYosys(string searchPath) =>
        ExternalTool.Find("yosys", searchPath) ?? throw new SynthesisException(ExternalTool.NotFound("yosys", Package));

    /// <summary>The synthesis script for <paramref name="top"/> read from <paramref name="files"/>.</summary>
    public static string Script(string top, IEnumerable<string> files, string liberty, bool fastAbc)
    {
        string abc = fastAbc ? "abc -fast" : "abc";
        return string.Join('\n',
            $"read_liberty -lib {liberty}",
            $"read_verilog {string.Join(' ', files)}",
            $"synth -flatten -top {top}",
            "dfflegalize -cell $_DFF_P_ x",
            $"{abc} -liberty {liberty}",
            "opt_clean",
            "tee -o ltp.txt ltp -noff",
            $"dfflibmap -liberty {liberty}",
            "opt_clean",
            $"tee -o stat.txt stat -liberty {liberty}") + "\n";
    }

    /// <summary>
    /// Synthesizes a unit's Verilog (its testbench is not part of <see cref="IRtlUnit.Generate"/>);
    /// <paramref name="fullAbcTimeout"/> overrides <see cref="FullAbcTimeout"/> (a loaded machine may need longer).
    /// </summary>
    public static SynthesisResult Synthesize(IRtlUnit unit, TimeSpan? fullAbcTimeout = null)
    {
        bool large = unit is ICostedUnit costed && costed.EstimateCost().TotalGe > FastAbcAboveGe;
        return Synthesize(unit.Generate(), unit.ModuleName, large, fullAbcTimeout);
    }

    /// <summary>Synthesizes <paramref name="files"/> with top module <paramref name="top"/>.</summary>
    public static SynthesisResult Synthesize(IReadOnlyList<(string File, string Text)> files, string top, bool fastAbc = false,
        TimeSpan? fullAbcTimeout = null)
    {
        string yosys = FindYosys();
        string dir = Temporaries.CreateFolder("fp4sim-yosys-");
        try
        {
            File.WriteAllText(Path.Combine(dir, "gates.lib"), GateLibrary.Liberty);
            foreach ((string file, string text) in files) File.WriteAllText(Path.Combine(dir, file), text);
            if (!fastAbc && Run(yosys, dir, top, files, fastAbc: false, fullAbcTimeout ?? FullAbcTimeout) is { } full) return full;
            return Run(yosys, dir, top, files, fastAbc: true, FastAbcTimeout)
                ?? throw new SynthesisException($"yosys: synthesis of {top} ran longer than {FastAbcTimeout.TotalSeconds:0} s even with abc -fast");
        }
        finally
        {
            Temporaries.DeleteFolder(dir);
        }
    }

    /// <summary>One run; null when it timed out.</summary>
    private static SynthesisResult? Run(string yosys, string dir, string top, IReadOnlyList<(string File, string Text)> files, bool fastAbc,
        TimeSpan timeout)
    {
        File.WriteAllText(Path.Combine(dir, "synth.ys"), Script(top, files.Select(f => f.File), "gates.lib", fastAbc));
        if (ExternalTool.Run(yosys, dir, timeout, ["-q", "-s", "synth.ys"]) is not { } run) return null;
        if (run.ExitCode != 0)
        {
            string detail = (run.Stderr + run.Stdout).Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
            throw new SynthesisException($"yosys failed on {top} (exit {run.ExitCode}): {detail}");
        }
        return Parse(top, File.ReadAllText(Path.Combine(dir, "stat.txt")), File.ReadAllText(Path.Combine(dir, "ltp.txt")), fastAbc);
    }

    /// <summary>Reads <c>stat -liberty</c> and <c>ltp</c> output.</summary>
    public static SynthesisResult Parse(string top, string stat, string ltp, bool fastAbc)
    {
        var cells = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match m in CellLine().Matches(stat))
        {
            string cell = m.Groups[1].Value;
            if (!GateLibrary.Transistors.ContainsKey(cell))
                throw new SynthesisException($"yosys left cell '{cell}' of {top} unmapped to the gate library");
            cells[cell] = cells.GetValueOrDefault(cell) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        Match area = ChipArea().Match(stat);
        Match depth = LongestPath().Match(ltp);
        if (!area.Success || !depth.Success) throw new SynthesisException($"yosys printed no area or no longest path for {top}");
        long transistors = cells.Sum(kv => (long)kv.Value * GateLibrary.Transistors[kv.Key]);
        return new SynthesisResult(top, cells, double.Parse(area.Groups[1].Value, CultureInfo.InvariantCulture), transistors,
            cells.GetValueOrDefault(GateLibrary.FlipFlop), int.Parse(depth.Groups[1].Value, CultureInfo.InvariantCulture), fastAbc);
    }

    [GeneratedRegex(@"^\s+([A-Za-z_$\\][\w$\\]*)\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CellLine();

    [GeneratedRegex(@"Chip area for module '[^']*':\s*([0-9.]+)")]
    private static partial Regex ChipArea();

    [GeneratedRegex(@"\(length=(\d+)\)")]
    private static partial Regex LongestPath();
}
