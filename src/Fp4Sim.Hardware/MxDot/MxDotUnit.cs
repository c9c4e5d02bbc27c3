using System.Numerics;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;

namespace Fp4Sim.Hardware;

/// <summary>The expected outputs of an <c>mx_dot</c> for one pair of blocks.</summary>
/// <param name="Sum">The exact in-block sum Σ a_i·b_i in steps of 2^−F (F = <see cref="MxDotUnit.SumFractionBits"/>); 0 when invalid.</param>
/// <param name="Scale">The block exponent X_a + X_b − 254 (plus −6 per MXINT8 operand); 0 when invalid.</param>
/// <param name="Invalid">A scale is NaN (0xFF) or an element is NaN or ±∞.</param>
public readonly record struct MxDotResult(BigInteger Sum, int Scale, bool Invalid);

/// <summary>
/// The <c>mx_dot</c> operator: one pair of MX blocks (32 element codes each, of <see cref="FormatA"/> and
/// <see cref="FormatB"/>, and their E8M0 scale codes) to one exact term of the MX dot product, combinational.
/// Outputs the in-block sum Σ a_i·b_i as a two's-complement word of <see cref="SumWidth"/> bits with
/// <see cref="SumFractionBits"/> fraction bits and the block exponent <c>scale</c>; the term is
/// sum · 2^(scale − F), exactly <see cref="MxDot.BlockTerm(BlockFormat, ReadOnlySpan{byte}, uint, BlockFormat, ReadOnlySpan{byte}, uint)"/>.
/// Each lane is an <see cref="FpMulUnit"/> instance; an adder tree sums the 32 exact products.
/// </summary>
public sealed partial record MxDotUnit : IRtlUnit
{
    /// <summary>Elements per block: the MX block size (32), from the format data.</summary>
    public static readonly int BlockSize = KnownBlockFormats.MxFp4.BlockSize;

    /// <summary>The MX scale format (E8M0: code c means 2^(c − 127), 0xFF is NaN).</summary>
    public static readonly FormatInfo ScaleFormat = KnownBlockFormats.MxFp4.Scale;

    /// <summary>Bits of a scale code (8).</summary>
    public static readonly int ScaleCodeBits = ScaleFormat.TotalBits;

    /// <summary>The scale format's NaN code (0xFF).</summary>
    public static readonly uint NaNScale = ScaleFormat.CanonicalNaN;

    /// <summary>
    /// Width of the signed <c>scale</c> output: the block exponent of any two MX formats of the catalogue spans
    /// −254 … 254 (−266 with two MXINT8 operands), which needs 10 bits; one width for every configuration keeps the
    /// port the same across units.
    /// </summary>
    public static readonly int ScaleWidth = BlockExponentWidth();

    /// <summary>Builds the unit; throws <see cref="ArgumentException"/> for block formats the RTL cannot take.</summary>
    public MxDotUnit(MxDotSpec spec)
    {
        Spec = spec;
        (BlockFormat formatA, BlockFormat formatB) = (spec.FormatA, spec.FormatB);
        RequireMx(formatA);
        RequireMx(formatB);
        Lane = new FpMulUnit(new MultiplierSpec(formatA.Element, formatB.Element));
        SumFractionBits = Lane.ProductFractionBits;
        SumWidth = WidthOfSum(BlockSize);
        ScaleOffset = -2 * ScaleFormat.Bias + formatA.ElementExponentOffset + formatB.ElementExponentOffset;
        int lowest = ScaleOffset, highest = 2 * (int)(NaNScale - 1) + ScaleOffset;
        if (lowest < -(1 << (ScaleWidth - 1)) || highest >= 1 << (ScaleWidth - 1))
            throw new ArgumentException($"{formatA.Name} x {formatB.Name}: the block exponent {lowest}..{highest} does not fit {ScaleWidth} bits");
    }

