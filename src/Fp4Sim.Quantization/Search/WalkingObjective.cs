using Fp4Sim.Numerics.Mac;
using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

/// <summary>One activation candidate of a sweep: channel j is divided by Scale · 2^Shifts[j] (no shifts: Scale for every channel).</summary>
internal readonly record struct ActivationCandidate(double Scale, int[]? Shifts)
{
    /// <summary>The candidate behind a quantizer: FPQ's 2^−ρ̃ with shifts −b_j, or a per-tensor divisor.</summary>
    public static ActivationCandidate Of(TensorQuantizer q)
    {
        if (q.Rho is double rho && q.Offsets is int[] offsets) return new(PreShiftedBias.RealBiasScale(rho), offsets.Select(b => -b).ToArray());
        if (q.Axis != ChannelAxis.Tensor) throw new ArgumentException("activation candidates are per tensor or pre-shifted");
        return new(q.Scales[0], null);
    }
}

/// <summary>
/// The search objective (Eq. 12, the layer-output squared error against the float32 output) for a whole sweep of
/// candidates of one operand while the other stays fixed, paid by the entries that change rather than a GEMM per
/// candidate. With the fixed operand folded into M and c (<see cref="QuadraticError"/>):
/// <list type="bullet">
/// <item>weights (Q(X) fixed): output channel k is a unit, M = Q(X)ᵀQ(X), c_k = Q(X)ᵀt_k, its values the column's levels
/// times its own scale;</item>
/// <item>activations (Q(W) fixed): each calibration row is a unit, M = Q(W)Q(W)ᵀ, c_r = Q(W)·t_r, its values the row's
/// levels, all times the candidate's tensor scale (FPQ's channel shifts are powers of two, folded into the values).</item>
/// </list>
/// Between neighbouring γ only the entries that cross a threshold change (<see cref="LevelWalk"/>), each costing
/// O(in); grids too fine to walk (<see cref="Walks"/>) evaluate every candidate from scratch by one GEMM. Results do
/// not depend on the thread count: every unit's updates run in a fixed order.
/// </summary>
internal static partial class WalkingObjective
{
    /// <summary>
    /// Whether walking pays for a format: an entry changes level about once per threshold it passes, so a grid with
    /// up to 32 levels a side (4- and 6-bit formats) changes a few entries per step, while an 8-bit grid changes most
    /// of them at every step and a GEMM per candidate is cheaper.
    /// </summary>
    internal static bool Walks(ElementFormat format) => GridTable.For(format.Core).Positive.Magnitudes.Length <= 32;

    /// <summary>|v_level| · 2^shift for each level of the format's positive side.</summary>
    private static float[] LevelValues(ElementFormat format, int shift) =>
        GridTable.For(format.Core).Positive.Magnitudes.Select(m => (float)Math.ScaleB(m, shift)).ToArray();

    private static ParallelOptions Options(int threads) => new() { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };

    private static double[] ColumnSquares(float[] x, int rows, int cols)
    {
        var sums = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) { double v = x[r * cols + c]; sums[c] += v * v; }
        return sums;
    }
}
