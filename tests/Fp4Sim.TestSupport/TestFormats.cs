using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.TestSupport;

/// <summary>The formats the suites sweep: the catalogue plus option variants that exercise every rule.</summary>
public static class TestFormats
{
    /// <summary>Every tested format of at most <paramref name="maxBits"/> bits.</summary>
    public static IEnumerable<FormatInfo> UpTo(int maxBits) => FormatVariants.WithCatalogueUpTo(maxBits);

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
