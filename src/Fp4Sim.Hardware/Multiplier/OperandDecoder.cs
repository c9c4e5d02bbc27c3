using System.Numerics;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Hardware;

/// <summary>
/// How a multiplier input of one format is decoded into sign, significand magnitude and a left shift, so that its
/// value is (−1)^sign · significand · 2^(shift + <see cref="StepExponent"/>). A float ExMy with subnormals: the
/// significand is {normal, mantissa} and the shift is the exponent field minus 1 for normals, 0 for subnormals
/// (both mean the biased exponent max(field, 1)). A two's-complement integer: its magnitude and no shift.
/// </summary>
public sealed partial record OperandDecoder
{
    /// <summary>The operand's format.</summary>
    public FormatInfo Format { get; }

    /// <summary>The exponent of the operand's smallest step (its smallest subnormal, or 0 for integers).</summary>
    public int StepExponent { get; }

    /// <summary>Width of the significand magnitude.</summary>
    public int SignificandWidth { get; }

    /// <summary>Width of the shift.</summary>
    public int ShiftWidth { get; }

    /// <summary>The largest significand magnitude of a finite value, in steps of the significand's lsb.</summary>
    public BigInteger MaxSignificand { get; }

    /// <summary>The largest shift of a finite value.</summary>
    public int MaxShift { get; }

    /// <summary>The (mask, value) pairs whose match marks a NaN or infinity code.</summary>
    public IReadOnlyList<(uint Mask, uint Value)> Specials { get; }

    /// <summary>Checks that hardware can decode <paramref name="format"/>; throws <see cref="ArgumentException"/> if not.</summary>
    public OperandDecoder(FormatInfo format)
    {
        Format = format;
        if (format.IsInteger && !format.IsSigned)
            throw new ArgumentException($"format {format.Name}: the RTL multiplier takes two's complement integers (int<N>), not unsigned ones");
        if (format.IsInteger)
        {
            StepExponent = 0;
            SignificandWidth = format.TotalBits; // |−2^(n−1)| = 2^(n−1) still fits n unsigned bits
            ShiftWidth = 1;
            MaxSignificand = BigInteger.One << format.MantissaBits;
            MaxShift = 0;
            Specials = [];
            return;
        }
        if (!format.IsSigned || !format.HasZero || !format.Subnormals)
            throw new ArgumentException($"format {format.Name}: the RTL multiplier takes signed formats with zero and subnormals, or int4/int8");
        if (format.TotalBits > 16)
            throw new ArgumentException($"format {format.Name}: the RTL multiplier takes operands of at most 16 bits");
        StepExponent = format.MinNormalExponent - format.MantissaBits;
        SignificandWidth = format.MantissaBits + 1;
        ShiftWidth = format.ExponentBits;
        uint maxField = format.MaxFiniteMagnitude >> format.MantissaBits;
        MaxShift = Math.Max(0, (int)maxField - 1);
        MaxSignificand = (maxField == 0 ? 0 : BigInteger.One << format.MantissaBits) | (format.MaxFiniteMagnitude & format.TrailingSignificandMask);
        Specials = format.Specials switch
        {
            SpecialsPolicy.Ieee => [(format.MagnitudeMask & ~format.TrailingSignificandMask, format.MagnitudeMask & ~format.TrailingSignificandMask)],
            SpecialsPolicy.Fn => [(format.MagnitudeMask, format.MagnitudeMask)],
            SpecialsPolicy.Fnuz => [(format.CodeMask, format.SignMask)],
            _ => [],
        };
    }

    /// <summary>True when <paramref name="code"/> is a NaN or an infinity (the decoder's <c>_special</c> wire is high).</summary>
    public bool IsSpecial(uint code) => Specials.Any(s => (code & s.Mask) == s.Value);

    /// <summary>The largest finite magnitude in steps of 2^<see cref="StepExponent"/>.</summary>
    public BigInteger MaxMagnitudeSteps => MaxSignificand << MaxShift;

    /// <summary>The operand decoder's Verilog (wires <c>{prefix}_sign</c>, <c>_sig</c>, <c>_shift</c>, <c>_special</c>).</summary>
    public string Render(string prefix)
    {
        int n = Format.TotalBits;
        var specials = Specials.Select(s => new { mask = Verilog.Hex(s.Mask, n), value = Verilog.Hex(s.Value, n) }).ToArray();
        if (Format.IsInteger)
            return RtlTemplates.Render("decode_int.v.sbn", new { p = prefix, format = Format.Name, n, msb = n - 1 });
        int e = Format.ExponentBits, m = Format.MantissaBits;
        var unused = new List<string>();
        return RtlTemplates.Render("decode_float.v.sbn", new
        {
            p = prefix,
            format = Format.Name,
            bias = Format.Bias,
            n,
            sign_bit = e + m,
            exp_msb = e + m - 1,
            exp_lsb = m,
            e,
            e_msb = e - 1,
            m,
            sig_msb = m,
            significand = m == 0 ? $"{prefix}_norm" : $"{{ {prefix}_norm, {prefix}[{m - 1}:0] }}", // ExM0: the implicit bit alone
            norm_extended = Verilog.Resize(prefix + "_norm", 1, e, signed: false, unused),
            specials,
        });
    }
}
