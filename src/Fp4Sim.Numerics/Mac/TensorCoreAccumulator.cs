using System.Numerics;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// Model 4: NVIDIA tensor-core accumulation (see <see cref="TensorCoreModel"/>). The terms are taken in groups of g,
/// index 0 first; each group is fused with the running C (initially +0) and its rounded result becomes the next C.
/// Any NaN, or ∞ − ∞, gives the canonical NaN 0x7FFFFFFF (MMA-Sim's convention); otherwise an ∞ term gives ∞, and
/// a finite sum beyond the output range gives ±∞ even under RZ (as both published models do). Zero terms take no
/// part in the maximum exponent (Khattak &amp; Mikaitis; MMA-Sim instead gives them exponent −126 — the two differ only
/// when every nonzero term is below 2^−126).
/// </summary>
/// <param name="Model">The parameter set.</param>
public sealed record TensorCoreAccumulator(TensorCoreModel Model) : Accumulator
{
    /// <summary>The NaN a tensor core writes for binary32.</summary>
    public const uint Fp32NaN = 0x7FFFFFFF;

    /// <inheritdoc/>
    public override string Name => "tc:" + Model.Name;

    /// <inheritdoc/>
    public override RunningSum Begin() => new Groups(this);

    /// <summary>
    /// C (initially +0) and the terms of the group being filled: a full group is fused into C; the result fuses a
    /// partial last group too. Once C is NaN the remaining terms are ignored.
    /// </summary>
    private sealed class Groups(TensorCoreAccumulator model) : RunningSum
    {
        private readonly MacTerm[] _group = new MacTerm[model.Model.GroupSize];
        private int _count;
        private uint _c;
        private bool _nan;

        public override void Add(in MacTerm term)
        {
            if (_nan) return;
            _group[_count++] = term;
            if (_count < _group.Length) return;
            _c = model.Fuse(_c, _group);
            _count = 0;
            _nan = IsNaN(model.Model.Output, _c);
        }

        public override MacResult Result() =>
            MacResult.InFormat(model.Model.Output, _count == 0 || _nan ? _c : model.Fuse(_c, _group.AsSpan(0, _count)));
    }

    /// <summary>One block FMA: the output code of C + Σ group, with C given as a code of the output format.</summary>
    public uint Fuse(uint c, ReadOnlySpan<MacTerm> group)
    {
        FormatInfo output = Model.Output;
        var all = new MacTerm[group.Length + 1];
        all[0] = new MacTerm(Decoder.DecodeExact(output, c), MacTerm.OperandExponent(output, c));
        group.CopyTo(all.AsSpan(1));

        ExactValue special = ExactValue.PositiveZero;
        bool allNegativeZero = true;
        int eta = Model.EtaFloor;
        foreach (MacTerm t in all)
        {
            if (t.Value.Kind is ValueKind.NaN or ValueKind.Infinity) special = ExactValue.Add(special, t.Value);
            allNegativeZero &= t.Value.Kind == ValueKind.Zero && t.Value.Negative;
            if (t.Value.Kind == ValueKind.Finite) eta = Math.Max(eta, t.AlignExponent);
        }
        if (special.Kind == ValueKind.NaN) return output == KnownFormats.Fp32 ? Fp32NaN : output.CanonicalNaN;
        if (special.Kind == ValueKind.Infinity) return RoundPack.InfinityOrNaN(output, special.Negative);

        int lsb = eta - Model.FractionBits;
        BigInteger sum = BigInteger.Zero;
        foreach (MacTerm t in all)
            if (t.Value.Kind == ValueKind.Finite) sum += TruncateToGrid(t.Value, lsb);
        if (sum.IsZero) return allNegativeZero ? output.SignMask : 0u;

        ExactValue exact = ExactValue.Of(sum, lsb);
        // Both published models overflow to ±∞ even under RZ (the exponent field saturates; no clamp to max finite).
        if (exact.Log2 > output.MaxExponentField - 1 - output.Bias) return RoundPack.InfinityOrNaN(output, exact.Negative);
        uint code = Encoder.EncodeExact(output, exact, new RoundingContext(Model.OutputRounding, OverflowMode.Ieee));
        if (Model.ResultMantissaBits is int kept) code = TruncateMantissa(output, code, kept);
        return code;
    }

    /// <summary>The term's signed multiple of 2^lsb, truncated toward zero.</summary>
    private static BigInteger TruncateToGrid(ExactValue v, int lsb)
    {
        int shift = v.Exponent - lsb;
        BigInteger magnitude = shift >= 0 ? v.Magnitude << shift : v.Magnitude >> -shift;
        return v.Negative ? -magnitude : magnitude;
    }

    /// <summary>Clears the trailing significand bits below the first <paramref name="kept"/> (RZ to fewer mantissa bits).</summary>
    private static uint TruncateMantissa(FormatInfo output, uint code, int kept)
    {
        if (IsNaN(output, code)) return code;
        uint dropped = (1u << (output.MantissaBits - kept)) - 1;
        return code & ~dropped;
    }

    private static bool IsNaN(FormatInfo f, uint code) => Codec.Decoder.Classify(f, code) == CodeClass.NaN;
}
