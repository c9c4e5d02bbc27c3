using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli.Commands;

/// <summary>The options several verbs share: --format, --rounding, --overflow.</summary>
internal static class CommonOptions
{
    public static FormatInfo Format(ArgumentReader args) => FormatSpec.Parse(args.Required("format"));

    /// <summary>
    /// --rounding, --overflow and --convention (where the verb declares it): a convention brings its library's defaults
    /// for the two others (ml_dtypes and gfloat: rne, ieee; microxcaling: rna, saturate); a combination the library does
    /// not have is refused here, naming the verb.
    /// </summary>
    public static RoundingContext Rounding(ArgumentReader args, string verb, FormatInfo? format = null)
    {
        CastConvention convention = args.Optional("convention") is { } name ? CastConventions.Parse(name) : CastConvention.Fp4Sim;
        RoundingContext defaults = CastConventions.Defaults(convention);
        var ctx = new RoundingContext(
            args.Optional("rounding") is { } mode ? RoundingNames.ParseMode(mode) : defaults.Mode,
            args.Optional("overflow") is { } overflow ? RoundingNames.ParseOverflow(overflow) : defaults.Overflow,
            0,
            convention);
        if (format is not null && CastConventions.Unsupported(format, ctx) is { } why)
            throw new CliException($"{verb}: --convention {CastConventions.Name(convention)}: {why}");
        return ctx;
    }
}
