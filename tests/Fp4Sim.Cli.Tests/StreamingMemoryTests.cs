using System.Globalization;
using System.Text;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// Line-oriented verbs run in memory independent of their input (docs/cli.md §3): ten million lines through the real
/// process, its peak resident memory read from /proc. Holding the input — even as 4-byte codes — or buffering the output
/// would pass 200 MB at this size (the same verbs held ~640 MB before they streamed).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class StreamingMemoryTests
{
    private const int Lines = 10_000_000;
    private const long Limit = 200L << 20;

    /// <summary>Writes <paramref name="lines"/> lines made by <paramref name="line"/> to the process's stdin as it reads.</summary>
    internal static Action<Stream> Generate(int lines, Func<int, string> line) => stdin =>
    {
        using var writer = new StreamWriter(stdin, new UTF8Encoding(false), 1 << 16);
        for (int i = 0; i < lines; i++)
        {
            writer.Write(line(i));
            writer.Write('\n');
        }
    };

    /// <summary>A float32 in [-8, 8) from a hash of <paramref name="i"/>, as a decimal that round-trips.</summary>
    internal static string Float(int i)
    {
        uint h = (uint)i * 2654435761u;
        h ^= h >> 15;
        return ((h % 16_000_000) / 1_000_000f - 8f).ToString("R", CultureInfo.InvariantCulture);
    }

    internal static void AssertBounded(CliProcessResult r, string verb)
    {
        Assert.True(r.ExitCode == 0, $"{verb}: exit {r.ExitCode}: {r.Stderr}");
        Assert.True(r.PeakRssBytes > 0, "no VmHWM reading from /proc");
        Assert.True(r.PeakRssBytes < Limit, $"{verb}: peak RSS {r.PeakRssBytes >> 20} MB for {Lines} lines (limit {Limit >> 20} MB)");
    }

    private static CliProcessResult Run(Func<int, string> line, params string[] args) =>
        CliProcess.Run(new CliProcessOptions { StdinWriter = Generate(Lines, line), StdoutRedirect = "/dev/null" }, args);

    [Fact]
    public void Cast_holds_one_line_at_a_time() => AssertBounded(Run(Float, "cast", "--format", "e4m3"), "cast");

    [Fact]
    public void Quartet_quantize_holds_one_group_at_a_time() =>
        AssertBounded(Run(Float, "quartet", "quantize", "--method", "quest"), "quartet quantize");

    [Theory]
    [InlineData("mxfp4")]
    [InlineData("nvfp4")] // reads all input first (the global amax), spooled to a temporary file past 16 MB
    public void Mx_quantize_holds_one_chunk_of_blocks_at_a_time(string format) =>
        AssertBounded(Run(Float, "mx", "quantize", "--format", format), "mx quantize");

    [Fact]
    public void Dot_accumulates_pair_by_pair() =>
        AssertBounded(Run(i => $"0x{i & 0xff:x2} 0x{(i >> 8) & 0xff:x2}", "dot", "--a-format", "e4m3", "--b-format", "e4m3", "--acc", "fixed:64.4"),
            "dot");
}
