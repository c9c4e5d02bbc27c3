using FsCheck;
using FsCheck.Fluent;

namespace Fp4Sim.Cli.Tests;

/// <summary>A text made of pieces (line ends among them), read through a reader that returns at most <see cref="Step"/> characters a call.</summary>
public sealed record LineText(string[] Pieces, int Step)
{
    public string Text => string.Concat(Pieces);

    public override string ToString() =>
        $"step {Step}: \"{Text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";
}

/// <summary>
/// The FsCheck generators and shrinkers of this project's property tests, one per argument type; a test class takes
/// them with <c>[Properties(Arbitrary = new[] { typeof(Arbitraries) })]</c>.
/// </summary>
public static class Arbitraries
{
    private static readonly string[] Pieces = ["a", "bc", "\n", "\r", "\r\n", "", "0x3f800000", " ", "\u00e9"];

    /// <summary>0 to 29 pieces, each equally likely; 1 to 3 characters a read. Shrinks to fewer pieces, then to smaller steps.</summary>
    public static Arbitrary<LineText> LineTexts() => Arb.From(
        Gen.Choose(0, 29).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n))
            .SelectMany(pieces => Gen.Choose(1, 3).Select(step => new LineText(pieces, step))),
        t => Enumerable.Range(0, t.Pieces.Length).Select(i => t with { Pieces = [.. t.Pieces[..i], .. t.Pieces[(i + 1)..]] })
            .Concat(Enumerable.Range(1, t.Step - 1).Select(step => t with { Step = step })));
}
