namespace Fp4Sim.Numerics.IO;

/// <summary>An array read from a .npy file: its dimensions and its elements in C (row-major) order.</summary>
/// <param name="Shape">Dimensions, outermost first; empty for a 0-d (scalar) array.</param>
/// <param name="Data">The elements; the product of <paramref name="Shape"/> of them (1 for a 0-d array).</param>
/// <typeparam name="T">
/// Element type: <see cref="float"/>, <see cref="Half"/>, <see cref="double"/>, <see cref="byte"/>, <see cref="ushort"/>,
/// <see cref="uint"/> or <see cref="int"/>.
/// </typeparam>
public sealed record NpyArray<T>(int[] Shape, T[] Data) where T : unmanaged;
