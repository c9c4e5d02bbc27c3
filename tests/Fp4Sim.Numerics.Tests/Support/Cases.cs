using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Numerics.Tests.Support;

// What the property tests take as arguments. FsCheck prints a failing case with ToString, so each one names its
// formats and writes its numbers round-trippably (and codes in hex).

/// <summary>A format and a value to encode into it.</summary>
public sealed record FormatValue(FormatInfo Format, double X)
{
    public override string ToString() => $"{Format.Name}: x = {X:R}";
}

/// <summary>A format and two values to encode into it.</summary>
public sealed record FormatValuePair(FormatInfo Format, double A, double B)
{
    public override string ToString() => $"{Format.Name}: a = {A:R}, b = {B:R}";
}

/// <summary>A format, a rounding context and a value: one call of the encoder.</summary>
public sealed record EncodeCase(FormatInfo Format, RoundingContext Context, double X)
{
    public override string ToString() => $"{Format.Name} {Context.Mode}/{Context.Overflow}: x = {X:R}";
}

/// <summary>A format and a quotient x / d to encode into it (x ≥ 0, d &gt; 0).</summary>
public sealed record Quotient(FormatInfo Format, float X, float D)
{
    public override string ToString() => $"{Format.Name}: {X:R} / {D:R}";
}

/// <summary>Any float32 (every bit pattern equally likely) over a power of two 2^Exponent.</summary>
public sealed record PowerOfTwoQuotient(float X, int Exponent)
{
    public override string ToString() => $"{X:R} (0x{BitConverter.SingleToUInt32Bits(X):x8}) / 2^{Exponent}";
}

/// <summary>Two code vectors of one length, of formats <see cref="A"/> and <see cref="B"/>: the operands of one dot product.</summary>
public sealed record CodeVector(FormatInfo A, FormatInfo B, uint[] X, uint[] Y)
{
    public MacTerm[] Terms() => X.Select((x, i) => MacTerm.Product(A, x, B, Y[i])).ToArray();

    public override string ToString() =>
        $"{A.Name}·{B.Name}, n = {X.Length}: [{string.Join(", ", X.Select((x, i) => $"0x{x:x}·0x{Y[i]:x}"))}]";
}

/// <summary>A tensor-core model and a dot product in its input format.</summary>
public sealed record TensorCoreCase(TensorCoreModel Model, CodeVector Vector)
{
    public override string ToString() => $"{Model.Name}: {Vector}";
}

/// <summary>Two float32 vectors of whole blocks, to quantize to block formats <see cref="A"/> and <see cref="B"/>.</summary>
public sealed record BlockPair(BlockFormat A, BlockFormat B, float[] X, float[] Y)
{
    public override string ToString() =>
        $"{A.Name}·{B.Name}, {X.Length / A.BlockSize} blocks: x = [{string.Join(", ", X.Select(v => v.ToString("R")))}], "
        + $"y = [{string.Join(", ", Y.Select(v => v.ToString("R")))}]";
}

/// <summary>Codes of <see cref="Bits"/> bits each (at most 70), to pack into a bit stream.</summary>
public sealed record BitCodes(int Bits, byte[] Codes)
{
    public override string ToString() => $"{Bits} bits: [{string.Join(", ", Codes.Select(c => $"0x{c:x}"))}]";
}
