using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// Model 2: an IEEE 754 register (binary32, binary16 or bfloat16) updated once per term with a fused add:
/// acc ← RNE(acc + term), where the term (an exact product) is not rounded first — an FMA chain, index 0 first,
/// starting from +0. Overflow gives ±∞; NaNs come out as the format's canonical quiet NaN.
/// </summary>
/// <param name="Format">The register's format.</param>
public sealed record IeeeAccumulator(FormatInfo Format) : Accumulator
{
    private static readonly RoundingContext Nearest = new(RoundingMode.Rne, OverflowMode.Ieee);

    /// <inheritdoc/>
    public override string Name => Format.Name;

    /// <inheritdoc/>
    public override RunningSum Begin() => new Register(this);

    /// <summary>The register's code, +0 at the start.</summary>
    private sealed class Register(IeeeAccumulator model) : RunningSum
    {
        private uint _acc;

        public override void Add(in MacTerm term) => _acc = model.Step(_acc, term.Value);

        public override MacResult Result() => MacResult.InFormat(model.Format, _acc);
    }

    /// <summary>One fused accumulate: the register's code after adding <paramref name="term"/> to <paramref name="acc"/>.</summary>
    public uint Step(uint acc, ExactValue term) =>
        Encoder.EncodeExact(Format, ExactValue.Add(Decoder.DecodeExact(Format, acc), term), Nearest);
}
