using System.Numerics;
using Fp4Sim.Hardware.Cost;

namespace Fp4Sim.Hardware;

public sealed partial record OperandDecoder
{
    /// <summary>Whether the operand has an exponent (a non-constant shift): floats do, integers do not.</summary>
    public bool HasShift => !Format.IsInteger && MaxShift > 0;

    /// <summary>
    /// Analytic GE of this decoder (<see cref="CostModel"/>): a float's normal-bit reduction over the exponent
    /// field, the shift decrement and one match per special pattern (plus their OR); an integer's magnitude (a
    /// conditional negate).
    /// </summary>
    public double EstimateDecodeGe()
    {
        if (Format.IsInteger) return CostModel.ConditionalNegate(Format.TotalBits);
        double ge = CostModel.Reduce(Format.ExponentBits) + (HasShift ? CostModel.Incrementer(Format.ExponentBits) : 0); // E1: shift is 0
        foreach ((uint mask, _) in Specials) ge += CostModel.Reduce(BitOperations.PopCount(mask));
        return ge + CostModel.Reduce(Specials.Count);
    }
}
