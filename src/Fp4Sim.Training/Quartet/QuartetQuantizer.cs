using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Training.Quartet;

/// <summary>One quantized group: its E8M0 scale code, 32 E2M1 codes, and the trust mask (bit i set = element i kept).</summary>
/// <param name="Scale">E8M0 code; the block decodes as element · 2^(Scale − 127), as any MXFP4 block.</param>
/// <param name="Elements">The 32 E2M1 codes.</param>
/// <param name="Mask">Bit i set when element i was not clipped (all ones for the absmax methods).</param>
public sealed record QuartetGroup(uint Scale, byte[] Elements, uint Mask);

/// <summary>
/// The scalar reference of Quartet's MXFP4 quantizers on one group of 32 rotated float32 values r (see
/// docs/semantics.md §11 for the arithmetic with worked examples). Elements are rounded by the core's
/// <see cref="Encoder"/> from an exact binary64 value (r_i · 2^−E, or 3 · r_i · 2^−(E+2)), so there is one rounding routine.
/// </summary>
public static class QuartetQuantizer
{
    /// <summary>The group (block) size.</summary>
    public const int GroupSize = HadamardRotation.Size;

    /// <summary>QuEST's Gaussian MSE-optimal clip for the E2M1 grid, in units of σ.</summary>
    public const double ClipSigmas = 2.92247856;

    /// <summary>RNE64(2.92247856 / 6): σ times this is the scale that puts the clip at the grid's top (6).</summary>
    public static readonly double QuestFactor = ClipSigmas / 6;

    /// <summary>Added before the logarithm so an all-equal group still gets a scale.</summary>
    public const double QuestEpsilon = 1e-8;

    /// <summary>The format of the blocks Quartet quantizes to.</summary>
    public static BlockFormat Format => KnownBlockFormats.MxFp4;

    private static readonly FormatInfo Element = KnownFormats.E2M1;
    private static readonly RoundingContext Nearest = RoundingContext.Default;

    /// <summary>Quantizes one group; element i of a stochastic group uses the bits of stream <paramref name="srSeed"/> at firstIndex + i.</summary>
    /// <exception cref="ArgumentException">Not 32 values, or a NaN or infinity among them (no MXFP4 code can hold either).</exception>
    public static QuartetGroup QuantizeGroup(QuartetMethod method, ReadOnlySpan<float> r, ulong srSeed = 0, ulong firstIndex = 0)
    {
        CheckGroup(r);
        var elements = new byte[GroupSize];
        uint mask = uint.MaxValue;
        if (method == QuartetMethod.Quest)
        {
            int e = QuestExponent(r);
            for (int i = 0; i < GroupSize; i++)
            {
                double v = Math.ScaleB((double)r[i], -e); // exact
                elements[i] = (byte)Encoder.Encode(Element, v, Nearest);
                if (!(Math.Abs(v) < 6)) mask &= ~(1u << i);
            }
            return new QuartetGroup((uint)(e + 127), elements, mask);
        }
        int scale = AbsMaxExponent(r);
        for (int i = 0; i < GroupSize; i++)
        {
            RoundingContext ctx = method == QuartetMethod.AbsMaxSr
                ? new RoundingContext(RoundingMode.Sr, OverflowMode.Saturate, StochasticBits.For(srSeed, firstIndex + (ulong)i))
                : Nearest;
            elements[i] = AbsMaxElement(r[i], scale, ctx);
        }
        return new QuartetGroup((uint)(scale + 127), elements, mask);
    }

    /// <summary>
    /// QuEST's scale exponent E: floor(log2 t) with t = RNE64(RNE64(σ · <see cref="QuestFactor"/>) + 1e−8), σ =
    /// <see cref="PopulationStd"/>, clamped to E8M0's [−127, 127].
    /// </summary>
    public static int QuestExponent(ReadOnlySpan<float> r)
    {
        double t = PopulationStd(r) * QuestFactor + QuestEpsilon;
        return Math.Clamp(Math.ILogB(t), -127, 127);
    }

    /// <summary>
    /// The population standard deviation in binary64, two passes in index order: m = (Σ r_i)/32, v = (Σ (r_i − m)²)/32,
    /// σ = sqrt(v); every add, subtract, square and the root RNE (the division by 32 is exact).
    /// </summary>
    public static double PopulationStd(ReadOnlySpan<float> r)
    {
        double sum = 0;
        foreach (float x in r) sum += x;
        double mean = sum / r.Length;
        double squares = 0;
        foreach (float x in r)
        {
            double d = x - mean;
            squares += d * d;
        }
        return Math.Sqrt(squares / r.Length);
    }

    /// <summary>
    /// The absmax group's OCP scale exponent E = floor(log2 amax) − 2 (E2M1's top binade), clamped to [−127, 127]; an
    /// all-zero group gets −127. Elements are then RNE(3 · r / 2^(E+2)) = RNE(3/4 · r / 2^E): the block holds 3/4 of the
    /// values, which the GEMM's ×16/9 restores.
    /// </summary>
    public static int AbsMaxExponent(ReadOnlySpan<float> r)
    {
        double amax = 0;
        foreach (float x in r) amax = Math.Max(amax, Math.Abs((double)x));
        return BlockQuantizer.SharedExponent(Format, amax, ScaleRule.Ocp);
    }

    /// <summary>An absmax element: <paramref name="ctx"/>'s rounding of 3 · r / 2^(E+2), exact in binary64 (3·r needs 26 bits).</summary>
    public static byte AbsMaxElement(float r, int exponent, in RoundingContext ctx) =>
        (byte)Encoder.Encode(Element, Math.ScaleB(3.0 * r, -(exponent + 2)), ctx);

    /// <summary>The value an element code of a block with scale code <paramref name="scale"/> stands for: e2m1 · 2^(scale − 127).</summary>
    public static float Value(uint scale, byte element) => (float)Math.ScaleB(Decoder.Decode(Element, element), (int)scale - 127);

    /// <summary>Throws <see cref="ArgumentException"/> unless the group has 32 finite values.</summary>
    public static void CheckGroup(ReadOnlySpan<float> r)
    {
        if (r.Length != GroupSize) throw new ArgumentException($"a group has {GroupSize} values, not {r.Length}");
        for (int i = 0; i < r.Length; i++)
            if (!float.IsFinite(r[i])) throw new ArgumentException($"element {i} of the group is {r[i]}: MXFP4 has no code for NaN or infinity");
    }
}
