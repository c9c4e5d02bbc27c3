using System.Diagnostics;
using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim bench mxquant --format F [--scale-rule ocp|rceil] [--rounding R] [--count N] [--threads T]</c>: times
/// <see cref="FastBlockQuantizer"/> (NVFP4: its amax pass included), the scalar <see cref="BlockQuantizer"/> on a prefix and
/// <see cref="StreamBaseline.Narrow"/> on the same seeded tensor and threads, checks fast and reference give the same
/// scales and codes, and ends with <c>fast &lt;e/s&gt; reference &lt;e/s&gt; stream &lt;e/s&gt; ratio &lt;fast/stream&gt;</c>.
/// </summary>
public static class BenchMxQuantCommand
{
    private const int ReferenceLimit = 1 << 20; // the scalar reference runs at a few M elements/s

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new ArgumentReader("bench mxquant", argv, "format", "scale-rule", "rounding", "count", "threads");
        (BlockFormat format, ScaleRule rule) = ParseFormatAndRule(args);
        RoundingContext element = CommonOptions.Rounding(args, "bench mxquant", format.Element);
        int count = (int)args.Integer("count", 1 << 24, format.BlockSize, Array.MaxLength, $"an element count {format.BlockSize}..2^31-1");
        int threads = (int)args.Integer("threads", 1, int.MinValue, int.MaxValue, "an integer; <= 0 means all cores");
        count -= count % format.BlockSize;
        var options = new BlockQuantizeOptions(rule, element.Mode);

        float[] values = [];
        var fast = (Scales: Array.Empty<uint>(), Elements: Array.Empty<byte>(), TensorScale: 1f);
        double fastSeconds = 0, refSeconds = 0;
        StreamTiming stream = default;
        int checkedCount = Math.Min(count, ReferenceLimit - ReferenceLimit % format.BlockSize);
        uint[] refScales = new uint[checkedCount / format.BlockSize];
        byte[] refElements = new byte[checkedCount];
        StageProgress.Run(stderr, "generating seeded data", stage =>
        {
            values = BenchData.Blocks(count, format.BlockSize);
            fast = (new uint[count / format.BlockSize], new byte[count], 1f);
            stage("timing the fast path");
            fastSeconds = StreamBaseline.BestOf(BenchReport.Repetitions, () =>
            {
                float tensorScale = format.HasTensorScale
                    ? BlockQuantizer.TensorScaleForAmax(format, FastBlockQuantizer.FiniteAmax(values, threads)) : 1f;
                FastBlockQuantizer.QuantizeBlocks(format, values, tensorScale, options, 0, fast.Scales, fast.Elements, threads);
                fast.TensorScale = tensorScale;
            });
            stage("timing the stream baseline");
            stream = StreamBaseline.TimeNarrow(values, new byte[count], threads, BenchReport.Repetitions);
            stage("timing the scalar reference");
            long start = Stopwatch.GetTimestamp();
            BlockQuantizer.QuantizeBlocks(format, values.AsSpan(0, checkedCount), fast.TensorScale, options, 0, refScales, refElements);
            refSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return 0;
        });

        int badScale = FirstDifference(refScales, fast.Scales);
        int badElement = FirstDifference(refElements, fast.Elements);
        if (badScale >= 0 || badElement >= 0)
        {
            stderr.Write(badScale >= 0
                ? $"fp4sim: bench mxquant: block {badScale}: scale 0x{fast.Scales[badScale]:x2}, reference 0x{refScales[badScale]:x2}\n"
                : $"fp4sim: bench mxquant: element {badElement}: code 0x{fast.Elements[badElement]:x2}, reference 0x{refElements[badElement]:x2}\n");
            stderr.Flush();
            return 1;
        }
        stdout.Write($"format {format.Name} (blocks of {format.BlockSize}), scale rule {rule.ToString().ToLowerInvariant()}, " +
                     $"rounding {RoundingNames.Name(element.Mode)}, path {(FastBlockQuantizer.Supports(format, options) ? "vector" : "reference")}" +
                     "\n");
        stdout.Write($"count {count}, threads {BenchReport.Workers(threads)}, best of {BenchReport.Repetitions}" +
                     (format.HasTensorScale ? "; fast includes the tensor amax pass (two reads), stream reads once\n" : "\n"));
        BenchReport.Write(stdout, count, checkedCount, fastSeconds, stream, refSeconds, 5, "read 4 B, write 1 B");
        return 0;
    }

    private static (BlockFormat Format, ScaleRule Rule) ParseFormatAndRule(ArgumentReader args)
    {
        try
        {
            return (KnownBlockFormats.Parse(args.Required("format")), MxQuantizeCommand.ParseScaleRule(args.Optional("scale-rule") ?? "ocp"));
        }
        catch (FormatException e)
        {
            throw new CliException($"bench mxquant: {e.Message}");
        }
    }

    private static int FirstDifference<T>(T[] reference, T[] fast) where T : IEquatable<T>
    {
        for (int i = 0; i < reference.Length; i++) if (!reference[i].Equals(fast[i])) return i;
        return -1;
    }
}