    private static int BlockExponentWidth()
    {
        int lowestOffset = KnownBlockFormats.All.Where(f => f.Scale == ScaleFormat).Min(f => f.ElementExponentOffset);
        int lowest = -2 * ScaleFormat.Bias + 2 * lowestOffset, highest = 2 * (int)(NaNScale - 1) - 2 * ScaleFormat.Bias;
        return Math.Max(Verilog.UnsignedWidth(-lowest - 1), Verilog.UnsignedWidth(highest)) + 1;
    }

    /// <summary>The description this unit was built from.</summary>
    public MxDotSpec Spec { get; }

    UnitSpec IRtlUnit.Spec => Spec;

    /// <summary>The first block's format.</summary>
    public BlockFormat FormatA => Spec.FormatA;

    /// <summary>The second block's format.</summary>
    public BlockFormat FormatB => Spec.FormatB;

    /// <summary>The element multiplier instantiated in each of the 32 lanes.</summary>
    public FpMulUnit Lane { get; }

    /// <summary>Width of <c>sum</c> (sign included): holds 32 largest products.</summary>
    public int SumWidth { get; }

    /// <summary>Fraction bits of <c>sum</c>: those of one exact element product.</summary>
    public int SumFractionBits { get; }

    /// <summary>The constant added to the two scale codes: −254, plus each format's element offset (−6 for MXINT8).</summary>
    public int ScaleOffset { get; }

    /// <summary>The Verilog module name, e.g. <c>mx_dot_mxfp4_mxfp4</c>.</summary>
    public string ModuleName => $"mx_dot_{Verilog.Identifier(FormatA.Name)}_{Verilog.Identifier(FormatB.Name)}";

    /// <summary>Bits of one packed block bus of <paramref name="format"/>.</summary>
    public static int BusWidth(BlockFormat format) => BlockSize * format.Element.TotalBits;

    /// <summary>Width of a two's-complement word that holds any sum of <paramref name="products"/> exact lane products.</summary>
    private int WidthOfSum(int products) => Verilog.UnsignedWidth(Lane.MaxProductSteps * products) + 1;

    private static void RequireMx(BlockFormat format)
    {
        if (format.BlockSize != BlockSize || format.Scale != ScaleFormat || format.HasTensorScale)
            throw new ArgumentException(
                $"block format {format.Name}: unit mx_dot takes MX formats (blocks of {BlockSize}, E8M0 scales), " +
                $"not blocks of {format.BlockSize} with {format.Scale.Name} scales");
    }

    /// <summary>
    /// The expected outputs for one pair of blocks, computed by the MAC engine: the exact term of
    /// <see cref="MxDot.BlockTerm(BlockFormat, ReadOnlySpan{byte}, uint, BlockFormat, ReadOnlySpan{byte}, uint)"/>
    /// taken apart into sum · 2^(scale − F). A NaN or infinite term (NaN scale, NaN or ∞ element) is <c>invalid</c>.
    /// </summary>
    public MxDotResult Emulate(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, uint scaleA, uint scaleB)
    {
        if (a.Length != BlockSize || b.Length != BlockSize)
            throw new ArgumentException($"{ModuleName}: blocks have {BlockSize} elements, not {a.Length} and {b.Length}");
        ExactValue term = MxDot.BlockTerm(FormatA, a, scaleA, FormatB, b, scaleB).Value;
        if (!term.IsFinite) return new MxDotResult(0, 0, true);
        int scale = (int)scaleA + (int)scaleB + ScaleOffset;
        BigInteger sum = BigInteger.Zero;
        if (term.Kind == ValueKind.Finite)
        {
            int shift = term.Exponent + SumFractionBits - scale; // sum = term · 2^(F − scale)
            if (shift < 0)
                throw new InvalidOperationException($"{ModuleName}: block term {term.ToDouble()} is not a multiple of 2^{scale - SumFractionBits}");
            sum = term.Significand << shift;
        }
        BigInteger limit = BigInteger.One << (SumWidth - 1);
        if (sum >= limit || sum < -limit)
            throw new InvalidOperationException($"{ModuleName}: block sum {sum} does not fit {SumWidth} bits");
        return new MxDotResult(sum, scale, false);
    }

