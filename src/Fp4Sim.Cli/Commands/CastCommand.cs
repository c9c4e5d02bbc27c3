using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim cast</c>: one float32 per stdin line → one code per stdout line, through the scalar reference encoder.
/// For stochastic rounding, line i (0-based) uses <c>StochasticBits.For(seed, i)</c>.
/// </summary>
public static class CastCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("cast", argv, "format", "rounding", "overflow", "seed");
        FormatInfo format = CommonOptions.Format(args);
        RoundingContext ctx = CommonOptions.Rounding(args);
        ulong seed = args.Unsigned("seed", 0);
        bool stochastic = ctx.Mode == RoundingMode.Sr;
        int digits = CodeText.Digits(format);
        Span<char> buffer = stackalloc char[16];

        ulong index = 0;
        for (string? line; (line = stdin.ReadLine()) != null; index++)
        {
            float value = FloatInput.ParseLine(line, index + 1);
            RoundingContext lineCtx = stochastic ? ctx with { RandomBits = StochasticBits.For(seed, index) } : ctx;
            uint code = Encoder.Encode(format, value, lineCtx);
            int length = CodeText.Write(code, digits, buffer);
            buffer[length] = '\n';
            stdout.Write(buffer[..(length + 1)]);
        }
        stdout.Flush();
        return 0;
    }
}
