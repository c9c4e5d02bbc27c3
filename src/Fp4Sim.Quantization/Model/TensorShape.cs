namespace Fp4Sim.Quantization.Model;

/// <summary>Element counts and display of tensor shapes, with the overflow checks a file's header needs.</summary>
internal static class TensorShape
{
    /// <summary>
    /// The product of <paramref name="shape"/> (1 for a scalar), or false when a dimension is negative or the product
    /// exceeds what one .NET array can hold (the loaders keep each tensor in one array).
    /// </summary>
    public static bool TryCountElements(ReadOnlySpan<int> shape, out long count)
    {
        count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0) return false;
            if (dimension == 0)
            {
                count = 0; // later dimensions cannot overflow an empty product
                continue;
            }

            if (count > Array.MaxLength / dimension) return false;
            count *= dimension;
        }

        return true;
    }

    /// <summary>Why <paramref name="shape"/> has no element count: a negative dimension or too many elements.</summary>
    public static string WhyUncountable(ReadOnlySpan<int> shape)
    {
        foreach (int dimension in shape)
        {
            if (dimension < 0) return $"shape {Format(shape)} has a negative dimension";
        }

        return $"shape {Format(shape)} has more elements than one array can hold ({Array.MaxLength})";
    }

    /// <summary>The shape as <c>[3,4]</c>; a scalar is <c>[]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => $"[{string.Join(',', shape.ToArray())}]";
}