    /// <inheritdoc/>
    public IReadOnlyList<(string File, string Text)> Generate() =>
        [(Lane.ModuleName + ".v", Lane.GenerateModule()), (ModuleName + ".v", GenerateModule())];

    /// <summary>The block module's Verilog (it instantiates <see cref="FpMulUnit.ModuleName"/> once per lane).</summary>
    public string GenerateModule()
    {
        int na = FormatA.Element.TotalBits, nb = FormatB.Element.TotalBits;
        var unused = new List<string>(); // zero- and sign-extensions only: nothing is cut (checked below)
        object[] adders = AdderTree(unused, out string root);
        string scaleA = Verilog.Resize("scale_a", ScaleCodeBits, ScaleWidth, signed: false, unused);
        string scaleB = Verilog.Resize("scale_b", ScaleCodeBits, ScaleWidth, signed: false, unused);
        if (unused.Count > 0) throw new InvalidOperationException($"{ModuleName}: a width change cut bits ({string.Join(", ", unused)})");
        var lanes = Enumerable.Range(0, BlockSize).Select(i => new
        {
            i,
            a_msb = (i + 1) * na - 1,
            a_lsb = i * na,
            b_msb = (i + 1) * nb - 1,
            b_lsb = i * nb,
        }).ToArray();
        return RtlTemplates.Render("mx_dot.v.sbn", new
        {
            header = Generator.Header,
            module = ModuleName,
            multiplier = Lane.ModuleName,
            fa = FormatA.Name,
            fb = FormatB.Name,
            ea = FormatA.Element.Name,
            eb = FormatB.Element.Name,
            lanes_count = BlockSize,
            a_msb = BusWidth(FormatA) - 1,
            b_msb = BusWidth(FormatB) - 1,
            na,
            nb,
            sc_msb = ScaleCodeBits - 1,
            s_msb = ScaleWidth - 1,
            w = SumWidth,
            w_msb = SumWidth - 1,
            f = SumFractionBits,
            wp_msb = Lane.ProductWidth - 1,
            lanes,
            adders,
            root,
            w_zero = Verilog.Hex(0, SumWidth),
            s_zero = Verilog.Hex(0, ScaleWidth),
            scale_a_ext = scaleA,
            scale_b_ext = scaleB,
            scale_offset = Verilog.Hex(ScaleOffset, ScaleWidth),
            scale_formula = $"scale_a + scale_b - {-ScaleOffset}",
            s_bits = ScaleWidth,
            nan_scale = Verilog.Hex(NaNScale, ScaleCodeBits),
        });
    }

    /// <summary>
    /// The adder tree as a list of two-input adders, level by level: level 0 is the lane products p_i, each node of
    /// level k sums two nodes of level k − 1 (an odd one out moves up unchanged). Every node is exactly as wide as the
    /// largest sum of the products below it needs, so no adder can overflow and none carries dead bits.
    /// </summary>
    private object[] AdderTree(List<string> unused, out string root)
    {
        var level = Enumerable.Range(0, BlockSize).Select(i => (Name: $"p_{i}", Products: 1)).ToList();
        var adders = new List<object>();
        for (int depth = 1; level.Count > 1; depth++)
        {
            var next = new List<(string Name, int Products)>();
            for (int j = 0; j + 1 < level.Count; j += 2)
            {
                var (l, r) = (level[j], level[j + 1]);
                int products = l.Products + r.Products, width = WidthOfSum(products);
                string name = $"s{depth}_{j / 2}";
                adders.Add(new
                {
                    name,
                    msb = width - 1,
                    depth,
                    left = Verilog.Resize(l.Name, WidthOfSum(l.Products), width, signed: true, unused),
                    right = Verilog.Resize(r.Name, WidthOfSum(r.Products), width, signed: true, unused),
                });
                next.Add((name, products));
            }
            if (level.Count % 2 == 1) next.Add(level[^1]);
            level = next;
        }
        root = level[0].Name;
        if (WidthOfSum(level[0].Products) != SumWidth) throw new InvalidOperationException("adder tree root is not the sum word");
        return adders.ToArray();
    }
}
