using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Quantization.Quantizers;

/// <summary>
/// The AVX2 path of <see cref="GridQuantizer.Quantize(float)"/> for one quantizer per column (or one for the whole
/// row): the thresholds of eight neighbouring columns sit side by side, so eight elements are compared with their
/// own thresholds at once, the counts index each column's value table (a gather), and the input's sign is put back.
/// Only for grids that are the same on both sides of zero (every FP element format; not INT, whose most negative
/// value has no positive twin) with at most 32 levels; NaN lanes take the scalar path. The tests check it against
/// <see cref="GridQuantizer.Quantize(float)"/> value for value.
/// </summary>
internal sealed class ThresholdBank
{
    private const int MaxLevels = 32;
    private readonly GridQuantizer[] _quantizers;
    private readonly float[] _thresholds; // [threshold i][column c], columns padded to a multiple of 8
    private readonly float[] _values;     // [column c][level i], positive magnitudes · scale
    private readonly int _columns, _stride, _levels;
    private readonly bool _shared;

    private ThresholdBank(GridQuantizer[] quantizers, bool shared)
    {
        _quantizers = quantizers; _shared = shared;
        _columns = quantizers.Length;
        _stride = (_columns + 7) & ~7;
        _levels = quantizers[0].PositiveValues.Length;
        _thresholds = new float[(_levels - 1) * _stride];
        _values = new float[_stride * _levels];
        for (int c = 0; c < _columns; c++)
        {
            for (int i = 0; i < _levels - 1; i++) _thresholds[i * _stride + c] = quantizers[c].PositiveThresholds[i];
            for (int i = 0; i < _levels; i++) _values[c * _levels + i] = quantizers[c].PositiveValues[i];
        }
    }

    /// <summary>A bank for these quantizers (one per column, or one shared by every element), or null when the fast path does not apply.</summary>
    public static ThresholdBank? TryCreate(GridQuantizer[] quantizers, bool shared)
    {
        if (!Avx2.IsSupported || quantizers.Length == 0) return null;
        int levels = quantizers[0].PositiveValues.Length;
        if (levels > MaxLevels || quantizers.Any(q => !q.IsSymmetric || q.PositiveValues.Length != levels)) return null;
        return new ThresholdBank(quantizers, shared);
    }

    /// <summary>y = Q(x) for one row: element c uses column c's quantizer, or the shared one.</summary>
    public unsafe void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        int count = x.Length;
        if (!_shared && count != _columns) throw new ArgumentException($"row of {count} values for {_columns} column quantizers");
        var signMask = Vector256.Create(unchecked((int)0x80000000)).AsSingle();
        var laneLevels = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * _levels;
        int thresholds = _levels - 1, c = 0;
        fixed (float* px = x, py = y, pt = _thresholds, pv = _values)
        {
            for (; c + 8 <= count; c += 8)
            {
                Vector256<float> v = Avx.LoadVector256(px + c);
                if (Avx.MoveMask(Avx.CompareUnordered(v, v)) != 0) { Scalar(x, y, c, c + 8); continue; }
                Vector256<float> sign = Avx.And(v, signMask), magnitude = Avx.AndNot(signMask, v);
                Vector256<int> level = Vector256<int>.Zero;
                for (int i = 0; i < thresholds; i++)
                {
                    Vector256<float> t = _shared ? Vector256.Create(pt[i * _stride]) : Avx.LoadVector256(pt + i * _stride + c);
                    level = Avx2.Subtract(level, Avx.CompareLessThanOrEqual(t, magnitude).AsInt32());
                }
                Vector256<int> index = _shared ? level : Avx2.Add(level, Avx2.Add(laneLevels, Vector256.Create(c * _levels)));
                Vector256<float> value = Avx2.GatherVector256(pv, index, 4);
                Avx.Store(py + c, Avx.Or(value, sign));
            }
        }
        Scalar(x, y, c, count);
    }

    private void Scalar(ReadOnlySpan<float> x, Span<float> y, int from, int to)
    {
        for (int c = from; c < to; c++) y[c] = _quantizers[_shared ? 0 : c].Quantize(x[c]);
    }
}
