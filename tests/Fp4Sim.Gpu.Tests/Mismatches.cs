namespace Fp4Sim.Gpu.Tests;

/// <summary>Counts disagreements between two result arrays and describes the first few for an assertion message.</summary>
public static class Mismatches
{
    private const int Shown = 5;

    /// <summary>Compares element by element; returns the count and a message naming the first counterexamples.</summary>
    public static (int Count, string Message) Compare(string what, uint[] inputs, uint[] expected, uint[] actual)
    {
        int count = 0;
        var examples = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (expected[i] == actual[i]) continue;
            if (count++ < Shown) examples.Add($"input 0x{inputs[i]:x8}: reference 0x{expected[i]:x} portable 0x{actual[i]:x}");
        }
        return (count, $"{what}: {count} of {inputs.Length} differ; first: {string.Join("; ", examples)}");
    }
}
