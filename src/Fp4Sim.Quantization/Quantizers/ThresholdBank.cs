using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Quantization.Quantizers;

/// <summary>
/// The AVX2 path of <see cref="GridQuantizer.Quantize(float)"/> for one quantizer per column (or one for the whole
/// row): eight elements at once, each with its own column's thresholds. Up to 32 levels (4- and 6-bit formats) the
/// thresholds of eight neighbouring columns sit side by side and every threshold is compared; with more levels
/// (8-bit) a branch-free binary search gathers one threshold per lane and step. The level indexes the column's
/// value table (a gather) and the input's sign is put back. Only for grids that are the same on both sides of zero
/// (every FP element format; not INT, whose most negative value has no positive twin); NaN lanes take the scalar
/// path. The tests check it against <see cref="GridQuantizer.Quantize(float)"/> value for value.
/// </summary>
internal sealed class ThresholdBank
{
    private const int MaxLinearLevels = 32, MaxLevels = 256;
    private readonly GridQuantizer[] _quantizers;
    private readonly float[] _thresholds; // [threshold i][column c], columns padded to a multiple of 8
    private readonly float[] _values;     // [column c][level i], positive magnitudes · scale
    private readonly int _columns, _stride, _levels;
    private readonly bool _shared;
    private readonly float[]? _searchTable; // [column c][position p], 2^k − 1 thresholds padded with +∞, for the binary search
    private readonly int _searchWidth, _searchTop;

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
        if (_levels > MaxLinearLevels)
        {
            _searchTop = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_levels) / 2; // first step of the search
            _searchWidth = 2 * _searchTop - 1;
            _searchTable = new float[_columns * _searchWidth];
            Array.Fill(_searchTable, float.PositiveInfinity);
            for (int c = 0; c < _columns; c++) quantizers[c].PositiveThresholds.CopyTo(_searchTable, c * _searchWidth);
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
                Vector256<int> level = _searchTable is null ? CountLinear(pt, c, thresholds, magnitude) : CountBinary(c, magnitude);
                Vector256<int> index = _shared ? level : Avx2.Add(level, Avx2.Add(laneLevels, Vector256.Create(c * _levels)));
                Vector256<float> value = Avx2.GatherVector256(pv, index, 4);
                Avx.Store(py + c, Avx.Or(value, sign));
            }
        }
        Scalar(x, y, c, count);
    }

    /// <summary>Compares every threshold: the number of thresholds ≤ |x| per lane.</summary>
    private unsafe Vector256<int> CountLinear(float* pt, int c, int thresholds, Vector256<float> magnitude)
    {
        Vector256<int> level = Vector256<int>.Zero;
        for (int i = 0; i < thresholds; i++)
        {
            Vector256<float> t = _shared ? Vector256.Create(pt[i * _stride]) : Avx.LoadVector256(pt + i * _stride + c);
            level = Avx2.Subtract(level, Avx.CompareLessThanOrEqual(t, magnitude).AsInt32());
        }
        return level;
    }

    /// <summary>Branch-free binary search over each lane's padded thresholds: the same count as <see cref="CountLinear"/>.</summary>
    private unsafe Vector256<int> CountBinary(int c, Vector256<float> magnitude)
    {
        Vector256<int> baseIndex = _shared ? Vector256<int>.Zero
            : Avx2.Add(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(c)) * _searchWidth;
        Vector256<int> position = Vector256<int>.Zero;
        fixed (float* table = _searchTable)
        {
            for (int step = _searchTop; step > 0; step >>= 1)
            {
                Vector256<int> probe = Avx2.Add(Avx2.Add(baseIndex, position), Vector256.Create(step - 1));
                Vector256<float> t = Avx2.GatherVector256(table, probe, 4);
                position = Avx2.Add(position, Avx2.And(Avx.CompareLessThanOrEqual(t, magnitude).AsInt32(), Vector256.Create(step)));
            }
        }
        return position;
    }

    private void Scalar(ReadOnlySpan<float> x, Span<float> y, int from, int to)
    {
        for (int c = from; c < to; c++) y[c] = _quantizers[_shared ? 0 : c].Quantize(x[c]);
    }
}
