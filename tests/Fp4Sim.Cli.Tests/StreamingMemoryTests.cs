using System.Globalization;
using System.Text;
using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// Line-oriented verbs run in memory independent of their input (docs/cli.md §3): one million and ten million lines
/// through the real process, its peak resident memory read from /proc. The larger run must stay under 200 MB and
/// within 48 MB of the smaller: holding the lines or buffering the output grows by far more (the old dot reached
/// 641 MB at ten million lines, the old mx quantize 157 MB).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class StreamingMemoryTests
{
    private const int Lines = 10_000_000;
    private const long Limit = 200L << 20;
    private const long Growth = 48L << 20;

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
    internal static string Float(int i) => FloatValue(i).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The float32 in [-8, 8) that <see cref="Float"/> prints.</summary>
    private static float FloatValue(int i)
    {
        uint h = (uint)i * 2654435761u;
        h ^= h >> 15;
        return (h % 16_000_000) / 1_000_000f - 8f;
    }

    /// <summary>Runs the verb on a tenth of the input and on all of it; both succeed, and memory hardly grows.</summary>
    private static void AssertBounded(Func<int, string> line, params string[] args)
    {
        string verb = string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
        CliProcessResult small = Run(Lines / 10, line, args), large = Run(Lines, line, args);
        foreach (CliProcessResult r in (CliProcessResult[])[small, large])
        {
            Assert.True(r.ExitCode == 0, $"{verb}: exit {r.ExitCode}: {r.Stderr}");
            Assert.True(r.PeakRssBytes > 0, "no VmHWM reading from /proc");
        }
        Assert.True(large.PeakRssBytes < Limit, $"{verb}: peak RSS {large.PeakRssBytes >> 20} MB for {Lines} lines (limit {Limit >> 20} MB)");
        Assert.True(large.PeakRssBytes - small.PeakRssBytes < Growth,
            $"{verb}: peak RSS {small.PeakRssBytes >> 20} MB for {Lines / 10} lines, {large.PeakRssBytes >> 20} MB for {Lines}");
    }

    private static CliProcessResult Run(int lines, Func<int, string> line, string[] args) =>
        CliProcess.Run(new CliProcessOptions { StdinWriter = Generate(lines, line), StdoutRedirect = "/dev/null" }, args);

    [Fact]
    public void Cast_holds_one_line_at_a_time() => AssertBounded(Float, "cast", "--format", "e4m3");

    [Fact]
    public void Quartet_quantize_holds_one_group_at_a_time() =>
        AssertBounded(Float, "quartet", "quantize", "--method", "quest");

    [Theory]
    [InlineData("mxfp4")]
    [InlineData("nvfp4")] // reads all input first (the global amax), spooled to a temporary file past 16 MB
    public void Mx_quantize_holds_one_chunk_of_blocks_at_a_time(string format) =>
        AssertBounded(Float, "mx", "quantize", "--format", format);

    [Fact]
    public void Dot_accumulates_pair_by_pair() =>
        AssertBounded(i => $"0x{i & 0xff:x2} 0x{(i >> 8) & 0xff:x2}", "dot", "--a-format", "e4m3", "--b-format", "e4m3", "--acc", "fixed:64.4");

    /// <summary>
    /// The array modes on 10^6 and 10^7 elements (rows of 1024): mx quantize (one pass, or nvfp4's two), mx dequantize
    /// and decode read and write chunk by chunk, so the larger file hardly moves the peak.
    /// </summary>
    [Theory]
    [InlineData("mx quantize --format mxfp4 --pack --in {floats} --out {codes4} --scales-out {scales}")]
    [InlineData("mx quantize --format nvfp4 --in {floats} --out {codes} --scales-out {scales} --tensor-scale-out {tensor}")]
    [InlineData("mx dequantize --format mxfp8_e4m3 --in {bytes} --scales {scales} --out {values}")]
    [InlineData("decode --format e4m3 --in {bytes} --out {values}")]
    public void Array_modes_read_and_write_in_chunks(string command)
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-npy-rss-").FullName;
        try
        {
            CliProcessResult Run(int rows)
            {
                string Path(string name) => System.IO.Path.Combine(dir, name);
                using (var floats = NpyWriter<float>.Create(Path("floats.npy"), [rows, 1024]))
                using (var bytes = NpyWriter<byte>.Create(Path("bytes.npy"), [rows, 1024]))
                using (var scales = NpyWriter<byte>.Create(Path("scales.npy"), [rows, 32]))
                {
                    float[] row = new float[1024];
                    byte[] codes = new byte[1024], rowScales = new byte[32];
                    for (int r = 0; r < rows; r++)
                    {
                        for (int i = 0; i < row.Length; i++) (row[i], codes[i]) = (FloatValue(r * 1024 + i), (byte)(r + i));
                        for (int b = 0; b < rowScales.Length; b++) rowScales[b] = (byte)(120 + (r + b) % 15);
                        floats.Write(row);
                        bytes.Write(codes);
                        scales.Write(rowScales);
                    }
                    floats.Commit();
                    bytes.Commit();
                    scales.Commit();
                }
                string[] args = [.. command.Split(' ').Select(a => a.StartsWith('{') ? Path(a[1..^1] + ".npy") : a)];
                return CliProcess.Run(new CliProcessOptions { StdoutRedirect = "/dev/null" }, args);
            }
            CliProcessResult small = Run(Lines / 10 / 1024), large = Run(Lines / 1024);
            Assert.True(small.ExitCode == 0 && large.ExitCode == 0, small.Stderr + large.Stderr);
            Assert.True(large.PeakRssBytes < Limit, $"{command}: peak RSS {large.PeakRssBytes >> 20} MB for 10^7 elements");
            Assert.True(large.PeakRssBytes - small.PeakRssBytes < Growth,
                $"{command}: peak RSS {small.PeakRssBytes >> 20} MB for 10^6 elements, {large.PeakRssBytes >> 20} MB for 10^7");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Rtl_vectors_are_generated_and_written_in_chunks()
    {
        string dir = Directory.CreateTempSubdirectory("fp4sim-rtl-rss-").FullName;
        try
        {
            CliProcessResult Vectors(int count) => CliProcess.Run(new CliProcessOptions { StdoutRedirect = "/dev/null" },
                "rtl", "vectors", "--unit", "fp_mul", "--format", "e2m1", "--count", $"{count}", "--out", dir);
            CliProcessResult small = Vectors(200_000), large = Vectors(2_000_000);
            Assert.True(small.ExitCode == 0 && large.ExitCode == 0, small.Stderr + large.Stderr);
            // The old in-memory set grew by about 140 MB per million vectors.
            Assert.True(large.PeakRssBytes - small.PeakRssBytes < Growth,
                $"rtl vectors: peak RSS {small.PeakRssBytes >> 20} MB for 2*10^5 vectors, {large.PeakRssBytes >> 20} MB for 2*10^6");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
