using Fp4Sim.Numerics.Codec;

namespace Fp4Sim.Gpu.Tests;

/// <summary>Counts disagreements between two result arrays and describes the first few for an assertion message.</summary>
public static class Mismatches
{
    private const int Shown = 5;

    /// <summary>Compares element by element; returns the count and a message naming the first counterexamples.</summary>
    public static (int Count, string Message) Compare(string what, uint[] inputs, uint[] expected, uint[] actual)
    {
        (long count, IReadOnlyList<string> first) = Counterexamples.Scan(inputs, i => expected[i], i => actual[i], "portable", Shown);
        return ((int)count, $"{what}: {count} of {inputs.Length} differ; first: {string.Join("; ", first)}");
    }
}
