using Fp4Sim.Hardware.Cost;

namespace Fp4Sim.Hardware;

public sealed partial record FpMulUnit : ICostedUnit
{
    /// <inheritdoc/>
    public CostBreakdown EstimateCost() => new(CostBlocks());

    /// <summary>
    /// The multiplier's blocks: both decoders; the unsigned significand multiplier; the shift adder and the
    /// logarithmic alignment shifter (absent when neither operand has an exponent); the conditional negate over
    /// the product word; the zeroing of the product for a NaN/∞ operand (absent without specials).
    /// </summary>
    internal IEnumerable<CostBlock> CostBlocks()
    {
        yield return new(Cost.CostBlocks.Decode, A.EstimateDecodeGe() + B.EstimateDecodeGe());
        yield return new(Cost.CostBlocks.SignificandMultiplier, CostModel.Multiplier(A.SignificandWidth, B.SignificandWidth));
        if (A.HasShift || B.HasShift)
        {
            int shiftWidth = Math.Max(A.ShiftWidth, B.ShiftWidth) + 1;
            yield return new(Cost.CostBlocks.ExponentAdder, A.HasShift && B.HasShift ? CostModel.Adder(shiftWidth - 1) : 0);
            yield return new(Cost.CostBlocks.AlignmentShifter, CostModel.Shifter(A.SignificandWidth + B.SignificandWidth, ProductWidth - 1, shiftWidth));
        }
        yield return new(Cost.CostBlocks.Negate, CostModel.ConditionalNegate(ProductWidth));
        if (HasSpecials) yield return new(Cost.CostBlocks.SpecialZero, CostModel.ZeroGate(ProductWidth));
    }

    /// <summary>Whether an operand format has NaN or infinity codes (then the unit has an invalid path).</summary>
    public bool HasSpecials => A.Specials.Count + B.Specials.Count > 0;
}
