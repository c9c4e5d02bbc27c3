using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Numerics.Mac;

/// <summary>
/// What an accumulator leaves after a dot product: the exact value it holds, that value's bit pattern in the
/// accumulator's own encoding (a float format's code, or a fixed-point two's-complement word), and a sticky flag for
/// inputs a fixed-point register cannot represent (±∞, NaN).
/// </summary>
/// <param name="Value">The exact value of the result.</param>
/// <param name="Bits">The result's bits (low <paramref name="Width"/> bits).</param>
/// <param name="Width">The width of <paramref name="Bits"/>.</param>
/// <param name="Format">The float format of the bits, or null for a fixed-point word.</param>
/// <param name="Invalid">A fixed-point accumulator saw an infinite or NaN term (it was skipped).</param>
public readonly record struct MacResult(ExactValue Value, UInt128 Bits, int Width, FormatInfo? Format, bool Invalid = false)
{
    /// <summary>A result held in a float format.</summary>
    public static MacResult InFormat(FormatInfo format, uint code) =>
        new(Decoder.DecodeExact(format, code), code, format.TotalBits, format);
}

/// <summary>
/// A model of how hardware sums the terms of a dot product. Each model is a pure function of the terms in the order
/// given (index 0 first), starting from +0; the order is part of the semantics (docs/semantics.md §10).
/// </summary>
public abstract record Accumulator
{
    /// <summary>The accumulator's name as the CLI spells it (exact, fp32, fixed:32.16, tc:h100, …).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// A running sum starting from +0: add the terms one at a time, index 0 first, and read the result at any point.
    /// This is the model's one accumulation routine; <see cref="Accumulate"/> and <see cref="Dot"/> are loops over it.
    /// </summary>
    public abstract RunningSum Begin();

    /// <summary>Sums <paramref name="terms"/> in order (<see cref="Begin"/>, then every term).</summary>
    public MacResult Accumulate(ReadOnlySpan<MacTerm> terms)
    {
        RunningSum sum = Begin();
        foreach (MacTerm t in terms) sum.Add(t);
        return sum.Result();
    }

    /// <summary>Sums the exact products of two code vectors (equal lengths), pair by pair.</summary>
    public MacResult Dot(FormatInfo fa, ReadOnlySpan<uint> a, FormatInfo fb, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"the operand vectors differ in length ({a.Length} and {b.Length})");
        RunningSum sum = Begin();
        for (int i = 0; i < a.Length; i++) sum.Add(MacTerm.Product(fa, a[i], fb, b[i]));
        return sum.Result();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// One dot product in progress in an <see cref="Accumulator"/>: the state after the terms added so far. Memory does not
/// grow with the number of terms (a tensor-core model holds at most one group), so a stream of any length can be summed.
/// </summary>
public abstract class RunningSum
{
    /// <summary>Adds the next term.</summary>
    public abstract void Add(in MacTerm term);

    /// <summary>The result of the terms added so far (reading it does not change the sum; more terms may follow).</summary>
    public abstract MacResult Result();
}
