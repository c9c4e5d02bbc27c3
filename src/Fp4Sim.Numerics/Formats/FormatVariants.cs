namespace Fp4Sim.Numerics.Formats;

/// <summary>
/// Option variants of the catalogue that exercise every rule of the core — each specials policy on other widths,
/// subnormals off, biases far from the default, the narrowest and widest fields, small and unsigned integers: the formats that
/// <c>fp4sim gpu check</c> and the test suites sweep next to the catalogue.
/// </summary>
public static class FormatVariants
{
    /// <summary>The variants' spellings.</summary>
    public static IReadOnlyList<string> Specs { get; } =
    [
        "e3m2:subnormals=off", "e2m1:subnormals=off", "e3m0:subnormals=off", "e4m3:specials=none", "e5m2:specials=fnuz",
        "e4m3:specials=fn:bias=9", "e4m3:bias=130", "e5m2:bias=140", "e1m6:specials=none", "e6m1", "e2m5:specials=none",
        "int2", "int6", "uint1", "uint8", "uint16", "e5m2:bias=16", "e5m3:specials=fn", "e4m3b11fnuz:subnormals=off",
    ];

    /// <summary>The catalogue, then the variants, of at most <paramref name="maxBits"/> bits each.</summary>
    public static IEnumerable<FormatInfo> WithCatalogueUpTo(int maxBits) =>
        KnownFormats.All.Concat(Specs.Select(FormatSpec.Parse)).Where(f => f.TotalBits <= maxBits);
}
