using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Tests.Support;

/// <summary>The formats the suites sweep: the catalogue plus option variants that exercise every rule.</summary>
public static class TestFormats
{
    private static readonly string[] Variants =
    [
        "e4m3:specials=none", "e4m3:specials=ieee", "e3m2:subnormals=off", "e2m1:subnormals=off", "e5m2:bias=16",
        "e3m4", "e2m5:specials=none", "e5m2:specials=fnuz", "e3m0:subnormals=off", "e4m3:specials=fn:bias=9",
        "e6m1", "e5m3:specials=fn", "e1m6:specials=none", "e4m3:bias=130", "e5m2:bias=140",
    ];

    /// <summary>Every tested format of at most <paramref name="maxBits"/> bits.</summary>
    public static IEnumerable<FormatInfo> UpTo(int maxBits) =>
        KnownFormats.All.Concat(Variants.Select(FormatSpec.Parse)).Where(f => f.TotalBits <= maxBits);

    /// <summary>xunit member data: format spec names of at most <paramref name="maxBits"/> bits.</summary>
    public static TheoryData<string> Names(int maxBits)
    {
        var data = new TheoryData<string>();
        foreach (FormatInfo f in UpTo(maxBits)) data.Add(f.Name);
        return data;
    }

    public static TheoryData<string> Small => Names(8);
    public static TheoryData<string> UpTo16 => Names(16);
    public static TheoryData<string> AllFormats => Names(32);
}
