using System.Numerics;
using System.Text.Json.Nodes;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Hardware;

public sealed partial record FpMacUnit
{
    private const int RandomPairsPerState = 256; // when the pairs are too many to list for every state

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonNode> Configuration => ShiftBits == 0 ? BaseConfiguration
        : new SortedDictionary<string, JsonNode>(BaseConfiguration) { ["shift_bits"] = ShiftBits };

    private SortedDictionary<string, JsonNode> BaseConfiguration => new()
    {
        ["format_a"] = Multiplier.FormatA.Name,
        ["format_b"] = Multiplier.FormatB.Name,
        ["accumulator"] = Accumulator.Name,
        ["rounding"] = Accumulator.Rounding == FixedRounding.Truncate ? "truncate" : "nearest-even",
        ["overflow"] = Accumulator.Overflow == FixedOverflow.Saturate ? "saturate" : "wrap",
    };

    private bool SmallOperands => Multiplier.FormatA.TotalBits + Multiplier.FormatB.TotalBits <= 8;

    /// <summary>Random steps after the directed part: 20,000 for FP4-sized operands, 100,000 otherwise.</summary>
    public int DefaultRandomSteps => SmallOperands ? 20_000 : 100_000;

    /// <summary>
    /// Directed: from each of a set of register states (0, ±1, the extremes and one or half a largest product inside
    /// them, random words), one step with <c>clear</c> and <c>acc_init</c> = that state for every (a, b) pair — and, in a
    /// psb_mac, every shift — or 256 random pairs (random shifts) when there are more than 256 pairs. Then
    /// <paramref name="count"/> random steps in sequences that start with <c>clear</c>: uniform codes, or same-sign runs
    /// that drive the register into saturation or wrap-around; one cycle in ten has <c>in_valid</c> low. The expected
    /// outputs come from <see cref="Step"/>.
    /// </summary>
    public VectorSource Vectors(int? count, ulong seed)
    {
        int na = Multiplier.FormatA.TotalBits, nb = Multiplier.FormatB.TotalBits, steps = count ?? DefaultRandomSteps;
        int states = States(new SplitMix64(seed)).Length;
        string pairs = SmallOperands ? $"all {1 << (na + nb)}" : $"{RandomPairsPerState} random";
        if (ShiftBits > 0) pairs += SmallOperands ? $" x all {MaxShift + 1} shifts" : " (random shifts)";
        var fields = new List<(string, int, string)>
        {
            ("in_valid", 1, "in"), ("clear", 1, "in"), ("acc_init", Width, "in"), ("a", na, "in"), ("b", nb, "in")
        };
        if (ShiftBits > 0) fields.Add(("shift", ShiftBits, "in"));
        fields.Add(("acc", Width, "out"));
        if (HasInvalid) fields.Add(("invalid", 1, "out"));
        var layout = new VectorLayout(Spec.Kind.Name(), ModuleName, fields, seed,
            $"directed: {pairs} (a, b) pairs from each of {states} register states (clear with acc_init); " +
            $"then {steps} random steps in sequences starting with clear (uniform codes or same-sign runs to the limits, 10% idle cycles), " +
            $"SplitMix64 seed {seed}");
        int perState = SmallOperands ? (1 << (na + nb)) * (MaxShift + 1) : RandomPairsPerState;
        return new VectorSource(layout, checked(states * perState + steps), row => Generate(seed, steps, row));
    }

