using System.Numerics.Tensors;

namespace Fp4Sim.Training.Model.Ops;

/// <summary>
/// Rotary position embedding on interleaved pairs: within each head, pair i = (x[2i], x[2i+1]) at position p turns by
/// p·base^(−2i/hd). Its backward is the inverse rotation (the transpose of an orthogonal map).
/// </summary>
internal sealed class Rope
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int _pairs;

    /// <summary>Tables for positions [0, <paramref name="context"/>) and a head of <paramref name="headDim"/> (even).</summary>
    public Rope(int context, int headDim, double ropeBase)
    {
        _pairs = headDim / 2;
        _cos = new float[context * _pairs];
        _sin = new float[context * _pairs];
        for (int p = 0; p < context; p++)
        {
            for (int i = 0; i < _pairs; i++)
            {
                double angle = p * Math.Pow(ropeBase, -2.0 * i / headDim);
                _cos[p * _pairs + i] = (float)Math.Cos(angle);
                _sin[p * _pairs + i] = (float)Math.Sin(angle);
            }
        }
        Context = context;
    }

    /// <summary>Positions covered by the tables.</summary>
    public int Context { get; }

    /// <summary>
    /// Rotates, in place, the <paramref name="width"/> columns from <paramref name="offset"/> of each row (heads of
    /// <c>2·pairs</c> side by side); row t is at position t mod <see cref="Context"/>. <paramref name="inverse"/> turns
    /// the other way (the backward pass).
    /// </summary>
    public void Apply(Span<float> data, int rows, int rowStride, int offset, int width, bool inverse)
    {
        float direction = inverse ? -1f : 1f;
        int headDim = 2 * _pairs;
        for (int row = 0; row < rows; row++)
        {
            int table = row % Context * _pairs;
            Span<float> span = data.Slice(row * rowStride + offset, width);
            for (int head = 0; head < width; head += headDim)
            {
                for (int i = 0; i < _pairs; i++)
                {
                    float cos = _cos[table + i], sin = direction * _sin[table + i];
                    ref float a = ref span[head + 2 * i];
                    ref float b = ref span[head + 2 * i + 1];
                    (a, b) = (a * cos - b * sin, a * sin + b * cos);
                }
            }
        }
    }
}
