using System.Numerics;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>
/// The <c>fp_mul</c> operator: code <c>a</c> of <see cref="FormatA"/> times code <c>b</c> of <see cref="FormatB"/>,
/// exact, as a signed fixed-point word p of <see cref="ProductWidth"/> bits with <see cref="ProductFractionBits"/>
/// fraction bits (value = p · 2^−F), combinational. The grid is the smallest product step and the width holds the
/// largest product: <see cref="ExactAccumulator.RegisterFor"/> with one term. A NaN or infinite operand raises
/// <c>invalid</c> and gives p = 0. The generator and the bit-exact emulation live together (FloPoCo style).
/// </summary>
public sealed partial record FpMulUnit : IRtlUnit
{
    /// <summary>The largest product word the generator emits (the MAC engine's fixed-point limit).</summary>
    public const int MaxProductWidth = 128;

    /// <summary>Decoder of the first operand.</summary>
    public OperandDecoder A { get; }

    /// <summary>Decoder of the second operand.</summary>
    public OperandDecoder B { get; }

    /// <summary>Builds the unit; throws <see cref="ArgumentException"/> for formats the RTL cannot take.</summary>
    public FpMulUnit(MultiplierSpec spec)
    {
        Spec = spec;
        (FormatInfo formatA, FormatInfo formatB) = (spec.FormatA, spec.FormatB);
        A = new OperandDecoder(formatA);
        B = new OperandDecoder(formatB);
        ProductFractionBits = -(A.StepExponent + B.StepExponent);
        MaxProductSteps = A.MaxMagnitudeSteps * B.MaxMagnitudeSteps;
        ProductWidth = Verilog.UnsignedWidth(MaxProductSteps) + 1;
        if (ProductWidth > MaxProductWidth)
            throw new ArgumentException($"{formatA.Name} x {formatB.Name}: the exact product needs {ProductWidth} bits; " +
                $"the RTL generator supports at most {MaxProductWidth}");
    }

    /// <summary>The description this unit was built from.</summary>
    public MultiplierSpec Spec { get; }

    UnitSpec IRtlUnit.Spec => Spec;

    /// <summary>The first operand's format.</summary>
    public FormatInfo FormatA => A.Format;

    /// <summary>The second operand's format.</summary>
    public FormatInfo FormatB => B.Format;

    /// <summary>Width of the product word p (sign included).</summary>
    public int ProductWidth { get; }

    /// <summary>Fraction bits of p: −(exponent of the smallest product step).</summary>
    public int ProductFractionBits { get; }

    /// <summary>The largest product magnitude in steps of 2^−F.</summary>
    public BigInteger MaxProductSteps { get; }

    /// <summary>The Verilog module name, e.g. <c>fp_mul_e2m1_e2m1</c>.</summary>
    public string ModuleName => $"fp_mul_{Verilog.Identifier(FormatA.Name)}_{Verilog.Identifier(FormatB.Name)}";

    /// <summary>The register that holds one product exactly; <see cref="Emulate"/> runs the MAC engine through it.</summary>
    public FixedPointAccumulator ProductRegister => new(ProductWidth, ProductFractionBits);

    /// <summary>
    /// The expected outputs for codes <paramref name="a"/> and <paramref name="b"/>, computed by the MAC engine: the
    /// exact product (<see cref="MacTerm.Product"/>) summed alone into <see cref="ProductRegister"/>.
    /// </summary>
    public (BigInteger Product, bool Invalid) Emulate(uint a, uint b)
    {
        MacTerm term = MacTerm.Product(FormatA, a, FormatB, b);
        MacResult r = ProductRegister.Accumulate([term]);
        if (!r.Invalid && ExactValue.Add(r.Value, term.Value.Negate()).Kind != ValueKind.Zero)
            throw new InvalidOperationException($"{ModuleName}: product of 0x{a:x} and 0x{b:x} is not exact in {ProductRegister.Name}");
        return (Signed(r.Bits, ProductWidth), r.Invalid);
    }

    /// <summary>The two's-complement value of the low <paramref name="width"/> bits.</summary>
    public static BigInteger Signed(UInt128 bits, int width)
    {
        var value = (BigInteger)bits;
        return value >> (width - 1) != 0 ? value - (BigInteger.One << width) : value;
    }

    /// <inheritdoc/>
    public IReadOnlyList<(string File, string Text)> Generate() => [(ModuleName + ".v", GenerateModule())];

    /// <summary>The module's Verilog.</summary>
    public string GenerateModule()
    {
        int sigWidth = A.SignificandWidth + B.SignificandWidth;
        int shiftWidth = Math.Max(A.ShiftWidth, B.ShiftWidth) + 1; // specials' fields included: no wrap of the sum
        int magnitudeWidth = ProductWidth - 1;
        var unused = new List<string>();
        return RtlTemplates.Render("fp_mul.v.sbn", new
        {
            header = Generator.Header,
            module = ModuleName,
            fa = FormatA.Name,
            fb = FormatB.Name,
            w = ProductWidth,
            f = ProductFractionBits,
            na_msb = FormatA.TotalBits - 1,
            nb_msb = FormatB.TotalBits - 1,
            w_msb = ProductWidth - 1,
            decode_a = A.Render("a"),
            decode_b = B.Render("b"),
            sp_msb = sigWidth - 1,
            sig_a = Verilog.Resize("a_sig", A.SignificandWidth, sigWidth, signed: false, unused),
            sig_b = Verilog.Resize("b_sig", B.SignificandWidth, sigWidth, signed: false, unused),
            sh_msb = shiftWidth - 1,
            shift_a = Verilog.Resize("a_shift", A.ShiftWidth, shiftWidth, signed: false, unused),
            shift_b = Verilog.Resize("b_shift", B.ShiftWidth, shiftWidth, signed: false, unused),
            mag_msb = magnitudeWidth - 1,
            // Cut bits of the significand product are zero for every finite pair (the width holds the largest product).
            sig_prod_resized = Verilog.Resize("sig_prod", sigWidth, magnitudeWidth, signed: false, unused),
            w_zero = Verilog.Hex(0, ProductWidth),
            unused,
        });
    }
}
