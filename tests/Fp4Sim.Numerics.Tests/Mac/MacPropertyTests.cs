using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using FsCheck;
using FsCheck.Fluent;

namespace Fp4Sim.Numerics.Tests.Mac;

/// <summary>FsCheck properties of the MAC engine over random code vectors (fixed replay seed).</summary>
public class MacPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2_000).WithReplay(
        Microsoft.FSharp.Core.FSharpOption<Replay>.Some(new Replay(new Rnd(424242UL, 99UL), Microsoft.FSharp.Core.FSharpOption<int>.None)));

    /// <summary>Pairs of finite codes of (fa, fb), 1..80 of them.</summary>
    private static Arbitrary<(uint A, uint B)[]> Pairs(FormatInfo fa, FormatInfo fb)
    {
        Gen<uint> Finite(FormatInfo f) => Gen.Choose(0, (int)f.CodeCount - 1).Select(c => (uint)c)
            .Where(c => double.IsFinite(Decoder.Decode(f, c)));
        Gen<(uint, uint)> pair = Finite(fa).SelectMany(a => Finite(fb).Select(b => (a, b)));
        return Arb.From(Gen.Choose(1, 80).SelectMany(n => Gen.ArrayOf(pair, n)));
    }

    private static MacTerm[] Terms(FormatInfo fa, FormatInfo fb, (uint A, uint B)[] pairs) =>
        pairs.Select(p => MacTerm.Product(fa, p.A, fb, p.B)).ToArray();

    [Theory]
    [InlineData("e2m1", "e2m1")]
    [InlineData("e4m3", "e5m2")]
    [InlineData("fp16", "fp16")]
    public void Exact_IsIndependentOfOrder_AndEqualsTheRegisterWideEnoughToHoldIt(string a, string b)
    {
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        (int width, int frac) = ExactAccumulator.RegisterFor(fa, fb, 80);
        var register = new FixedPointAccumulator(width, frac);
        Prop.ForAll(Pairs(fa, fb), pairs =>
        {
            MacTerm[] terms = Terms(fa, fb, pairs);
            ExactValue sum = ExactAccumulator.Sum(terms);
            MacTerm[] reversed = terms.Reverse().ToArray();
            return sum == ExactAccumulator.Sum(reversed)
                && ExactAccumulator.Fp32.Accumulate(terms) == ExactAccumulator.Fp32.Accumulate(reversed)
                && register.Accumulate(terms).Value.ToDouble() == sum.ToDouble();
        }).Check(Runs);
    }

    [Theory]
    [InlineData("e4m3", "e4m3")]
    [InlineData("e2m1", "fp16")]
    public void Fp32_StaysWithinHalfAnUlpPerAddOfTheExactSum(string a, string b)
    {
        // Each fused add errs by at most half an ulp of its result: |fp32 − exact| ≤ Σ ½ulp(partial_i).
        FormatInfo fa = FormatSpec.Parse(a), fb = FormatSpec.Parse(b);
        var fp32 = new IeeeAccumulator(KnownFormats.Fp32);
        Prop.ForAll(Pairs(fa, fb), pairs =>
        {
            MacTerm[] terms = Terms(fa, fb, pairs);
            double exact = ExactAccumulator.Sum(terms).ToDouble(), bound = 0;
            uint acc = 0;
            foreach (MacTerm t in terms)
            {
                acc = fp32.Step(acc, t.Value);
                float partial = BitConverter.UInt32BitsToSingle(acc);
                bound += (double)MathF.BitIncrement(Math.Abs(partial)) - Math.Abs(partial);
            }
            return Math.Abs(BitConverter.UInt32BitsToSingle(acc) - exact) <= bound / 2 + 1e-300;
        }).Check(Runs);
    }

    [Theory]
    [InlineData("v100")]
    [InlineData("h100")]
    [InlineData("h100-fp8")]
    public void TensorCore_TruncationErrorIsBoundedByTheGrid(string model)
    {
        // Every group loses < (g + 1) grid units 2^(η−F) to truncation plus one output ulp (RZ):
        // the final result stays within the sum of those bounds of the exact sum.
        TensorCoreModel m = TensorCoreModel.Parse(model);
        var acc = new TensorCoreAccumulator(m);
        FormatInfo f = model.EndsWith("fp8") ? KnownFormats.E4M3 : KnownFormats.Fp16;
        Prop.ForAll(Pairs(f, f), pairs =>
        {
            MacTerm[] terms = Terms(f, f, pairs);
            double exact = ExactAccumulator.Sum(terms).ToDouble();
            double got = acc.Accumulate(terms).Value.ToDouble();
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
        }).Check(Runs);
    }
}
