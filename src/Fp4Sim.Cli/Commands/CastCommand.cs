using System.Runtime.InteropServices;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.IO;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Cli.Commands;

/// <summary>
/// <c>fp4sim cast</c>: one float32 per stdin line → one code per stdout line, through the scalar reference encoder;
/// or, with <c>--in A.npy --out B.npy</c>, an array of any supported dtype → an array of codes of the same shape
/// (<c>|u1</c>, <c>&lt;u2</c> or <c>&lt;u4</c> by the format's width), streamed in chunks. For stochastic rounding,
/// element (line) i, 0-based, uses <c>StochasticBits.For(seed, i)</c>.
/// </summary>
public static class CastCommand
{
    /// <summary>Elements per chunk of the array mode: a few MB of buffers whatever the file size.</summary>
    private const int Chunk = 1 << 20;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new ArgumentReader("cast", argv, "format", "rounding", "overflow", "convention", "seed", "in", "out");
        FormatInfo format = CommonOptions.Format(args);
        RoundingContext ctx = CommonOptions.Rounding(args, "cast", format);
        ulong seed = args.Unsigned("seed", 0);
        string? input = args.Optional("in"), output = args.Optional("out");
        if ((input is null) != (output is null)) throw new CliException("cast: --in and --out go together (both .npy files)");
        if (input is not null) return CastArray(format, ctx, seed, input, output!, stdout);

        bool stochastic = ctx.Mode == RoundingMode.Sr;
        int digits = CodeText.Digits(format);
        Span<char> buffer = stackalloc char[16];
        ulong index = 0;
        for (string? line; (line = stdin.ReadLine()) != null; index++)
        {
            float value = FloatInput.ParseLine(line, index + 1);
            RoundingContext lineCtx = stochastic ? ctx with { RandomBits = StochasticBits.For(seed, index) } : ctx;
            uint code = Encode(format, value, lineCtx, index, "line", 1);
            int length = CodeText.Write(code, digits, buffer);
            buffer[length] = '\n';
            stdout.Write(buffer[..(length + 1)]);
        }
        stdout.Flush();
        return 0;
    }

    private static int CastArray(FormatInfo format, RoundingContext ctx, ulong seed, string input, string output, TextWriter stdout)
    {
        using NpyReader reader = ArrayFiles.OpenInput("cast", input);
        ArrayFiles.CheckOutput("cast", output);
        if (format.TotalBits <= 8) CastArray<byte>(format, ctx, seed, reader, output, c => (byte)c);
        else if (format.TotalBits <= 16) CastArray<ushort>(format, ctx, seed, reader, output, c => (ushort)c);
        else CastArray<uint>(format, ctx, seed, reader, output, c => c);
        stdout.Write($"wrote {output}\n");
        stdout.Flush();
        return 0;
    }

    /// <summary>
    /// One reference encode (a float32 widened to double is the same value); a value the convention's library refuses
    /// (gfloat raises) is exit 2 naming the line (1-based) or element (0-based, flat C order).
    /// </summary>
    private static uint Encode(FormatInfo format, double value, in RoundingContext ctx, ulong index, string unit, int origin)
    {
        try
        {
            return Encoder.Encode(format, value, ctx);
        }
        catch (NotRepresentableException e)
        {
            throw new CliException($"cast: {unit} {index + (ulong)origin}: {e.Message}");
        }
    }

    /// <summary>Casts chunk by chunk into codes of type <typeparamref name="T"/> (the narrowest that holds the format).</summary>
    private static void CastArray<T>(FormatInfo format, RoundingContext ctx, ulong seed, NpyReader reader, string output,
        Func<uint, T> narrow) where T : unmanaged
    {
        using NpyWriter<T> writer = ArrayFiles.CreateOutput<T>("cast", output, reader.Shape);
        int chunk = (int)Math.Min(Chunk, Math.Max(1, reader.Count));
        bool floats = reader.ElementType == typeof(float) || reader.ElementType == typeof(Half);
        // The vector cast is proven bit-identical to the reference for <= 8-bit formats (codes are bytes, T is byte) and
        // deterministic modes.
        bool vector = floats && typeof(T) == typeof(byte) && FastCast.Supports(format, ctx);
        float[] singles = floats ? new float[chunk] : [];
        double[] doubles = floats ? [] : new double[chunk];
        var codes = new T[chunk];
        ulong index = 0;
        for (int n; (n = floats ? reader.Read(singles) : reader.Read(doubles)) > 0;)
        {
            if (vector)
            {
                FastCast.Encode(format, singles.AsSpan(0, n), MemoryMarshal.AsBytes(codes.AsSpan(0, n)), ctx, threads: 0);
            }
            else
            {
                for (int i = 0; i < n; i++, index++)
                {
                    RoundingContext c = ctx.Mode == RoundingMode.Sr ? ctx with { RandomBits = StochasticBits.For(seed, index) } : ctx;
                    codes[i] = narrow(Encode(format, floats ? singles[i] : doubles[i], c, index, "element", 0));
                }
            }
            writer.Write(codes.AsSpan(0, n));
        }
        writer.Commit();
    }
}
