using System.Globalization;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Gpu;

/// <summary>One hardware instruction compared with the reference (<see cref="HardwareCvtCheck"/>).</summary>
/// <param name="Instruction">The PTX instruction, e.g. <c>cvt.rn.satfinite.e4m3x2.f32</c>.</param>
/// <param name="ReferenceMode">The reference's matching mode, e.g. <c>e4m3 rne saturate</c>.</param>
/// <param name="Elements">Elements compared (0 when skipped).</param>
/// <param name="Mismatches">Elements whose hardware code differs from the reference's.</param>
/// <param name="Explained">Of those, how many fall in a documented class (<see cref="ExplainedByClass"/>).</param>
/// <param name="ExplainedByClass">Count per class (<see cref="HardwareCvtCheck.NanEncoding"/>, <see cref="HardwareCvtCheck.NanToMax"/>).</param>
/// <param name="ExplainedExamples">The first counterexample of each explained class, so a run shows what the hardware wrote.</param>
/// <param name="FirstCounterexamples">Up to five unexplained "input 0x…: reference 0x… hardware 0x…" descriptions.</param>
/// <param name="Skipped">Why the instruction did not run on this device, or null when it ran.</param>
public sealed record HardwareCvtCheckResult(string Instruction, string ReferenceMode, long Elements, long Mismatches, long Explained,
    IReadOnlyDictionary<string, long> ExplainedByClass, IReadOnlyList<string> ExplainedExamples, IReadOnlyList<string> FirstCounterexamples,
    string? Skipped)
{
    /// <summary>Mismatches in no explained class: each one is a disagreement to investigate.</summary>
    public long Unexplained => Mismatches - Explained;
}

/// <summary>
/// NVIDIA's conversion instructions (<see cref="HardwareCvtOracle"/>) against the reference encoder in the matching mode, on
/// every decision point of each format plus seeded random inputs (<see cref="CastInputs"/>). Mismatches are split into
/// classes the PTX ISA and the reference's documented conventions explain, and the rest.
/// </summary>
public static class HardwareCvtCheck
{
    /// <summary>
    /// A NaN input where the format has NaN: both sides give a NaN code, but the bits differ (the reference keeps the input's
    /// sign, and for e5m2 the top payload bit; the instruction is expected to write one canonical NaN).
    /// </summary>
    public const string NanEncoding = "nan-encoding";

    /// <summary>
    /// A NaN input where the format has none (e2m1, e2m3, e3m2): the reference gives +max (its documented choice); the
    /// instruction gave a max-magnitude code of the other sign.
    /// </summary>
    public const string NanToMax = "nan-to-max";

    private const int Shown = 5;

    /// <summary>
    /// Runs every instruction of <see cref="HardwareCvtInstruction.All"/>: those the device lacks are reported as skipped.
    /// <paramref name="report"/> receives each result as soon as it is known.
    /// </summary>
    /// <exception cref="GpuException">The driver refused a kernel the device should have.</exception>
    public static IReadOnlyList<HardwareCvtCheckResult> Run(HardwareCvtOracle oracle, long randomCount, int seed,
        Action<HardwareCvtCheckResult> report)
    {
        var results = new List<HardwareCvtCheckResult>();
        (int major, int minor) = oracle.ComputeCapability;
        foreach (HardwareCvtInstruction instruction in HardwareCvtInstruction.All)
        {
            HardwareCvtCheckResult result;
            if (!oracle.IsAvailable(instruction))
            {
                result = new HardwareCvtCheckResult(instruction.Ptx, instruction.ReferenceMode, 0, 0, 0,
                    new Dictionary<string, long>(), [], [], $"{HardwareCvtOracle.Needs(instruction.Group)} (device {major}.{minor})");
            }
            else
            {
                uint[] inputs = Inputs(instruction.Format, randomCount, seed);
                var hardware = new byte[inputs.Length];
                oracle.Convert(instruction, inputs, hardware);
                result = Compare(instruction, inputs, hardware);
            }
            results.Add(result);
            report(result);
        }
        return results;
    }

    /// <summary>Every decision point of <paramref name="format"/>, then <paramref name="randomCount"/> seeded random patterns.</summary>
    public static uint[] Inputs(FormatInfo format, long randomCount, int seed) =>
        [.. CastInputs.EdgeBits(format), .. CastInputs.RandomBits(format, seed, checked((int)randomCount))];

