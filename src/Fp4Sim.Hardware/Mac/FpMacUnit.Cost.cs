using Fp4Sim.Hardware.Cost;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

public sealed partial record FpMacUnit : ICostedUnit
{
    /// <summary>
    /// The multiplier's blocks (int_mac: one signed multiplier), the psb_mac channel shift (an arithmetic right shift
    /// of the product into its S_max extra fraction bits), then: the grid step (free when exact; truncating drops the low product bits, so
    /// their negate becomes an OR feeding the carry; the round-to-nearest decision
    /// and increment otherwise); the start-value mux and, with specials, the invalid-product bypass; the
    /// accumulator adder (full over the product's live bits, an incrementer over its sign extension; one bit wider
    /// when saturating); saturation; the W-bit accumulator plus the out_valid (and invalid) flip-flops.
    /// </summary>
    public CostBreakdown EstimateCost()
    {
        int w = Width, wp = TermWidth, f = Accumulator.FractionBits, fp = TermFractionBits;
        bool saturate = Accumulator.Overflow == FixedOverflow.Saturate;
        int live, zeroLow = 0, dropped = 0;
        var blocks = new List<CostBlock>();
        if (fp <= f)
        {
            live = wp;
            zeroLow = f - fp;
        }
        else
        {
            int d = fp - f, fw = Math.Max(wp, d + 1) - d;
            live = fw;
            // truncation: the d dropped product bits only feed the negate's carry (an OR of them), not the sum;
            // behind a variable channel shift no product bit is dropped for every shift
            if (Accumulator.Rounding == FixedRounding.Truncate) dropped = ShiftBits > 0 ? 0 : Math.Min(d, wp - 1);
            else
            {
                blocks.Add(new(CostBlockNames.GridRounding, CostModel.RoundDecision(d) + CostModel.Incrementer(fw + 1)));
                live = fw + 1;
            }
        }
        blocks.AddRange(Multiplier.CostBlocks(dropped));
        if (ShiftBits > 0) blocks.Add(new(CostBlockNames.BiasShift, CostModel.Shifter(Multiplier.ProductWidth, TermWidth, ShiftBits)));
        blocks.Add(new(CostBlockNames.AccumulatorMux, CostModel.Mux(w) * (HasInvalid && Multiplier.HasSpecials ? 2 : 1)));
        blocks.Add(new(CostBlockNames.AccumulatorAdder, CostModel.SignExtendedAdder(saturate ? w + 1 : w, live, zeroLow)));
        if (saturate) blocks.Add(new(CostBlockNames.Saturation, CostModel.Saturation(w)));
        blocks.Add(new(CostBlockNames.Registers, CostModel.Register(w + (HasInvalid ? 2 : 1))));
        return new CostBreakdown(blocks);
    }
}
