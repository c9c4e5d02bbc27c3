using Fp4Sim.Hardware.Cost;

namespace Fp4Sim.Hardware;

public sealed partial record FpMulUnit : ICostedUnit
{
    /// <inheritdoc/>
    public CostBreakdown EstimateCost() => new(CostBlocks());

    /// <summary>
    /// The multiplier's blocks. Integer × integer: one signed multiplier. Otherwise: both decoders; the unsigned significand multiplier; the shift
    /// adder and the logarithmic alignment shifter (absent when neither operand has an exponent); the conditional negate over the product word; the
    /// zeroing of the product for a NaN/∞ operand (absent without specials).
    /// </summary>
    /// <param name="droppedLowBits">Low product bits the consumer drops (a truncating MAC grid):
    /// their negate is only the OR that feeds its carry.</param>
    internal IEnumerable<CostBlock> CostBlocks(int droppedLowBits = 0)
    {
        if (FormatA.IsInteger && FormatB.IsInteger)
        {
            // magnitudes, unsigned product and negate compute a signed product: synthesis reduces them to one
            yield return new(Cost.CostBlockNames.SignificandMultiplier, CostModel.SignedMultiplier(FormatA.TotalBits, FormatB.TotalBits));
            yield break;
        }
        yield return new(Cost.CostBlockNames.Decode, A.EstimateDecodeGe() + B.EstimateDecodeGe());
        yield return new(Cost.CostBlockNames.SignificandMultiplier, CostModel.Multiplier(A.SignificandWidth, B.SignificandWidth));
        if (A.HasShift || B.HasShift)
        {
            // the shift sum's live width: one operand's field when the other's shift is constant 0
            int shiftWidth = A.HasShift && B.HasShift ? Math.Max(A.ShiftWidth, B.ShiftWidth) + 1 : A.HasShift ? A.ShiftWidth : B.ShiftWidth;
            if (A.HasShift && B.HasShift) yield return new(Cost.CostBlockNames.ExponentAdder, CostModel.Adder(shiftWidth - 1));
            // the lowest dropped outputs only feed the OR behind the negate's carry: synthesis keeps no mux for them
            int sig = A.SignificandWidth + B.SignificandWidth;
            yield return new(Cost.CostBlockNames.AlignmentShifter,
                CostModel.Shifter(sig, ProductWidth - 1, shiftWidth)
                    - CostModel.Shifter(sig, Math.Min(droppedLowBits, ProductWidth - 1), shiftWidth));
        }
        yield return new(Cost.CostBlockNames.Negate, CostModel.ConditionalNegate(ProductWidth - droppedLowBits) + CostModel.Reduce(droppedLowBits));
        if (HasSpecials) yield return new(Cost.CostBlockNames.SpecialZero, CostModel.ZeroGate(ProductWidth));
    }

    /// <summary>Whether an operand format has NaN or infinity codes (then the unit has an invalid path).</summary>
    public bool HasSpecials => A.Specials.Count + B.Specials.Count > 0;
}
