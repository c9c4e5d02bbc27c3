namespace Fp4Sim.TestSupport;

/// <summary>
/// A seed derived from a name that is the same in every process (string.GetHashCode is randomized per process, so a
/// "seeded" sweep keyed on it could not be replayed): 32-bit FNV-1a over the UTF-16 code units.
/// </summary>
public static class StableSeed
{
    /// <summary>The FNV-1a hash of <paramref name="name"/>, masked to a non-negative int.</summary>
    public static int Of(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7FFFFFFF);
    }
}
