namespace Fp4Sim.Quantization.Search;

/// <summary>
/// Grow-only scratch arrays: the search repeats the same large allocations every step, and fresh pages cost a page
/// fault each (dear on virtual machines), so a sweep keeps its buffers.
/// </summary>
internal static class Buffers
{
    /// <summary>The buffer, replaced by a larger one when it holds fewer than <paramref name="length"/> elements (contents unspecified).</summary>
    public static T[] AtLeast<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer;
    }

    /// <summary>The buffer with at least <paramref name="length"/> elements, its first <paramref name="length"/> zeroed.</summary>
    public static T[] Zeroed<T>(ref T[] buffer, int length)
    {
        AtLeast(ref buffer, length);
        Array.Clear(buffer, 0, length);
        return buffer;
    }
}
