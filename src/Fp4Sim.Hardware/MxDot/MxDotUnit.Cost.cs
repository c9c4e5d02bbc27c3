using Fp4Sim.Hardware.Cost;

namespace Fp4Sim.Hardware;

public sealed partial record MxDotUnit : ICostedUnit
{
    /// <summary>
    /// 32 lanes of the element multiplier's blocks; the adder tree (one adder per node, as wide as the node's sum);
    /// the block exponent (two scale codes and a constant: an adder and an incrementer over the exponent width); the
    /// invalid logic (an OR over the lanes' flags, the two NaN-scale matches) and the zeroing of sum and scale.
    /// </summary>
    public CostBreakdown EstimateCost()
    {
        var blocks = new List<CostBlock>();
        foreach (CostBlock lane in Lane.CostBlocks()) blocks.Add(lane with { Ge = lane.Ge * BlockSize });
        double tree = 0;
        for (int products = 1; products < BlockSize; products *= 2) // balanced: BlockSize / (2·products) nodes per level
            tree += BlockSize / (2 * products) * CostModel.Adder(WidthOfSum(2 * products));
        blocks.Add(new(CostBlockNames.AdderTree, tree));
        blocks.Add(new(CostBlockNames.ScaleAdder, CostModel.Adder(ScaleWidth) + CostModel.Incrementer(ScaleWidth)));
        double invalid = 2 * CostModel.Reduce(ScaleCodeBits) + CostModel.Reduce(2)
            + (Lane.HasSpecials ? CostModel.Reduce(BlockSize) : 0);
        blocks.Add(new(CostBlockNames.SpecialZero, invalid + CostModel.ZeroGate(SumWidth + ScaleWidth)));
        return new CostBreakdown(blocks);
    }
}