    /// <summary>The rows of <see cref="Vectors"/>: the random parts start again from <paramref name="seed"/> on every call.</summary>
    private void Generate(ulong seed, int steps, Action<BigInteger[]> row)
    {
        int na = Multiplier.FormatA.TotalBits, nb = Multiplier.FormatB.TotalBits;
        var random = new SplitMix64(seed);
        BigInteger[] states = States(random);
        var state = new MacState(0, false);
        void Add(bool valid, bool clear, BigInteger init, uint a, uint b, int shift)
        {
            if (valid) state = Step(state, clear, init, a, b, shift);
            var values = new List<BigInteger>(8) { valid ? 1 : 0, clear ? 1 : 0, init, a, b };
            if (ShiftBits > 0) values.Add(shift);
            values.Add(state.Acc);
            if (HasInvalid) values.Add(state.Invalid ? 1 : 0);
            row(values.ToArray());
        }
        foreach (BigInteger s in states)
        {
            if (SmallOperands)
            {
                for (uint a = 0; a < 1u << na; a++)
                    for (uint b = 0; b < 1u << nb; b++)
                        for (int shift = 0; shift <= MaxShift; shift++) Add(true, true, s, a, b, shift);
            }
            else
            {
                for (int i = 0; i < RandomPairsPerState; i++) Add(true, true, s, Code(random, na), Code(random, nb), RandomShift(random));
            }
        }
        RandomSequences(random, steps, states, Add);
    }

    private void RandomSequences(SplitMix64 random, int steps, BigInteger[] states, Action<bool, bool, BigInteger, uint, uint, int> add)
    {
        int na = Multiplier.FormatA.TotalBits, nb = Multiplier.FormatB.TotalBits;
        BigInteger largest = LargestTerm;
        // Long enough for a run of large products to cross the whole range (capped: wide registers saturate rarely).
        int runLength = (int)BigInteger.Min(1024, ((BigInteger.One << Width) / BigInteger.Max(largest, 1)) + 16);
        int done = 0;
        while (done < steps)
        {
            bool sameSign = random.Below(2) == 0, negative = random.Below(2) == 0;
            int length = (int)Math.Min((ulong)(steps - done), 1 + random.Below(sameSign ? (ulong)runLength : 64));
            BigInteger init = random.Below(4) switch { 0 or 1 => 0, 2 => states[random.Below((ulong)states.Length)], _ => RandomWord(random) };
            for (int i = 0; i < length; i++)
            {
                uint a = Code(random, na), b = Code(random, nb);
                if (sameSign) (a, b) = WithProductSign(a, b, negative);
                bool valid = i == 0 || random.Below(10) != 0;
                bool clear = i == 0 || (!valid && random.Below(2) == 0); // a clear on an idle cycle must do nothing
                add(valid, clear, i == 0 ? init : RandomWord(random), a, b, RandomShift(random));
            }
            done += length;
        }
    }

    /// <summary>The largest product on the accumulator grid, in steps.</summary>
    private BigInteger LargestTerm => Accumulator.OnGrid(ExactValue.Of(Multiplier.MaxProductSteps, -Multiplier.ProductFractionBits));

    private BigInteger[] States(SplitMix64 random)
    {
        BigInteger max = (BigInteger.One << (Width - 1)) - 1, min = -max - 1, t = LargestTerm;
        BigInteger[] candidates = [0, 1, -1, max, min, max - t, min + t, max - t / 2, min + t / 2, RandomWord(random), RandomWord(random)];
        return candidates.Where(s => s >= min && s <= max).Distinct().ToArray();
    }

    private BigInteger RandomWord(SplitMix64 random) => FpMulUnit.Signed((UInt128)random.Bits(Width), Width);

    private int RandomShift(SplitMix64 random) => ShiftBits == 0 ? 0 : (int)random.Below((ulong)MaxShift + 1);

    private static uint Code(SplitMix64 random, int bits) => (uint)random.Below(1UL << bits);

    /// <summary>Flips operand a's sign when the product's sign differs from the wanted one (floats: the sign bit; integers: negation).</summary>
    private (uint A, uint B) WithProductSign(uint a, uint b, bool negative)
    {
        MacTerm p = MacTerm.Product(Multiplier.FormatA, a, Multiplier.FormatB, b);
        if (p.Value.Kind != ValueKind.Finite || p.Value.Negative == negative) return (a, b);
        var fa = Multiplier.FormatA;
        uint flipped = fa.IsInteger ? (uint)-a & fa.CodeMask : a ^ fa.SignMask;
        return (flipped, b);
    }

    /// <inheritdoc/>
    public string GenerateTestbench(VectorLayout layout) => Testbenches.Registered(this, layout);
}
