using Fp4Sim.Gpu;

namespace Fp4Sim.Training.Quartet.Gpu;

/// <summary>
/// The Quartet part of <c>fp4sim gpu check</c>: each method's kernel against <see cref="QuartetQuantizer.QuantizeGroup"/>,
/// group for group (scale, codes and mask compared per element: a group's scale and mask count against its first value).
/// </summary>
public static class QuartetGpuCheck
{
    /// <summary>Runs the three methods on <paramref name="groups"/> seeded groups each; <paramref name="report"/> receives each result.</summary>
    public static IReadOnlyList<KernelCheckResult> Run(IlgpuSession session, int groups, int seed, Action<KernelCheckResult> report)
    {
        var quartet = new IlgpuQuartet(session);
        var results = new List<KernelCheckResult>();
        int size = QuartetQuantizer.GroupSize;
        float[] r = Groups(groups, seed);
        uint[] bits = Array.ConvertAll(r, BitConverter.SingleToUInt32Bits);
        foreach (QuartetMethod method in Enum.GetValues<QuartetMethod>())
        {
            QuartetGroups gpu = quartet.Quantize(method, r, (ulong)seed, firstIndex: 0);
            var expected = new QuartetGroup[groups];
            Parallel.For(0, groups, g =>
                expected[g] = QuartetQuantizer.QuantizeGroup(method, r.AsSpan(g * size, size), (ulong)seed, (ulong)(g * size)));
            // One comparison per element: its code, and for a group's first element also its scale and mask.
            KernelCheckResult codes = KernelCheckResult.Of("codes", bits, i => expected[i / size].Elements[i % size], i => gpu.Elements[i], 0, 0);
            uint[] heads = [.. Enumerable.Range(0, groups).Select(g => bits[g * size])];
            KernelCheckResult scales = KernelCheckResult.Of("scales", heads, g => expected[g].Scale, g => gpu.Scales[g], 0, 0);
            KernelCheckResult masks = KernelCheckResult.Of("masks", heads, g => expected[g].Mask, g => gpu.Masks[g], 0, 0);
            double bytes = r.Length * (4 + 1 + 8.0 / size);
            var result = new KernelCheckResult($"quartet {method.ToString().ToLowerInvariant()}", r.Length,
                codes.Mismatches + scales.Mismatches + masks.Mismatches,
                [.. codes.FirstCounterexamples.Concat(scales.FirstCounterexamples).Concat(masks.FirstCounterexamples).Take(5)],
                gpu.Seconds > 0 ? bytes / gpu.Seconds / 1e9 : 0, "codes, scales and masks");
            results.Add(result);
            report(result);
        }
        return results;
    }

    /// <summary>
    /// Seeded groups of rotated values: Gaussians at binades near 1 and across and beyond E8M0's range (both clamps),
    /// all-zero and constant groups, float32 subnormals, E2M1 grid points and points between them, heavy outliers (QuEST's mask).
    /// </summary>
    internal static float[] Groups(int groups, int seed)
    {
        var random = new Random(seed);
        int size = QuartetQuantizer.GroupSize;
        var r = new float[groups * size];
        for (int g = 0; g < groups; g++)
        {
            int recipe = random.Next(8), binade = recipe == 0 ? random.Next(-170, 140) : random.Next(-8, 8);
            float constant = (float)Math.ScaleB(1 + random.Next(16) / 16.0, binade);
            for (int i = 0; i < size; i++)
            {
                double gaussian = Numerics.Blocks.BlockInputs.Gaussian(random);
                float v = recipe switch
                {
                    1 => 0f,
                    2 => constant,
                    3 => (float)Math.ScaleB(gaussian, -140),
                    4 => (float)Math.ScaleB(Numerics.Codec.Decoder.Decode(Numerics.Formats.KnownFormats.E2M1, (uint)random.Next(16)) * 1.25, binade),
                    5 => (float)Math.ScaleB(gaussian * (i == 7 ? 40 : 1), binade),
                    _ => (float)Math.ScaleB(gaussian, binade),
                };
                r[g * size + i] = float.IsFinite(v) ? v : float.MaxValue;
            }
        }
        return r;
    }
}
