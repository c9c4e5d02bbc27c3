namespace Fp4Sim.Hardware.Cost;

/// <summary>How far the analytic model may be from yosys on a composite unit (docs/cost.md, "Tolerance").</summary>
public static class CostTolerance
{
    /// <summary>|analytic − yosys| / yosys must not exceed this.</summary>
    public const double Fraction = 0.15;
}
