using System.Diagnostics;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// The limits of <c>dot</c>, <c>cost</c> and <c>rtl</c>: accumulator specs are range-checked before anything is sized
/// from them; an operand is a value of its format exactly or an error naming the nearest; the input is summed as it is
/// read, so memory does not grow with it.
/// </summary>
[Collection(DotMemoryCollection.Name)]
public class DotLimitTests
{
    private static readonly string[] E2m1Fp32 = ["dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fp32"];

    private static void AssertUsageError(CliResult r, string message)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal([message], r.ErrorLines);
    }

    [Theory]
    [InlineData("fixed:64.2147483647", "fp4sim: accumulator 'fixed:64.2147483647': fraction bits must be -4096..4096")]
    [InlineData("fixed:64.2000000000", "fp4sim: accumulator 'fixed:64.2000000000': fraction bits must be -4096..4096")]
    [InlineData("fixed:64.-2147483648", "fp4sim: accumulator 'fixed:64.-2147483648': fraction bits must be -4096..4096")]
    [InlineData("fixed:200.3", "fp4sim: accumulator 'fixed:200.3': width must be 2..128 bits")]
    [InlineData("fixed:99999999999999999999.3", "fp4sim: accumulator 'fixed:99999999999999999999.3': width must be 2..128 bits")]
    public void Dot_refuses_an_accumulator_out_of_range_before_reading(string acc, string message)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertUsageError(CliRunner.RunWithInput("1 1\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", acc), message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "sized something from the spec");
    }

    [Fact]
    public void The_coarsest_grid_still_sums()
    {
        // steps of 2^4096: 36 truncates to 0 steps, −0.25 to −1 step
        var r = CliRunner.RunWithInput("6 6\n0.5 -0.5\n", "dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "fixed:128.-4096");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["0x" + new string('f', 32) + " -" + System.Numerics.BigInteger.Pow(2, 4096)], r.Lines);
    }

    [Theory]
    [InlineData("cost", "fixed:16.2147483647", "fp4sim: accumulator 'fixed:16.2147483647': fraction bits must be -4096..4096")]
    [InlineData("cost", "fixed:16.-6",
        "fp4sim: cost: accumulator fixed:16.-6 is too coarse for e2m1 x e2m1 products: one step, 2^6, exceeds the largest product (36), " +
        "so every product would land on 0 or ±1 step; the RTL takes fraction bits -5 or more for these formats")]
    [InlineData("rtl generate", "fixed:16.2147483647", "fp4sim: accumulator 'fixed:16.2147483647': fraction bits must be -4096..4096")]
    [InlineData("rtl vectors", "fixed:64.2000000000", "fp4sim: accumulator 'fixed:64.2000000000': fraction bits must be -4096..4096")]
    [InlineData("rtl vectors", "fixed:16.-6", "fp4sim: rtl: accumulator fixed:16.-6 is too coarse for e2m1 x e2m1 products: one step, " +
        "2^6, exceeds the largest product (36), so every product would land on 0 or ±1 step; the RTL takes fraction bits -5 or more " +
        "for these formats")]
    [InlineData("rtl generate", "fixed:128.122", "fp4sim: rtl: accumulator fixed:128.122 is too narrow for e2m1 x e2m1 products: the largest " +
        "product is 191408831393027885698148216680369618944 steps of 2^-122, which needs 129 bits (more than the 128 a register can have: " +
        "use fewer fraction bits)")]
    public void Cost_and_rtl_check_the_same_accumulator_and_the_units_limits(string verb, string acc, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"fp4sim-acc-{Guid.NewGuid():N}");
        string[] args = [.. verb.Split(' '), "--unit", "fp_mac", "--format", "e2m1", "--acc", acc, .. verb == "cost" ? [] : new[] { "--out", dir }];
        AssertUsageError(CliRunner.Run(args), message);
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any());
    }

    [Theory]
    [InlineData("1.00000000000000000001 1\n", "fp4sim: line 1: 1.00000000000000000001 is not a value of e2m1 (nearest: 1 = 0x2)")]
    [InlineData("0.99999999999999999999999 1\n", "fp4sim: line 1: 0.99999999999999999999999 is not a value of e2m1 (nearest: 1 = 0x2)")]
    [InlineData("1 1\n1e309 1\n", "fp4sim: line 2: 1e309 is not a value of e2m1 (nearest: 6 = 0x7)")]
    [InlineData("1e-400 1\n", "fp4sim: line 1: 1e-400 is not a value of e2m1 (nearest: 0 = 0x0)")]
    [InlineData("1 -1e-400\n", "fp4sim: line 1: -1e-400 is not a value of e2m1 (nearest: -0 = 0x8)")]
    [InlineData("1e99999999999999999999999999 1\n", "fp4sim: line 1: 1e99999999999999999999999999 is not a value of e2m1 (nearest: 6 = 0x7)")]
    [InlineData("5.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001 1\n",
        "fp4sim: line 1: 5.00000000000000000000000000000000000000000000000000000000000000000000000000000… is not a value of e2m1 " +
        "(nearest: 6 = 0x7)")]
    [InlineData("0.3 1\n", "fp4sim: line 1: 0.3 is not a value of e2m1 (nearest: 0.5 = 0x1)")]
    [InlineData("1.75 1\n", "fp4sim: line 1: 1.75 is not a value of e2m1 (nearest: 2 = 0x4)")]
    public void An_operand_is_a_value_exactly_or_an_error_naming_the_nearest(string input, string message) =>
        AssertUsageError(CliRunner.RunWithInput(input, E2m1Fp32), message);

    [Theory]
    [InlineData("1.000000000000000000000000000000000 -0.5e0\n", "0xbf000000 -0.5")]
    [InlineData("6e0000000000000000000000000000 +.5\n", "0x40400000 3")]
    [InlineData("-0 1\n", "0x00000000 0")]
    public void Long_spellings_of_values_are_values(string input, string output)
    {
        var r = CliRunner.RunWithInput(input, E2m1Fp32);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal([output], r.Lines);
    }

    [Fact]
    public void A_long_malformed_operand_is_quoted_short()
    {
        var r = CliRunner.RunWithInput(new string('7', 5000) + "x 1\n", E2m1Fp32);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("fp4sim: line 1: malformed number '77777", r.Stderr, StringComparison.Ordinal);
        Assert.True(r.Stderr.Length < 200, r.Stderr);
    }

    [Fact]
    public void Too_many_lines_for_the_channel_offsets_stop_the_read()
    {
        var input = new Lines(1_000_000, _ => { });
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run([.. E2m1Fp32, "--bias-a-channel", "1,2"], input, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Equal("fp4sim: --bias-a-channel: 2 offset(s) for more than 2 pair(s) (line 3); give one integer per input line\n", stderr.ToString());
        Assert.InRange(input.Given, 3, 10_000); // no further than the CLI's read-ahead buffer (64 Ki characters)
    }

    [Fact]
    public void Too_few_lines_for_the_channel_offsets_are_reported_after_the_input() =>
        AssertUsageError(CliRunner.RunWithInput("1 1\n", [.. E2m1Fp32, "--bias-a-channel", "1,2,3"]),
            "fp4sim: --bias-a-channel: 3 offset(s) for 1 pair(s); give one integer per input line");

    [Fact]
    public void A_bad_offset_is_reported_before_the_input_is_read()
    {
        var input = new Lines(10, _ => { });
        var stderr = new StringWriter();
        Assert.Equal(2, CommandLine.Run([.. E2m1Fp32, "--bias-a-channel", "1,65"], input, new StringWriter(), stderr));
        Assert.Equal("fp4sim: --bias-a-channel: '65' is not an integer 0..64\n", stderr.ToString());
        Assert.Equal(0, input.Given);
    }

    /// <summary>
    /// A million lines, produced one at a time: the heap after the last one is read is no larger than after the
    /// thousandth (the former implementation held 8 bytes per line before summing, then a 40-byte term per line).
    /// </summary>
    [Fact]
    public void A_million_lines_are_summed_in_constant_memory()
    {
        const int count = 1_000_000;
        long early = 0, late = 0;
        var input = new Lines(count, n =>
        {
            if (n == 1000) early = GC.GetTotalMemory(forceFullCollection: true);
            if (n == count) late = GC.GetTotalMemory(forceFullCollection: true);
        });
        var stdout = new StringWriter();
        var watch = Stopwatch.StartNew();
        int code = CommandLine.Run(["dot", "--a-format", "e2m1", "--b-format", "e2m1", "--acc", "exact"], input, stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.Equal("0x49989680 1250000\n", stdout.ToString()); // 500,000 × (1.5·2 − 1·0.5)
        Assert.True(late - early < 2_000_000, $"the heap grew by {late - early} bytes while reading");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    /// <summary>
    /// Lines <c>1.5 2</c> and <c>0x2 -0.5</c> alternately, made on demand as characters are read (the CLI reads its
    /// input through a buffer of its own); <paramref name="onLine"/> sees each line number as the line is begun.
    /// </summary>
    private sealed class Lines(long count, Action<long> onLine) : TextReader
    {
        private string _line = "";
        private int _next;

        /// <summary>How many lines have been begun.</summary>
        public long Given { get; private set; }

        public override int Read(char[] buffer, int index, int length) => Read(buffer.AsSpan(index, length));

        public override int Read(Span<char> buffer)
        {
            int written = 0;
            while (written < buffer.Length)
            {
                if (_next == _line.Length)
                {
                    if (Given == count) break;
                    onLine(++Given);
                    _line = Given % 2 == 1 ? "1.5 2\n" : "0x2 -0.5\n";
                    _next = 0;
                }
                int n = Math.Min(buffer.Length - written, _line.Length - _next);
                _line.AsSpan(_next, n).CopyTo(buffer[written..]);
                (_next, written) = (_next + n, written + n);
            }
            return written;
        }

        public override string? ReadLine() => throw new NotSupportedException("read through the CLI's own buffer");

        public override int Peek() => throw new NotSupportedException("read through the CLI's own buffer");

        public override int Read() => throw new NotSupportedException("read through the CLI's own buffer");
    }
}

/// <summary>Runs alone, so a heap measurement sees only its own test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DotMemoryCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "dot memory";
}
