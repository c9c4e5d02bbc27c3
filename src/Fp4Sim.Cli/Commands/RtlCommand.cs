using Fp4Sim.Hardware;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim rtl generate|vectors|defaults</c>: writes a unit's Verilog and testbench, its golden vectors (with the
/// testbench, the same file for any count), or the committed default set. The output folder is checked before any work (exit 3); each
/// verb's files are published together (an interrupt leaves the old set or the new one) and vectors are streamed, so
/// memory does not grow with <c>--count</c>. Unsupported combinations are bad input (exit 2).
/// </summary>
public static class RtlCommand
{
    /// <summary>Runs <c>rtl &lt;action&gt;</c> with the arguments after the action.</summary>
    public static int Run(string action, string[] argv, TextWriter stdout, TextWriter stderr)
    {
        switch (action)
        {
            case "generate":
            {
                var args = new ArgumentReader("rtl generate", argv, "unit", "format", "acc", "shift-bits", "out");
                IRtlUnit unit = Unit(args);
                string dir = args.Required("out");
                OutputPaths.RequireWritableFolder("rtl generate", dir);
                Report(stdout, RtlFiles.WriteRtl(unit, unit.Vectors(null, RtlFiles.DefaultSeed), dir));
                return 0;
            }
            case "vectors":
            {
                var args = new ArgumentReader("rtl vectors", argv, "unit", "format", "acc", "shift-bits", "count", "seed", "out");
                IRtlUnit unit = Unit(args);
                int? count = args.Optional("count") is null ? null : (int)args.Integer("count", 0, 1, 10_000_000, "a vector count 1..10000000");
                ulong seed = args.Unsigned("seed", RtlFiles.DefaultSeed);
                string dir = args.Required("out");
                OutputPaths.RequireWritableFolder("rtl vectors", dir);
                VectorSource vectors = unit.Vectors(count, seed);
                // Streamed into vectors.hex; the testbench is the one `rtl generate` writes (it reads any count).
                Report(stdout, StageProgress.Run(stderr, $"writing {vectors.Count} vectors of {unit.ModuleName}",
                    _ => RtlFiles.WriteVectors(unit, vectors, dir, testbench: true)));
                stdout.Write($"{vectors.Count} vectors\n");
                return 0;
            }
            default: // "defaults"
            {
                var args = new ArgumentReader("rtl defaults", argv, "out");
                string root = args.Required("out");
                OutputPaths.RequireWritableFolder("rtl defaults", Path.Combine(root, DefaultSetWriter.RtlDirectory));
                OutputPaths.RequireWritableFolder("rtl defaults", Path.Combine(root, DefaultSetWriter.VectorsDirectory));
                var written = StageProgress.Run(stderr, "writing the default units and their vectors", _ => DefaultSetWriter.Write(root));
                foreach ((string module, int count) in written) stdout.Write($"{module}: {count} vectors\n");
                return 0;
            }
        }
    }

    private static IRtlUnit Unit(ArgumentReader args)
    {
        try
        {
            return UnitSpecParser.Parse(args.Required("unit"), args.Required("format"), args.Optional("acc"), ShiftBits(args)).Create();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"rtl: {e.Message}");
        }
    }

    /// <summary>psb_mac's <c>--shift-bits</c> (null when absent: the unit's default).</summary>
    internal static int? ShiftBits(ArgumentReader args) => args.Optional("shift-bits") is null ? null
        : (int)args.Integer("shift-bits", 0, 1, FpMacUnit.MaxShiftBits, $"a shift width 1..{FpMacUnit.MaxShiftBits}");

    private static void Report(TextWriter stdout, IEnumerable<string> files)
    {
        foreach (string f in files) stdout.Write($"wrote {f}\n");
    }
}
