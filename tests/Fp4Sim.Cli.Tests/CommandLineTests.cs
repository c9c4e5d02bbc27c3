using Fp4Sim.Hardware;

namespace Fp4Sim.Cli.Tests;

/// <summary>The one mapping from what went wrong to an exit code and a line (docs/cli.md).</summary>
public class CommandLineTests
{
    public static TheoryData<Exception, int, string> Cases => new()
    {
        { new CliException("cast: bad"), 2, "cast: bad" },
        { new FormatException("unknown format 'x'"), 2, "unknown format 'x'" },
        { new EnvironmentException("llmfp4 run: model missing"), 3, "llmfp4 run: model missing" },
        { new ToolStartException("cannot run yosys: Permission denied"), 3, "cannot run yosys" },
        { new IOException("No space left on device"), 3, "cast: i/o error: No space left on device" },
        { new IOException("Broken pipe", 32), 3, "cast: cannot write to standard output: the reader closed the pipe" },
        { new UnauthorizedAccessException("Access denied"), 3, "cast: i/o error: Access denied" },
        { new OutOfMemoryException(), 3, "cast: out of memory" },
        { new OperationCanceledException(), 130, "cast: interrupted" },
        { new InvalidOperationException("oops"), 70, "cast: internal error (System.InvalidOperationException): oops" },
        { new ArgumentOutOfRangeException("x"), 70, "cast: internal error (System.ArgumentOutOfRangeException)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_failure_has_its_exit_code_and_one_line(Exception e, int exitCode, string message)
    {
        (int code, string line) = CommandLine.Classify(e, "cast");
        Assert.Equal(exitCode, code);
        Assert.StartsWith(message, line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void A_failure_inside_a_parallel_loop_is_classified_by_its_cause()
    {
        var stderr = new StringWriter();
        // Parallel.For wraps the fault in an AggregateException; the handler unwraps it.
        int code = CommandLine.Run(["cast", "--format", "e2m1"], new ThrowingReader(), new StringWriter(), stderr);
        Assert.Equal(3, code);
        Assert.Equal("fp4sim: cast: i/o error: disk gone\n", stderr.ToString());
    }

    private sealed class ThrowingReader : TextReader
    {
        public override int Read(char[] buffer, int index, int count) =>
            throw new AggregateException(new IOException("disk gone"));
    }
}
