namespace Fp4Sim.Hardware.Cost;

/// <summary>
/// The analytic area model's primitives, in NAND2 equivalents (GE). Each is one coefficient (two for the
/// multiplier) times a structural count, fitted once by least squares to yosys syntheses of the primitive circuits
/// of <see cref="PrimitiveCircuits"/> (same gate library and script as the units; docs/cost.md lists the fit), so
/// unit compositions stay short: a unit's <see cref="ICostedUnit.EstimateCost"/> adds primitives per block.
/// </summary>
public static class CostModel
{
    /// <summary>GE per bit of a two-operand adder (sum kept to the operand width).</summary>
    public const double AdderPerBit = 7.09;
    /// <summary>Constant GE of an adder (negative: the lsb is a half adder and the carry out is dropped).</summary>
    public const double AdderOffset = -6.60;
    /// <summary>GE per bit of an incrementer (a word plus one bit; also decrement and sign-extension tails).</summary>
    public const double IncrementerPerBit = 3.33;
    /// <summary>Constant GE of an incrementer.</summary>
    public const double IncrementerOffset = -1.32;
    /// <summary>GE per bit of a conditional two's-complement negate (neg ? −x : x).</summary>
    public const double NegatePerBit = 4.33;
    /// <summary>Constant GE of a conditional negate (the lsb passes unchanged).</summary>
    public const double NegateOffset = -6.29;
    /// <summary>GE per partial-product bit (n·m) of an unsigned n×m multiplier.</summary>
    public const double MultiplierPerPartialProduct = 0.09;
    /// <summary>GE per adder cell ((n−1)(m−1)) of an unsigned n×m multiplier.</summary>
    public const double MultiplierPerAdderCell = 8.87;
    /// <summary>
    /// GE per partial-product bit (n·m) of a signed (two's-complement) n×m multiplier. Negative: a fit artifact,
    /// the partial-product gates are absorbed into the adder cells' term (the sum is positive for n, m ≥ 2).
    /// </summary>
    public const double SignedMultiplierPerPartialProduct = -0.62;
    /// <summary>GE per adder cell ((n−1)(m−1)) of a signed n×m multiplier.</summary>
    public const double SignedMultiplierPerAdderCell = 11.63;
    /// <summary>GE per live mux bit of a logarithmic left shifter (see <see cref="Shifter"/>).</summary>
    public const double ShifterPerMuxBit = 2.29;
    /// <summary>GE per bit of a 2:1 word mux.</summary>
    public const double MuxPerBit = 2.33;
    /// <summary>GE per bit of forcing a word to zero by one signal.</summary>
    public const double ZeroGatePerBit = 1.67;
    /// <summary>GE per dropped bit of the round-to-nearest-even decision (dropped &gt; half, or = half and odd).</summary>
    public const double RoundDecisionPerBit = 1.02;
    /// <summary>GE per extra input of a reduction tree (|x, or x == constant).</summary>
    public const double ReducePerInput = 1.01;
    /// <summary>GE per bit of a register with enable and synchronous reset (DFF + hold mux + reset gate).</summary>
    public const double RegisterPerBit = 9.36;
    /// <summary>GE per bit of saturating a sum that carries one extra bit to the largest or smallest word.</summary>
    public const double SaturationPerBit = 2.07;

    /// <summary>An n-bit adder.</summary>
    public static double Adder(int bits) => Affine(AdderPerBit, AdderOffset, bits);

    /// <summary>An n-bit incrementer.</summary>
    public static double Incrementer(int bits) => Affine(IncrementerPerBit, IncrementerOffset, bits);

    /// <summary>
    /// A W-bit adder whose second operand has only <paramref name="liveBits"/> significant bits above
    /// <paramref name="zeroLowBits"/> zero bits, sign-extended above: pass-through below, full adder over the live
    /// bits, incrementer over the sign-extension tail.
    /// </summary>
    public static double SignExtendedAdder(int width, int liveBits, int zeroLowBits)
    {
        int live = Math.Min(liveBits, width - zeroLowBits);
        return Adder(live) + Incrementer(width - zeroLowBits - live);
    }

    /// <summary>An n-bit conditional negate.</summary>
    public static double ConditionalNegate(int bits) => Affine(NegatePerBit, NegateOffset, bits);

    /// <summary>An unsigned n×m array multiplier.</summary>
    public static double Multiplier(int n, int m) =>
        MultiplierPerPartialProduct * Positive(n) * Positive(m) + MultiplierPerAdderCell * Positive(n - 1) * Positive(m - 1);

    /// <summary>
    /// A signed n×m multiplier (two's-complement operands and product): what an integer × integer <c>fp_mul</c>
    /// (magnitudes, unsigned product, negate) reduces to under synthesis, and the core of a dedicated INT MAC.
    /// </summary>
    public static double SignedMultiplier(int n, int m) =>
        SignedMultiplierPerPartialProduct * Positive(n) * Positive(m) + SignedMultiplierPerAdderCell * Positive(n - 1) * Positive(m - 1);

    /// <summary>
    /// A logarithmic left shifter of an <paramref name="inputBits"/>-bit word (zero-extended) to
    /// <paramref name="outputBits"/> bits by a <paramref name="stages"/>-bit amount: stage k has a mux for every
    /// output bit that can be non-zero after it, min(out, in + 2^(k+1) − 1) − 2^k (the lowest 2^k bits are gated).
    /// </summary>
    public static double Shifter(int inputBits, int outputBits, int stages) => ShifterPerMuxBit * ShifterMuxBits(inputBits, outputBits, stages);

    /// <summary>The structural count behind <see cref="Shifter"/>.</summary>
    public static double ShifterMuxBits(int inputBits, int outputBits, int stages)
    {
        double bits = 0;
        for (int k = 0; k < stages && (1L << k) < outputBits; k++)
            bits += Math.Max(0, Math.Min(outputBits, inputBits + (1L << (k + 1)) - 1) - (1L << k));
        return bits;
    }

    /// <summary>An n-bit 2:1 mux.</summary>
    public static double Mux(int bits) => MuxPerBit * Positive(bits);

    /// <summary>Forcing n bits to zero.</summary>
    public static double ZeroGate(int bits) => ZeroGatePerBit * Positive(bits);

    /// <summary>The round-to-nearest-even decision over n dropped bits.</summary>
    public static double RoundDecision(int bits) => RoundDecisionPerBit * Positive(bits);

    /// <summary>A reduction over n inputs (n − 1 two-input nodes).</summary>
    public static double Reduce(int inputs) => ReducePerInput * Positive(inputs - 1);

    /// <summary>An n-bit register with enable and synchronous reset.</summary>
    public static double Register(int bits) => RegisterPerBit * Positive(bits);

    /// <summary>Saturation of an n-bit word.</summary>
    public static double Saturation(int bits) => SaturationPerBit * Positive(bits);

    private static int Positive(int n) => Math.Max(0, n);

    /// <summary>perBit·n + offset for n ≥ 1 (never negative), 0 for no bits.</summary>
    private static double Affine(double perBit, double offset, int bits) => bits <= 0 ? 0 : Math.Max(0, perBit * bits + offset);
}
