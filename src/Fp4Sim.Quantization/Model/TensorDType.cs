namespace Fp4Sim.Quantization.Model;

/// <summary>
/// Element types of stored tensors. Only <see cref="Float32"/> and <see cref="Int32"/> are loaded; the others are
/// recognized so that a file using them is rejected by name ("dtype F16 … is not supported") rather than as garbage.
/// </summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32 (safetensors <c>F32</c>, TensorFlow.js <c>float32</c>).</summary>
    Float32,

    /// <summary>Two's-complement 32-bit integer (safetensors <c>I32</c>, TensorFlow.js <c>int32</c>).</summary>
    Int32,

    /// <summary>IEEE 754 binary16 (<c>F16</c>).</summary>
    Float16,

    /// <summary>bfloat16 (<c>BF16</c>).</summary>
    BFloat16,

    /// <summary>IEEE 754 binary64 (<c>F64</c>).</summary>
    Float64,

    /// <summary>64-bit integer (<c>I64</c>).</summary>
    Int64,

    /// <summary>8-bit integer (<c>I8</c>).</summary>
    Int8,

    /// <summary>8-bit unsigned integer (<c>U8</c>).</summary>
    UInt8,

    /// <summary>One byte per boolean (<c>BOOL</c>).</summary>
    Bool,

    /// <summary>16-bit integer (<c>I16</c>).</summary>
    Int16,

    /// <summary>16-bit unsigned integer (<c>U16</c>).</summary>
    UInt16,

    /// <summary>32-bit unsigned integer (<c>U32</c>).</summary>
    UInt32,

    /// <summary>64-bit unsigned integer (<c>U64</c>).</summary>
    UInt64,

    /// <summary>FP8 E4M3 (<c>F8_E4M3</c>).</summary>
    Float8E4M3,

    /// <summary>FP8 E5M2 (<c>F8_E5M2</c>).</summary>
    Float8E5M2,
}

/// <summary>Sizes and file-format names of <see cref="TensorDType"/> values.</summary>
public static class TensorDTypes
{
    // One row per dtype: its safetensors name and its size, so the two cannot disagree.
    private static readonly (TensorDType DType, string SafetensorsName, int Size)[] Table =
    [
        (TensorDType.Float32, "F32", 4), (TensorDType.Int32, "I32", 4), (TensorDType.Float16, "F16", 2),
        (TensorDType.BFloat16, "BF16", 2), (TensorDType.Float64, "F64", 8), (TensorDType.Int64, "I64", 8),
        (TensorDType.Int8, "I8", 1), (TensorDType.UInt8, "U8", 1), (TensorDType.Bool, "BOOL", 1),
        (TensorDType.Int16, "I16", 2), (TensorDType.UInt16, "U16", 2), (TensorDType.UInt32, "U32", 4),
        (TensorDType.UInt64, "U64", 8), (TensorDType.Float8E4M3, "F8_E4M3", 1), (TensorDType.Float8E5M2, "F8_E5M2", 1),
    ];

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int SizeInBytes(this TensorDType dtype) => Row(dtype).Size;

    /// <summary>Whether tensors of <paramref name="dtype"/> can be loaded (float32 and int32).</summary>
    public static bool IsLoadable(this TensorDType dtype) => dtype is TensorDType.Float32 or TensorDType.Int32;

    /// <summary>The safetensors name of <paramref name="dtype"/>, e.g. <c>F32</c>.</summary>
    public static string SafetensorsName(this TensorDType dtype) => Row(dtype).SafetensorsName;

    /// <summary>The lower-case name used in messages and TensorFlow.js manifests, e.g. <c>float32</c>.</summary>
    public static string DisplayName(this TensorDType dtype) => dtype.ToString().ToLowerInvariant();

    /// <summary>Parses a safetensors dtype name (case-sensitive, as the format defines it).</summary>
    public static bool TryParseSafetensorsName(string name, out TensorDType dtype)
    {
        foreach (var row in Table)
        {
            if (row.SafetensorsName != name) continue;
            dtype = row.DType;
            return true;
        }

        dtype = default;
        return false;
    }

    private static (TensorDType DType, string SafetensorsName, int Size) Row(TensorDType dtype)
    {
        foreach (var row in Table)
        {
            if (row.DType == dtype) return row;
        }

        throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a TensorDType");
    }
}
