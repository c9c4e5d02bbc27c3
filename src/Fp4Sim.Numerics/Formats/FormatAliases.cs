namespace Fp4Sim.Numerics.Formats;

/// <summary>One alternative spelling of a format.</summary>
/// <param name="Name">The spelling, lower case (the parser lower-cases what it reads, so ONNX's <c>FLOAT8E4M3FN</c> is <c>float8e4m3fn</c>).</param>
/// <param name="Format">The format it names: same width, values, specials and zeros.</param>
/// <param name="Sources">Who spells it so: <c>ml_dtypes</c>, <c>PyTorch</c>, <c>ONNX</c>, <c>NumPy</c> or <c>Fp4Sim</c>.</param>
public sealed record FormatAlias(string Name, FormatInfo Format, string Sources);

/// <summary>
/// The names users type for the formats of the core: ml_dtypes' dtype names, PyTorch's <c>torch.</c> dtypes, ONNX's
/// <c>TensorProto.DataType</c> names (any case) and a few NumPy and short spellings. Data only: each alias names a
/// format of <see cref="KnownFormats"/> or a generic <c>int&lt;N&gt;</c> / <c>uint&lt;N&gt;</c>, whose definition matches
/// the library's published one (width, bias, specials, whether −0 exists). Names whose own spelling is already the
/// format's (<c>int4</c>, <c>uint4</c>, <c>int8</c>, ONNX's <c>INT16</c>) are not listed. Not aliased: ml_dtypes' and
/// PyTorch's <c>int1</c> (a 1-bit two's complement integer; <c>int&lt;N&gt;</c> takes 2..16 bits), PyTorch's packed
/// <c>float4_e2m1fn_x2</c> (two codes per byte), and the wider types (int32, float64, …).
/// </summary>
public static class FormatAliases
{
    private const string MlDtypes = "ml_dtypes";
    private const string Torch = "PyTorch";
    private const string Onnx = "ONNX";

    /// <summary>Every alias, grouped by format in catalogue order.</summary>
    public static IReadOnlyList<FormatAlias> All { get; } =
    [
        new("float4_e2m1fn", KnownFormats.E2M1, MlDtypes),
        new("float4e2m1", KnownFormats.E2M1, Onnx),
        new("float6_e2m3fn", KnownFormats.E2M3, MlDtypes),
        new("float6_e3m2fn", KnownFormats.E3M2, MlDtypes),
        new("e4m3fn", KnownFormats.E4M3, "Fp4Sim"),
        new("float8_e4m3fn", KnownFormats.E4M3, MlDtypes),
        new("torch.float8_e4m3fn", KnownFormats.E4M3, Torch),
        new("float8e4m3fn", KnownFormats.E4M3, Onnx),
        new("float8_e5m2", KnownFormats.E5M2, MlDtypes),
        new("torch.float8_e5m2", KnownFormats.E5M2, Torch),
        new("float8e5m2", KnownFormats.E5M2, Onnx),
        new("float8_e4m3fnuz", KnownFormats.E4M3Fnuz, MlDtypes),
        new("torch.float8_e4m3fnuz", KnownFormats.E4M3Fnuz, Torch),
        new("float8e4m3fnuz", KnownFormats.E4M3Fnuz, Onnx),
        new("float8_e5m2fnuz", KnownFormats.E5M2Fnuz, MlDtypes),
        new("torch.float8_e5m2fnuz", KnownFormats.E5M2Fnuz, Torch),
        new("float8e5m2fnuz", KnownFormats.E5M2Fnuz, Onnx),
        new("float8_e4m3", KnownFormats.E4M3Ieee, MlDtypes),
        new("float8_e3m4", KnownFormats.E3M4, MlDtypes),
        new("float8_e4m3b11fnuz", KnownFormats.E4M3B11Fnuz, MlDtypes),
        new("float8_e5m3fnu", KnownFormats.E5M3Fnu, MlDtypes),
        new("e8m0fnu", KnownFormats.E8M0, "Fp4Sim"),
        new("float8_e8m0fnu", KnownFormats.E8M0, MlDtypes),
        new("torch.float8_e8m0fnu", KnownFormats.E8M0, Torch),
        new("float8e8m0", KnownFormats.E8M0, Onnx),
        new("float16", KnownFormats.Fp16, "NumPy, ONNX"),
        new("half", KnownFormats.Fp16, "NumPy"),
        new("torch.float16", KnownFormats.Fp16, Torch),
        new("torch.half", KnownFormats.Fp16, Torch),
        new("bfloat16", KnownFormats.Bf16, "ml_dtypes, ONNX"),
        new("torch.bfloat16", KnownFormats.Bf16, Torch),
        new("float32", KnownFormats.Fp32, "NumPy"),
        new("float", KnownFormats.Fp32, Onnx),
        new("torch.float32", KnownFormats.Fp32, Torch),
        new("torch.float", KnownFormats.Fp32, Torch),
        new("torch.int4", KnownFormats.Int4, Torch),
        new("torch.int8", KnownFormats.Int8, Torch),
        new("torch.uint4", KnownFormats.UInt4, Torch),
        .. TorchIntegers(),
    ];

    /// <summary>Lower-case alias → format.</summary>
    public static IReadOnlyDictionary<string, FormatInfo> ByName { get; } = All.ToDictionary(a => a.Name, a => a.Format);

    /// <summary>
    /// The formats aliases name that are not in <see cref="KnownFormats.All"/>: generic integers (int2, int16, uint8, …),
    /// signed before unsigned, narrowest first.
    /// </summary>
    public static IReadOnlyList<FormatInfo> GenericTargets { get; } =
        All.Select(a => a.Format).Distinct().Where(f => !KnownFormats.All.Contains(f))
           .OrderBy(f => f.IsSigned ? 0 : 1).ThenBy(f => f.TotalBits).ToArray();

    /// <summary>The aliases of <paramref name="format"/>, in <see cref="All"/>'s order (none for an unnamed variant).</summary>
    public static IReadOnlyList<string> Of(FormatInfo format) => All.Where(a => a.Format == format).Select(a => a.Name).ToArray();

    /// <summary>
    /// PyTorch's narrow integer dtypes other than int4 / int8 / uint4 (catalogued): <c>torch.int2</c> .. <c>torch.int7</c>,
    /// <c>torch.int16</c> (also <c>torch.short</c>), <c>torch.uint1</c> .. <c>torch.uint7</c>, <c>torch.uint8</c>,
    /// <c>torch.uint16</c>.
    /// </summary>
    private static IEnumerable<FormatAlias> TorchIntegers()
    {
        foreach (int bits in (int[])[2, 3, 5, 6, 7, 16])
            yield return new($"torch.int{bits}", KnownFormats.Integer(bits), Torch);
        yield return new("torch.short", KnownFormats.Integer(16), Torch);
        foreach (int bits in (int[])[1, 2, 3, 5, 6, 7, 8, 16])
            yield return new($"torch.uint{bits}", KnownFormats.UnsignedInteger(bits), Torch);
    }
}
