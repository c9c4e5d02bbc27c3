using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Cli.Commands;

/// <summary><c>fp4sim decode</c>: every code of a format with its exact value, one <c>0x&lt;code&gt; &lt;value&gt;</c> per line.</summary>
public static class DecodeCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(string[] argv, TextWriter stdout)
    {
        var args = new ArgumentReader("decode", argv, "format");
        FormatInfo format = CommonOptions.Format(args);
        int digits = CodeText.Digits(format);
        Span<char> buffer = stackalloc char[16];
        for (ulong code = 0; code < format.CodeCount; code++)
        {
            int length = CodeText.Write((uint)code, digits, buffer);
            buffer[length] = ' ';
            stdout.Write(buffer[..(length + 1)]);
            stdout.Write(ExactDecimal.Format(Decoder.Decode(format, (uint)code)));
            stdout.Write('\n');
        }
        stdout.Flush();
        return 0;
    }
}
