using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Fp4Sim.Quantization.Model;

/// <summary>Fills <paramref name="destination"/> completely from a file, or throws <see cref="ModelFileException"/>.</summary>
internal delegate void FillBytes(Span<byte> destination);

/// <summary>
/// Moves tensor values between files (little endian, as both formats store them) and arrays, reading straight into
/// the final array so a weight is never held twice.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Reads <paramref name="elementCount"/> values of <paramref name="dtype"/> (float32 or int32).</summary>
    public static NamedTensor Read(string name, int[] shape, TensorDType dtype, int elementCount, FillBytes fill)
    {
        switch (dtype)
        {
            case TensorDType.Float32:
                var floats = new float[elementCount];
                fill(MemoryMarshal.AsBytes(floats.AsSpan()));
                ToLittleEndian(MemoryMarshal.Cast<float, int>(floats.AsSpan()));
                return NamedTensor.OfFloats(name, shape, floats);
            case TensorDType.Int32:
                var ints = new int[elementCount];
                fill(MemoryMarshal.AsBytes(ints.AsSpan()));
                ToLittleEndian(ints);
                return NamedTensor.OfInts(name, shape, ints);
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "only float32 and int32 are loaded");
        }
    }

    /// <summary>Writes the values of <paramref name="tensor"/> little endian.</summary>
    public static void Write(Stream stream, NamedTensor tensor)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(tensor.ValueBytes);
            return;
        }

        int[] swapped = MemoryMarshal.Cast<byte, int>(tensor.ValueBytes).ToArray();
        ToLittleEndian(swapped);
        stream.Write(MemoryMarshal.AsBytes(swapped.AsSpan()));
    }

    // Both formats are little endian; on a big-endian machine the 4-byte words are swapped in place.
    private static void ToLittleEndian(Span<int> words)
    {
        if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(words, words);
    }
}
