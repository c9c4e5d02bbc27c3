using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using FsCheck.Xunit;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>FsCheck properties of the MAC engine over random code vectors.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) })]
public class MacPropertyTests
{
    // As many cases as the theory rows ran together (2,000 a row); the format pair is drawn per case.
    [Property(MaxTest = 6_000, Arbitrary = new[] { typeof(Arbitraries.ExactSums) })]
    public bool Exact_IsIndependentOfOrder_AndEqualsTheRegisterWideEnoughToHoldIt(CodeVector v)
    {
        (int width, int frac) = ExactAccumulator.RegisterFor(v.A, v.B, 80);
        var register = new FixedPointAccumulator(width, frac);
        MacTerm[] terms = v.Terms();
        ExactValue sum = ExactAccumulator.Sum(terms);
        MacTerm[] reversed = terms.Reverse().ToArray();
        return sum == ExactAccumulator.Sum(reversed)
            && ExactAccumulator.Fp32.Accumulate(terms) == ExactAccumulator.Fp32.Accumulate(reversed)
            && register.Accumulate(terms).Value.ToDouble() == sum.ToDouble();
    }

    [Property(MaxTest = 4_000, Arbitrary = new[] { typeof(Arbitraries.Fp32Bound) })]
    public bool Fp32_StaysWithinHalfAnUlpPerAddOfTheExactSum(CodeVector v)
    {
        // Each fused add errs by at most half an ulp of its result: |fp32 − exact| ≤ Σ ½ulp(partial_i).
        var fp32 = new IeeeAccumulator(KnownFormats.Fp32);
        MacTerm[] terms = v.Terms();
        double exact = ExactAccumulator.Sum(terms).ToDouble(), bound = 0;
        uint acc = 0;
        foreach (MacTerm t in terms)
        {
            acc = fp32.Step(acc, t.Value);
            float partial = BitConverter.UInt32BitsToSingle(acc);
            bound += (double)MathF.BitIncrement(Math.Abs(partial)) - Math.Abs(partial);
        }
        return Math.Abs(BitConverter.UInt32BitsToSingle(acc) - exact) <= bound / 2 + 1e-300;
    }

    [Property(MaxTest = 6_000)]
    public bool TensorCore_TruncationErrorIsBoundedByTheGrid(TensorCoreCase c)
    {
        // Every group loses < (g + 1) grid units 2^(η−F) to truncation plus one output ulp (RZ):
        // the final result stays within the sum of those bounds of the exact sum.
        TensorCoreModel m = c.Model;
        MacTerm[] terms = c.Vector.Terms();
        double exact = ExactAccumulator.Sum(terms).ToDouble();
        double got = new TensorCoreAccumulator(m).Accumulate(terms).Value.ToDouble();
        double bound = 0, running = 0;
        for (int s = 0; s < terms.Length; s += m.GroupSize)
        {
            var group = terms.Skip(s).Take(m.GroupSize).ToArray();
            double largest = Math.Max(Math.Abs(running), group.Max(t => Math.Abs(t.Value.ToDouble())));
            int eta = largest == 0 ? 0 : Math.ILogB(largest) + 1; // ≥ every alignment exponent in the group
            bound += (group.Length + 1) * Math.ScaleB(1, eta - m.FractionBits) + Math.ScaleB(1, eta + 2 - (m.ResultMantissaBits ?? 23));
            running += group.Sum(t => t.Value.ToDouble());
        }
        return Math.Abs(got - exact) <= bound;
    }
}
