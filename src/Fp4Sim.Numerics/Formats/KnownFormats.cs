namespace Fp4Sim.Numerics.Formats;

/// <summary>
/// The named catalogue (data only). Canonical names are short (<c>e4m3</c>, <c>bf16</c>); the spellings of ml_dtypes, PyTorch
/// and ONNX are <see cref="Aliases"/>.
/// </summary>
public static class KnownFormats
{
    /// <summary>OCP FP4 E2M1: max 6, no Inf/NaN.</summary>
    public static readonly FormatInfo E2M1 = Float("e2m1", 2, 1, SpecialsPolicy.None);
    /// <summary>FP4 E3M0 (LLM-FP4 search space): powers of two, max 16.</summary>
    public static readonly FormatInfo E3M0 = Float("e3m0", 3, 0, SpecialsPolicy.None);
    /// <summary>FP4 E1M2 (LLM-FP4 search space): bias 0, INT-like grid, max 3.5.</summary>
    public static readonly FormatInfo E1M2 = Float("e1m2", 1, 2, SpecialsPolicy.None);
    /// <summary>OCP FP6 E2M3: max 7.5.</summary>
    public static readonly FormatInfo E2M3 = Float("e2m3", 2, 3, SpecialsPolicy.None);
    /// <summary>OCP FP6 E3M2: max 28.</summary>
    public static readonly FormatInfo E3M2 = Float("e3m2", 3, 2, SpecialsPolicy.None);
    /// <summary>OCP FP8 E4M3 (ml_dtypes float8_e4m3fn): max 448, NaN = S.1111.111, no Inf.</summary>
    public static readonly FormatInfo E4M3 = Float("e4m3", 4, 3, SpecialsPolicy.Fn);
    /// <summary>OCP FP8 E5M2: IEEE-like, max 57344.</summary>
    public static readonly FormatInfo E5M2 = Float("e5m2", 5, 2, SpecialsPolicy.Ieee);
    /// <summary>E4M3 FNUZ (bias 8): max 240, single NaN 0x80, no −0.</summary>
    public static readonly FormatInfo E4M3Fnuz = Float("e4m3fnuz", 4, 3, SpecialsPolicy.Fnuz, bias: 8);
    /// <summary>E5M2 FNUZ (bias 16): max 57344, single NaN 0x80, no −0.</summary>
    public static readonly FormatInfo E5M2Fnuz = Float("e5m2fnuz", 5, 2, SpecialsPolicy.Fnuz, bias: 16);
    /// <summary>E4M3 with IEEE specials (ml_dtypes float8_e4m3): Inf S.1111.000, NaN S.1111.xxx, max 240.</summary>
    public static readonly FormatInfo E4M3Ieee = Float("e4m3ieee", 4, 3, SpecialsPolicy.Ieee);
    /// <summary>E3M4 with IEEE specials (ml_dtypes float8_e3m4): bias 3, max 15.5.</summary>
    public static readonly FormatInfo E3M4 = Float("e3m4", 3, 4, SpecialsPolicy.Ieee);
    /// <summary>E4M3 FNUZ with bias 11 (ml_dtypes float8_e4m3b11fnuz): max 30, single NaN 0x80, no −0.</summary>
    public static readonly FormatInfo E4M3B11Fnuz = Float("e4m3b11fnuz", 4, 3, SpecialsPolicy.Fnuz, bias: 11);
    /// <summary>Unsigned E5M3 (ml_dtypes float8_e5m3fnu): bias 15, no sign, 0xFF = NaN, no Inf, max 114688.</summary>
    public static readonly FormatInfo E5M3Fnu = new("e5m3fnu", IsSigned: false, 5, 3, 15, SpecialsPolicy.Fn);
    /// <summary>OCP E8M0 scale: unsigned, 2^(code−127), 0xFF = NaN, no zero.</summary>
    public static readonly FormatInfo E8M0 = new("e8m0", IsSigned: false, 8, 0, 127, SpecialsPolicy.Fn, Subnormals: false, HasZero: false);
    /// <summary>IEEE binary16.</summary>
    public static readonly FormatInfo Fp16 = Float("fp16", 5, 10, SpecialsPolicy.Ieee);
    /// <summary>bfloat16.</summary>
    public static readonly FormatInfo Bf16 = Float("bf16", 8, 7, SpecialsPolicy.Ieee);
    /// <summary>IEEE binary32.</summary>
    public static readonly FormatInfo Fp32 = Float("fp32", 8, 23, SpecialsPolicy.Ieee);
    /// <summary>Two's complement 4-bit integer, −8..7.</summary>
    public static readonly FormatInfo Int4 = Integer("int4", 4);
    /// <summary>Two's complement 8-bit integer, −128..127.</summary>
    public static readonly FormatInfo Int8 = Integer("int8", 8);
    /// <summary>Unsigned 4-bit integer, 0..15.</summary>
    public static readonly FormatInfo UInt4 = UnsignedInteger("uint4", 4);

    /// <summary>Every catalogued format, in display order.</summary>
    public static IReadOnlyList<FormatInfo> All { get; } =
    [
        E2M1, E3M0, E1M2, E2M3, E3M2, E4M3, E5M2, E4M3Fnuz, E5M2Fnuz, E4M3Ieee, E3M4, E4M3B11Fnuz, E5M3Fnu, E8M0,
        Fp16, Bf16, Fp32, Int4, Int8, UInt4,
    ];

    /// <summary>
    /// Alternative spellings accepted by the parser (lower case; the parser lower-cases what it reads): the names of
    /// ml_dtypes, PyTorch and ONNX, each naming the format with the same values and specials (<see cref="FormatAliases"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, FormatInfo> Aliases => FormatAliases.ByName;

    /// <summary>The default bias 2^(E−1) − 1, or 2^(E−1) for fnuz formats.</summary>
    public static int DefaultBias(int exponentBits, SpecialsPolicy specials) =>
        specials == SpecialsPolicy.Fnuz ? 1 << (exponentBits - 1) : (1 << (exponentBits - 1)) - 1;

    internal static FormatInfo Float(string name, int e, int m, SpecialsPolicy specials, int? bias = null) =>
        new(name, IsSigned: true, e, m, bias ?? DefaultBias(e, specials), specials);

    /// <summary>The two's-complement integer format <c>int&lt;bits&gt;</c> (−2^(bits−1) .. 2^(bits−1) − 1).</summary>
    public static FormatInfo Integer(int bits) => Integer($"int{bits}", bits);

    /// <summary>The unsigned integer format <c>uint&lt;bits&gt;</c> (0 .. 2^bits − 1).</summary>
    public static FormatInfo UnsignedInteger(int bits) => UnsignedInteger($"uint{bits}", bits);

    internal static FormatInfo Integer(string name, int bits) =>
        new(name, IsSigned: true, 0, bits - 1, 0, SpecialsPolicy.None, IsInteger: true);

    internal static FormatInfo UnsignedInteger(string name, int bits) =>
        new(name, IsSigned: false, 0, bits, 0, SpecialsPolicy.None, IsInteger: true);
}