    /// <summary>The reference codes: <see cref="Encoder"/> in the instruction's matching mode, on every core.</summary>
    public static uint[] Reference(HardwareCvtInstruction instruction, uint[] inputs)
    {
        var codes = new uint[inputs.Length];
        RoundingContext ctx = instruction.Context;
        Parallel.For(0, (inputs.Length + 65535) / 65536, chunk =>
        {
            int end = Math.Min(inputs.Length, (chunk + 1) * 65536);
            for (int i = chunk * 65536; i < end; i++)
                codes[i] = Encoder.Encode(instruction.Format, BitConverter.UInt32BitsToSingle(inputs[i]), ctx);
        });
        return codes;
    }

    /// <summary>Compares hardware codes (one per input) with the reference and classifies the mismatches.</summary>
    public static HardwareCvtCheckResult Compare(HardwareCvtInstruction instruction, uint[] inputs, ReadOnlySpan<byte> hardware)
    {
        if (hardware.Length != inputs.Length) throw new ArgumentException("hardware codes and inputs differ in length");
        uint[] reference = Reference(instruction, inputs);
        long mismatches = 0, explained = 0;
        var byClass = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var classExamples = new List<string>();
        var unexplained = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (reference[i] == hardware[i]) continue;
            mismatches++;
            string example = string.Create(CultureInfo.InvariantCulture,
                $"input 0x{inputs[i]:x8}: reference 0x{reference[i]:x} hardware 0x{hardware[i]:x}");
            if (Explain(instruction.Format, inputs[i], reference[i], hardware[i]) is { } kind)
            {
                explained++;
                if (byClass.TryGetValue(kind, out long n)) byClass[kind] = n + 1;
                else
                {
                    byClass[kind] = 1;
                    classExamples.Add($"{kind}: {example}");
                }
            }
            else if (unexplained.Count < Shown)
            {
                unexplained.Add(example);
            }
        }
        return new HardwareCvtCheckResult(instruction.Ptx, instruction.ReferenceMode, inputs.Length, mismatches, explained,
            byClass, classExamples, unexplained, null);
    }

    /// <summary>
    /// The explained class of one mismatch, or null when none applies. Only NaN inputs are explained: every finite and
    /// infinite input is expected to agree bit for bit (RNE or the named directed rounding; .satfinite clamps ±Inf and
    /// overflow to ±max, as the reference's saturate mode does).
    /// </summary>
    public static string? Explain(FormatInfo format, uint inputBits, uint reference, uint hardware)
    {
        if (reference == hardware || !float.IsNaN(BitConverter.UInt32BitsToSingle(inputBits))) return null;
        if (hardware > format.CodeMask) return null; // not a code of the format at all
        if (format.HasNaN)
        {
            bool bothNaN = float.IsNaN(Decoder.DecodeToSingle(format, reference)) && float.IsNaN(Decoder.DecodeToSingle(format, hardware));
            return bothNaN ? NanEncoding : null;
        }
        var saturate = new RoundingContext(RoundingMode.Rne, OverflowMode.Saturate);
        bool maxMagnitude = hardware == Encoder.Encode(format, float.MaxValue, saturate)
            || hardware == Encoder.Encode(format, -float.MaxValue, saturate);
        return maxMagnitude ? NanToMax : null;
    }

    /// <summary>
    /// The lines the CLI prints for one result: a summary line, then one indented line per explained class's first example
    /// and per unexplained counterexample.
    /// </summary>
    public static IReadOnlyList<string> Lines(HardwareCvtCheckResult r)
    {
        var c = CultureInfo.InvariantCulture;
        if (r.Skipped is not null) return [string.Format(c, "{0,-32} vs {1,-20} skipped: {2}", r.Instruction, r.ReferenceMode, r.Skipped)];
        string classes = string.Join(", ", r.ExplainedByClass.Select(kv => string.Format(c, "{0} {1}", kv.Key, kv.Value)));
        var lines = new List<string>
        {
            string.Format(c, "{0,-32} vs {1,-20} {2,11} elements {3,9} mismatches: {4} explained{5}, {6} unexplained",
                r.Instruction, r.ReferenceMode, r.Elements, r.Mismatches, r.Explained, classes.Length > 0 ? $" ({classes})" : "", r.Unexplained),
        };
        lines.AddRange(r.ExplainedExamples.Select(e => $"    explained {e}"));
        lines.AddRange(r.FirstCounterexamples.Select(e => $"    {e}"));
        return lines;
    }
}
