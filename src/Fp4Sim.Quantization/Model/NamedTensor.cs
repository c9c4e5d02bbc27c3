using System.Runtime.InteropServices;

namespace Fp4Sim.Quantization.Model;

/// <summary>
/// One stored tensor: its name, shape, element type and row-major values — <see cref="Floats"/> for float32,
/// <see cref="Ints"/> for int32 (exactly one of them is set). Built only through <see cref="OfFloats"/> and
/// <see cref="OfInts"/>, which check that the shape's element count matches the values. The arrays are shared, not
/// copied (model weights are large): treat them as read-only. Two tensors are equal when their names, shapes, dtypes
/// and value bits are equal (so NaN equals the same NaN, and 0 differs from −0).
/// </summary>
public sealed record NamedTensor
{
    private NamedTensor(string name, int[] shape, TensorDType dtype, float[]? floats, int[]? ints, int elementCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (!TensorShape.TryCountElements(shape, out long expected))
            throw new ArgumentException($"tensor '{name}': {TensorShape.WhyUncountable(shape)}", nameof(shape));
        if (expected != elementCount)
            throw new ArgumentException(
                $"tensor '{name}' has shape {TensorShape.Format(shape)} = {expected} values but {elementCount} were given",
                nameof(shape));
        Name = name;
        Shape = (int[])shape.Clone(); // the caller's array may be reused; the values check above must stay true
        DType = dtype;
        Floats = floats;
        Ints = ints;
    }

    /// <summary>A float32 tensor holding <paramref name="values"/> (not copied) in row-major order.</summary>
    /// <exception cref="ArgumentException">The name is empty, or the shape's element count is not the value count.</exception>
    public static NamedTensor OfFloats(string name, int[] shape, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new NamedTensor(name, shape, TensorDType.Float32, values, null, values.Length);
    }

    /// <summary>An int32 tensor holding <paramref name="values"/> (not copied) in row-major order.</summary>
    /// <exception cref="ArgumentException">The name is empty, or the shape's element count is not the value count.</exception>
    public static NamedTensor OfInts(string name, int[] shape, int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new NamedTensor(name, shape, TensorDType.Int32, null, values, values.Length);
    }

    /// <summary>The tensor's name in its file.</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The element type: <see cref="TensorDType.Float32"/> or <see cref="TensorDType.Int32"/>.</summary>
    public TensorDType DType { get; }

    /// <summary>The values of a float32 tensor; null for an int32 one.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an int32 tensor; null for a float32 one.</summary>
    public int[]? Ints { get; }

    /// <summary>The number of values (the product of <see cref="Shape"/>).</summary>
    public int ElementCount => Floats?.Length ?? Ints!.Length;

    /// <summary>The size of the values in bytes (4 per element).</summary>
    public long ByteCount => (long)ElementCount * DType.SizeInBytes();

    /// <summary>The values' bytes in the machine's byte order (files need little endian: see <see cref="TensorBytes"/>).</summary>
    internal ReadOnlySpan<byte> ValueBytes =>
        Floats is not null ? MemoryMarshal.AsBytes(Floats.AsSpan()) : MemoryMarshal.AsBytes(Ints!.AsSpan());

    /// <summary>Equal names, shapes, dtypes and value bits.</summary>
    public bool Equals(NamedTensor? other) =>
        other is not null && Name == other.Name && DType == other.DType && Shape.AsSpan().SequenceEqual(other.Shape)
        && ValueBytes.SequenceEqual(other.ValueBytes);

    /// <summary>A hash of the name, dtype and shape (the values would make hashing as slow as comparing).</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(DType);
        foreach (int dimension in Shape) hash.Add(dimension);
        return hash.ToHashCode();
    }

    /// <summary>The name, dtype and shape, e.g. <c>module/Embeddings_en float32 [8002,256]</c>.</summary>
    public override string ToString() => $"{Name} {DType.DisplayName()} {TensorShape.Format(Shape)}";
}
