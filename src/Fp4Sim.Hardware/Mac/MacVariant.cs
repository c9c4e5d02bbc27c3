namespace Fp4Sim.Hardware;

/// <summary>What feeds the fixed-point register of a registered MAC unit (<see cref="FpMacUnit"/>).</summary>
public enum MacVariant
{
    /// <summary><c>fp_mac</c>: the exact product of an <c>fp_mul</c> instance; NaN/∞ products are skipped and flagged.</summary>
    Float,

    /// <summary>
    /// <c>psb_mac</c>: LLM-FP4's pre-shifted exponent bias in the MAC (form (a), <c>PreShiftedBias.ShiftInMac</c>): the
    /// <c>fp_mul</c> product lowered by 2^−shift, where shift is the activation channel's integer bias offset b_j.
    /// </summary>
    PreShiftedBias,

    /// <summary><c>int_mac</c>: a plain two's-complement multiplier of two integer codes; no special values, no invalid port.</summary>
    Integer,
}
