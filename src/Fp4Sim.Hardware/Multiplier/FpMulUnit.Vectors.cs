using System.Numerics;
using System.Text.Json.Nodes;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Hardware;

public sealed partial record FpMulUnit
{
    /// <summary>Random vectors when the operand pairs are too many to list (more than 2^16) and no count is given.</summary>
    public const int DefaultRandomCount = 100_000;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonNode> Configuration => new SortedDictionary<string, JsonNode>
    {
        ["format_a"] = FormatA.Name,
        ["format_b"] = FormatB.Name,
        ["product"] = $"{ProductWidth}-bit two's complement, {ProductFractionBits} fraction bits",
    };

    /// <summary>
    /// Every (a, b) pair when there are at most 2^16 of them and <paramref name="count"/> is null (so every FP4 and
    /// FP8 pair), otherwise <paramref name="count"/> (default 100,000) uniformly random code pairs from <paramref name="seed"/>.
    /// </summary>
    public VectorSource Vectors(int? count, ulong seed)
    {
        int na = FormatA.TotalBits, nb = FormatB.TotalBits;
        bool exhaustive = count is null && na + nb <= 16;
        int total = exhaustive ? 1 << (na + nb) : count ?? DefaultRandomCount;
        string generation = exhaustive ? $"exhaustive: all {total} (a, b) code pairs"
            : $"random: {total} uniformly random (a, b) code pairs (SplitMix64, seed {seed})";
        var layout = new VectorLayout(Spec.Kind.Name(), ModuleName,
            [("a", na, "in"), ("b", nb, "in"), ("p", ProductWidth, "out"), ("invalid", 1, "out")], seed, generation);
        return new VectorSource(layout, total, row =>
        {
            void Add(uint a, uint b)
            {
                (BigInteger p, bool invalid) = Emulate(a, b);
                row([a, b, p, invalid ? 1 : 0]);
            }
            if (exhaustive)
            {
                for (uint a = 0; a < 1u << na; a++)
                    for (uint b = 0; b < 1u << nb; b++) Add(a, b);
                return;
            }
            var random = new SplitMix64(seed);
            for (int i = 0; i < total; i++) Add((uint)random.Below(1UL << na), (uint)random.Below(1UL << nb));
        });
    }

    /// <inheritdoc/>
    public string GenerateTestbench(VectorLayout layout) => Testbenches.Combinational(this, layout);
}
