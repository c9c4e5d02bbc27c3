using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli.Commands;

/// <summary>The options several verbs share: --format, --rounding, --overflow.</summary>
internal static class CommonOptions
{
    public static FormatInfo Format(ArgumentReader args) => FormatSpec.Parse(args.Required("format"));

    public static RoundingContext Rounding(ArgumentReader args) => new(
        RoundingNames.ParseMode(args.Optional("rounding") ?? "rne"),
        RoundingNames.ParseOverflow(args.Optional("overflow") ?? "saturate"));
}
