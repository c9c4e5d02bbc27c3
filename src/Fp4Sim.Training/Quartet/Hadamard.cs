using System.Numerics;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Training.Quartet;

/// <summary>Which rotation a quantizer applies to each group of 32 before it quantizes.</summary>
public enum HadamardKind
{
    /// <summary>No rotation.</summary>
    None,
    /// <summary>The normalized 32×32 Sylvester Hadamard H (the forward pass: the same H for X and W, so it cancels).</summary>
    Fixed,
    /// <summary>H with seeded random ±1 signs ξ (the backward pass: fresh signs per call, shared by both operands).</summary>
    Random,
}

/// <summary>Where the random signs of <see cref="HadamardKind.Random"/> sit.</summary>
public enum SignPlacement
{
    /// <summary>diag(ξ)·H: the signs flip the inputs before the transform, a true randomized Hadamard (Quartet's fixed branch).</summary>
    Before,
    /// <summary>H·diag(ξ): the signs flip the outputs after it, which leaves the magnitudes unchanged (Quartet's released code).</summary>
    After,
}

/// <summary>
/// A block rotation r = x·Ĥ of one group of 32 (a row vector along the GEMM's reduction dimension), Ĥ ∈ {I, H,
/// diag(ξ)·H, H·diag(ξ)}, with H[i, j] = (−1)^popcount(i AND j) / √32. Arithmetic (the one definition every path
/// follows): S_j = Σ_i ±x_i in binary64, i = 0 … 31 in order from +0 (each x_i exact; each add RNE); r_j =
/// RNE32(RNE64(S_j · c)) with c = RNE64(1/√32). H is symmetric and orthogonal, so the inverse of x·Ĥ is r·Ĥᵀ
/// (<see cref="Inverse"/>).
/// </summary>
public sealed record HadamardRotation
{
    /// <summary>The group size, 32 (the MX block).</summary>
    public const int Size = 32;

    /// <summary>1/√32 correctly rounded to binary64, 0x3FC6A09E667F3BCD (= RNE64(√2)/8; 1.0/Math.Sqrt(32) is one ulp low).</summary>
    public static readonly double Normalization = Math.Sqrt(2) / 8;

    // termSigns[i * 32 + j] = ±1: the sign of x_i in S_j (input signs times H's sign); outputSigns[j] = ±1.
    private readonly double[] _termSigns;
    private readonly double[] _outputSigns;

    private HadamardRotation(HadamardKind kind, SignPlacement placement, sbyte[] signs)
    {
        Kind = kind;
        Placement = placement;
        Signs = signs;
        _termSigns = new double[Size * Size];
        _outputSigns = new double[Size];
        bool before = placement == SignPlacement.Before;
        for (int j = 0; j < Size; j++)
        {
            _outputSigns[j] = before ? 1 : signs[j];
            for (int i = 0; i < Size; i++) _termSigns[i * Size + j] = (before ? signs[i] : 1) * Sign(i, j);
        }
    }

    /// <summary>The identity (no rotation).</summary>
    public static HadamardRotation None { get; } = new(HadamardKind.None, SignPlacement.Before, Ones());

    /// <summary>The fixed normalized Hadamard H.</summary>
    public static HadamardRotation Fixed { get; } = new(HadamardKind.Fixed, SignPlacement.Before, Ones());

    /// <summary>What this rotation is.</summary>
    public HadamardKind Kind { get; }

    /// <summary>Where the signs sit (meaningful for <see cref="HadamardKind.Random"/>).</summary>
    public SignPlacement Placement { get; }

    /// <summary>The 32 signs ξ (all +1 unless random).</summary>
    public IReadOnlyList<sbyte> Signs { get; }

    /// <summary>
    /// H with the signs ξ_j = −1 when bit 31 of <see cref="StochasticBits.For"/>(<paramref name="seed"/>, j) is set,
    /// else +1, placed per <paramref name="placement"/>.
    /// </summary>
    public static HadamardRotation Random(ulong seed, SignPlacement placement)
    {
        var signs = new sbyte[Size];
        for (int j = 0; j < Size; j++) signs[j] = (StochasticBits.For(seed, (ulong)j) >> 31) != 0 ? (sbyte)-1 : (sbyte)1;
        return new HadamardRotation(HadamardKind.Random, placement, signs);
    }

    /// <summary>The rotation undoing this one, r·Ĥᵀ: H for H, and diag(ξ)·H and H·diag(ξ) undo each other.</summary>
    public HadamardRotation Inverse => Kind != HadamardKind.Random ? this
        : new HadamardRotation(Kind, Placement == SignPlacement.Before ? SignPlacement.After : SignPlacement.Before, [.. Signs]);

    /// <summary>The sign of H[i, j] (before normalization).</summary>
    public static int Sign(int i, int j) => (BitOperations.PopCount((uint)(i & j)) & 1) == 0 ? 1 : -1;

    /// <summary>
    /// Rotates one group of 32 (<paramref name="x"/> and <paramref name="r"/> may not overlap). The sums run over i in
    /// order for all 32 outputs at once (vector lanes are outputs j), so every S_j is the defined sequence of adds.
    /// </summary>
    public void RotateGroup(ReadOnlySpan<float> x, Span<float> r)
    {
        if (x.Length != Size || r.Length != Size) throw new ArgumentException($"a rotation group has {Size} values");
        if (Kind == HadamardKind.None) { x.CopyTo(r); return; }
        Span<double> sums = stackalloc double[Size];
        sums.Clear();
        int lanes = Vector<double>.Count;
        for (int i = 0; i < Size; i++)
        {
            var xi = new Vector<double>(x[i]);
            ReadOnlySpan<double> row = _termSigns.AsSpan(i * Size, Size);
            for (int j = 0; j < Size; j += lanes)
            {
                Span<double> s = sums.Slice(j, lanes);
                (new Vector<double>(s) + new Vector<double>(row.Slice(j, lanes)) * xi).CopyTo(s); // ±x_i is exact
            }
        }
        for (int j = 0; j < Size; j++) r[j] = (float)(_outputSigns[j] * (sums[j] * Normalization));
    }

    /// <summary>
    /// Rotates every group of 32 along the rows of a row-major <paramref name="rows"/> × <paramref name="columns"/>
    /// matrix (columns a multiple of 32) into a new array; rows split over the cores.
    /// </summary>
    public float[] RotateRows(float[] m, int rows, int columns)
    {
        CheckShape(m.Length, rows, columns);
        var r = new float[m.Length];
        if (Kind == HadamardKind.None) { m.AsSpan().CopyTo(r); return r; }
        Parallel.For(0, rows, row =>
        {
            for (int g = 0; g < columns; g += Size)
            {
                int at = row * columns + g;
                RotateGroup(m.AsSpan(at, Size), r.AsSpan(at, Size));
            }
        });
        return r;
    }

    internal static void CheckShape(int length, int rows, int columns)
    {
        if (rows < 0 || columns < 0 || (long)rows * columns != length)
            throw new ArgumentException($"a {rows} × {columns} matrix needs {(long)rows * columns} values, got {length}");
        if (columns % Size != 0) throw new ArgumentException($"row length {columns} is not a multiple of the group size {Size}");
    }

    private static sbyte[] Ones() => Enumerable.Repeat((sbyte)1, Size).ToArray();
}
