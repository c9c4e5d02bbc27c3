using System.Runtime.InteropServices;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Gpu;

/// <summary>One kernel run of a GPU check: what ran, how many elements, how many disagreed with the reference.</summary>
/// <param name="Kernel">e.g. "encode e2m1 rne saturate", "decode e4m3", "mxquant nvfp4 sr".</param>
/// <param name="Elements">Elements (or outputs) compared.</param>
/// <param name="Mismatches">Elements whose GPU result differs from the CPU reference.</param>
/// <param name="FirstCounterexamples">Up to five "input 0x…: reference 0x… gpu 0x…" descriptions (<see cref="Counterexamples"/>).</param>
/// <param name="GigabytesPerSecond">Bytes read and written by the kernel per second of kernel time.</param>
/// <param name="Note">What else the line should say (e.g. outputs the host computed), or null.</param>
public sealed record KernelCheckResult(string Kernel, long Elements, long Mismatches, IReadOnlyList<string> FirstCounterexamples,
    double GigabytesPerSecond, string? Note = null)
{
    private const int Shown = 5;

    /// <summary>Compares a GPU result with the reference element by element (inputs name the elements in counterexamples).</summary>
    public static KernelCheckResult Of(string kernel, uint[] inputs, Func<int, uint> reference, Func<int, uint> gpu, double seconds,
        double bytesPerElement)
    {
        (long mismatches, IReadOnlyList<string> examples) = Counterexamples.Scan(inputs, reference, gpu, "gpu", Shown);
        double gigabytesPerSecond = seconds > 0 ? inputs.Length * bytesPerElement / seconds / 1e9 : 0;
        return new KernelCheckResult(kernel, inputs.Length, mismatches, examples, gigabytesPerSecond);
    }
}

/// <summary>
/// <c>fp4sim gpu check</c>: runs the ILGPU cast kernels (on CUDA or ILGPU's CPU accelerator) on every
/// decision point plus seeded random inputs for each ≤ 8-bit format, rounding mode and overflow mode, and compares every
/// element with the CPU reference (<see cref="FastCast"/>, itself tested bit-exact against <see cref="Encoder"/>; for
/// stochastic rounding <see cref="Encoder"/> itself; decode against <see cref="Decoder.DecodeToSingle"/>).
/// </summary>
public static class GpuCastCheck
{
    /// <summary>The formats checked: every ≤ 8-bit catalogue format and option variants that exercise each rule.</summary>
    public static IReadOnlyList<string> FormatSpecs { get; } = FormatVariants.WithCatalogueUpTo(8).Select(f => f.Name).ToArray();

    /// <summary>The ILGPU kernels' rounding modes: the deterministic ones and stochastic rounding.</summary>
    public static IReadOnlyList<RoundingMode> IlgpuModes { get; } =
        [RoundingMode.Rne, RoundingMode.Rna, RoundingMode.Rtz, RoundingMode.Rup, RoundingMode.Rdn, RoundingMode.Sr];

    /// <summary>
    /// Runs every ILGPU kernel (<see cref="IlgpuModes"/>: stochastic rounding included, element i rounding with
    /// StochasticBits.For(seed, i)); <paramref name="report"/> receives each result as soon as it is known.
    /// </summary>
    public static IReadOnlyList<KernelCheckResult> Run(IlgpuCast cast, long randomCount, int seed, Action<KernelCheckResult> report) =>
        Run(IlgpuModes, (f, ctx, inputs, codes) => cast.Encode(f, ctx, inputs, codes, seed: (ulong)seed),
            (f, codes, bits) => cast.Decode(f, codes, bits), randomCount, seed, report);

    private delegate double EncodeRun(FormatInfo format, RoundingContext ctx, uint[] inputs, byte[] codes);

    private delegate double DecodeRun(FormatInfo format, byte[] codes, uint[] outputBits);

    private static List<KernelCheckResult> Run(IReadOnlyList<RoundingMode> modes, EncodeRun encode, DecodeRun decode, long randomCount, int seed,
        Action<KernelCheckResult> report)
    {
        var results = new List<KernelCheckResult>();
        foreach (string spec in FormatSpecs)
        {
            FormatInfo format = FormatSpec.Parse(spec);
            uint[] inputs = [.. CastInputs.EdgeBits(format), .. CastInputs.RandomBits(format, seed, checked((int)randomCount))];
            var reference = new byte[inputs.Length];
            var gpu = new byte[inputs.Length];
            foreach (RoundingMode mode in modes)
            {
                foreach (OverflowMode overflow in new[] { OverflowMode.Saturate, OverflowMode.Ieee })
                {
                    var ctx = new RoundingContext(mode, overflow);
                    Reference(format, inputs, reference, ctx, (ulong)seed);
                    double seconds = encode(format, ctx, inputs, gpu);
                    string name = $"encode {spec} {RoundingNames.Name(mode)} {overflow.ToString().ToLowerInvariant()}";
                    var result = KernelCheckResult.Of(name, inputs, i => reference[i], i => gpu[i], seconds, bytesPerElement: 5);
                    results.Add(result);
                    report(result);
                }
            }
            var codes = new byte[inputs.Length]; // every code, then the last encode's codes: a realistic code mix
            for (int i = 0; i < codes.Length; i++) codes[i] = i < 256 ? (byte)i : reference[i];
            for (int i = 0; i < codes.Length; i++) codes[i] &= (byte)format.CodeMask;
            var decoded = new uint[codes.Length];
            double decodeSeconds = decode(format, codes, decoded);
            uint[] table = Enumerable.Range(0, 256)
                .Select(c => BitConverter.SingleToUInt32Bits(Decoder.DecodeToSingle(format, (uint)c & format.CodeMask))).ToArray();
            var decodeResult = KernelCheckResult.Of($"decode {spec}", codes.Select(c => (uint)c).ToArray(), i => table[codes[i]], i => decoded[i],
                decodeSeconds, bytesPerElement: 5);
            results.Add(decodeResult);
            report(decodeResult);
        }
        return results;
    }

    /// <summary>
    /// The CPU reference: <see cref="FastCast"/> for the deterministic modes; for stochastic rounding the scalar
    /// <see cref="Encoder"/> with StochasticBits.For(<paramref name="srSeed"/>, i) for element i, on every core.
    /// </summary>
    private static void Reference(FormatInfo format, uint[] inputs, byte[] codes, RoundingContext ctx, ulong srSeed)
    {
        if (ctx.Mode != RoundingMode.Sr)
        {
            FastCast.Encode(format, MemoryMarshal.Cast<uint, float>(inputs), codes, ctx, threads: 0);
            return;
        }
        Parallel.For(0, (inputs.Length + 65535) / 65536, chunk =>
        {
            int end = Math.Min(inputs.Length, (chunk + 1) * 65536);
            for (int i = chunk * 65536; i < end; i++)
            {
                RoundingContext c = ctx with { RandomBits = StochasticBits.For(srSeed, (ulong)i) };
                codes[i] = (byte)Encoder.Encode(format, BitConverter.UInt32BitsToSingle(inputs[i]), c);
            }
        });
    }
}
