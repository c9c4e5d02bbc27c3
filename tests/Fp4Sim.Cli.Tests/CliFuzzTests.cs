using System.Text;
using Fp4Sim.Numerics.IO;
using Xunit.Abstractions;

namespace Fp4Sim.Cli.Tests;

/// <summary>
/// A seeded fuzz of the real process: random verbs, options, numbers, format and accumulator specs, paths, byte soup
/// on stdin, closed stdin or stdout. Every case must exit 0–3 with at most one stderr line, no stack trace, and no
/// file left behind but the outputs it reported. The test command runs <see cref="DefaultCases"/> cases;
/// <c>FP4SIM_FUZZ_SECONDS=N</c> runs for N seconds instead (adding the slower verbs), <c>FP4SIM_FUZZ_SEED</c> picks the seed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CliFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 48;

    private sealed record Verb(string[] Words, string[] Options, bool Slow = false);

    private static readonly Verb[] Verbs =
    [
        new(["cast"], ["format", "rounding", "overflow", "convention", "seed", "in", "out"]),
        new(["decode"], ["format", "!stdin", "in", "out", "dtype"]),
        new(["formats"], []),
        new(["mx", "quantize"], ["format", "scale-rule", "rounding", "convention", "nan-policy", "scale-rounding", "seed", "!pad",
            "in", "out", "scales-out", "tensor-scale-out", "!pack"]),
        new(["mx", "dequantize"], ["format", "in", "scales", "tensor-scale", "!packed", "out"]),
        new(["dot"], ["a-format", "b-format", "acc", "bias-a-channel"]),
        new(["rtl", "generate"], ["unit", "format", "acc", "shift-bits", "out"]),
        new(["rtl", "vectors"], ["unit", "format", "acc", "shift-bits", "count", "seed", "out"]),
        new(["cost"], ["unit", "format", "acc", "shift-bits", "set", "csv", "svg"]),
        new(["quartet", "quantize"], ["method", "hadamard", "signs", "seed"]),
        new(["llmfp4", "tokenize"], ["model-dir"]),
        new(["plot", "llmfp4"], ["csv", "out"]),
        new(["plot", "explore"], ["csv", "out", "reference"]),
        new(["plot", "quartet"], ["csv", "out"]),
        new(["frobnicate"], ["format"]),
        new(["mx", "frobnicate"], ["format"]),
        new(["bench", "cast"], ["format", "rounding", "overflow", "count", "threads"], Slow: true),
        new(["bench", "decode"], ["format", "count", "threads"], Slow: true),
        new(["bench", "mxgemm"], ["m", "n", "k", "threads", "acc", "seed"], Slow: true),
        new(["bench", "sgemm"], ["m", "n", "k", "threads", "rounds"], Slow: true),
        new(["quartet", "table2"], ["samples", "seed"], Slow: true),
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "2", "3", "7", "16", "32", "64", "65", "128", "1000", "1000000", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "18446744073709551616", "1e3", "1.5", "-0", "0x10", "0xffffffff", "nan", "inf",
        "99999999999999999999999", " 4", "4 ", "٣",
    ];

    private static readonly string[] Formats =
    [
        "e2m1", "e4m3", "e5m2", "e3m2", "e2m3", "fp16", "bf16", "int4", "int8", "e8m0", "ue8m0", "e4m3:bias=7", "e2m1:bias=-1",
        "e9m9", "e0m3", "e1m0", "e8m23", "e11m52", "e4m3:", "e4m3:bias=", "e4m3:bias=x", "E4M3", "mxfp4", "nvfp4", "mxfp8_e4m3",
        "e4m3:subnormals=ftz", "e2m1:subnormals=daz", "float8_e8m0fnu",
    ];

    private static readonly string[] Accumulators =
    [
        "fp32", "exact", "fixed:16.2", "fixed:12.2:round:wrap", "fixed:32.grid", "fixed:", "fixed:.", "fixed:1.0", "fixed:0.0",
        "fixed:-1.2", "tc:hopper", "tc:", "fp16", "fixed:16.2:nope",
    ];

    private static readonly string[] Words =
    [
        "rne", "rtz", "rup", "rdn", "sr", "saturate", "ieee", "nan", "ocp", "floor", "ceil", "fp_mac", "psb_mac", "int_mac", "mx_dot",
        "fp_mul", "default", "sweep", "table6", "quest", "absmax", "none", "fixed", "random", "before", "after", "", "-", "--", "x",
        "--format", "=", "é", "\u0007", "a b",
    ];

    [Fact]
    public void Random_commands_exit_0_to_3_with_one_line_and_leave_nothing_behind()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FP4SIM_FUZZ_SEED"), out int s) ? s : 20261203;
        double seconds = double.TryParse(Environment.GetEnvironmentVariable("FP4SIM_FUZZ_SECONDS"), out double t) ? t : 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        int cases = 0;
        Parallel.For(0, seconds > 0 ? int.MaxValue : DefaultCases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, (i, loop) =>
        {
            if (seconds > 0 && clock.Elapsed.TotalSeconds > seconds) { loop.Stop(); return; }
            Interlocked.Increment(ref cases);
            if (RunCase(seed, i, slow: seconds > 0) is { } failure) failures.Add(failure);
        });
        output.WriteLine($"{cases} cases, seed {seed}, {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases} cases failed (seed {seed}):\n" + string.Join("\n", failures.Take(10)));
    }

    /// <summary>Runs case <paramref name="index"/>; null when it behaved, else what it did wrong and how to repeat it.</summary>
    private static string? RunCase(int seed, int index, bool slow)
    {
        var random = new Random(HashCode.Combine(seed, index));
        string dir = Directory.CreateTempSubdirectory("fp4sim-fuzz-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "tmp"));
            // Inputs for the array modes: floats, and codes (which also pass for scales).
            NpyFile.Write<float>(Path.Combine(dir, "a.npy"), [.. Enumerable.Range(0, 64).Select(i => i * 0.37f - 9f)], [2, 32]);
            NpyFile.Write<byte>(Path.Combine(dir, "codes.npy"), [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 37))], [2, 32]);
            Verb[] verbs = slow ? Verbs : Verbs.Where(v => !v.Slow).ToArray();
            Verb verb = verbs[random.Next(verbs.Length)];
            var args = new List<string>(verb.Words);
            for (int n = random.Next(0, 6); n > 0; n--) args.AddRange(Option(random, verb));
            (CliProcessOptions options, string input) = Streams(random, dir);
            CliProcessResult r;
            try
            {
                r = CliProcess.Run(options, [.. args]);
            }
            catch (TimeoutException e)
            {
                return $"{Describe(args, input)}: {e.Message}";
            }
            string? problem = Check(r, dir);
            return problem is null ? null : $"{Describe(args, input)}: {problem}";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Describe(List<string> args, string input) =>
        "fp4sim " + string.Join(' ', args.Select(a => a.Length == 0 || a.Any(c => c <= ' ' || c == '\'') ? $"'{ErrorText.Escape(a)}'" : a))
        + $" [{input}]";

    private static string? Check(CliProcessResult r, string dir)
    {
        if (r.ExitCode is < 0 or > 3) return $"exit {r.ExitCode}: {r.Stderr.Trim()}";
        if (r.ErrorLines.Length > 1) return $"{r.ErrorLines.Length} stderr lines: {r.Stderr.Trim()}";
        if (r.Stderr.Contains("   at ", StringComparison.Ordinal) || r.Stderr.Contains("Unhandled exception", StringComparison.Ordinal))
            return $"a stack trace: {r.Stderr}";
        if (r.ExitCode != 0 && r.ErrorLines.Length == 0) return $"exit {r.ExitCode} with no message";
        if (r.ExitCode != 0 && !r.ErrorLines[0].StartsWith("fp4sim: ", StringComparison.Ordinal)) return $"message '{r.Stderr.Trim()}'";
        // Temporaries and probes must be gone; completed outputs are allowed.
        string[] stray = Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".tmp", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith(".fp4sim-probe", StringComparison.Ordinal)
                || Path.GetDirectoryName(p) == Path.Combine(dir, "tmp"))
            .ToArray();
        return stray.Length > 0 ? $"left behind {string.Join(", ", stray.Select(Path.GetFileName))}" : null;
    }

    private static IEnumerable<string> Option(Random random, Verb verb)
    {
        if (verb.Options.Length == 0 || random.Next(8) == 0) return new[] { Pick(random, Words), Pick(random, Numbers) }[..random.Next(1, 3)];
        string option = Pick(random, verb.Options);
        if (option.StartsWith('!')) return ["--" + option[1..]];
        string value = Value(random, option);
        return random.Next(4) == 0 ? [$"--{option}={value}"] : [$"--{option}", value];
    }

    private static string Value(Random random, string option) => option switch
    {
        "format" or "a-format" or "b-format" when random.Next(4) == 0 => $"{Pick(random, Formats).Split(':')[0]}:bias={Pick(random, Numbers)}",
        "format" or "a-format" or "b-format" => Pick(random, Formats),
        "acc" when random.Next(3) == 0 => $"fixed:{Pick(random, Numbers)}.{Pick(random, Numbers)}",
        "acc" => Pick(random, Accumulators),
        "out" or "in" or "csv" or "svg" or "model-dir" or "scales-out" or "tensor-scale-out" or "scales" or "tensor-scale" => Pick(random,
            ["out", "out/sub/deeper", "/proc/fp4sim", "/nonexistent/x", "a.npy", "codes.npy", "out.csv", "out.svg", "out.png", "out.csv/x"]),
        "convention" => Pick(random, ["fp4sim", "ml_dtypes", "gfloat", "microxcaling", "numpy", ""]),
        "bias-a-channel" => string.Join(',', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, Numbers))),
        "count" or "seed" or "shift-bits" or "threads" or "m" or "n" or "k" or "samples" => Pick(random, Numbers),
        _ => random.Next(3) == 0 ? Pick(random, Numbers) : Pick(random, Words),
    };

    private static (CliProcessOptions Options, string Description) Streams(Random random, string dir)
    {
        var env = new Dictionary<string, string> { ["TMPDIR"] = Path.Combine(dir, "tmp") };
        bool closeStdout = random.Next(10) == 0;
        var options = new CliProcessOptions
        {
            WorkingDirectory = dir,
            Environment = env,
            StdoutRedirect = closeStdout ? "&-" : null,
            StdoutBytes = closeStdout ? null : 1 << 20, // a verb that prints without end meets a closed pipe, as under `head`
            Timeout = TimeSpan.FromSeconds(90),
        };
        switch (random.Next(6))
        {
            case 0: return (options with { CloseStdin = true }, "stdin closed");
            case 1: return (options, "stdin empty");
            case 2:
                var soup = new byte[random.Next(1, 4096)];
                random.NextBytes(soup);
                return (options with { Stdin = soup }, $"{soup.Length} random bytes");
            default:
                var sb = new StringBuilder();
                for (int n = random.Next(1, 200); n > 0; n--)
                {
                    sb.Append(random.Next(3) switch
                    {
                        0 => Pick(random, Numbers),
                        1 => (random.NextDouble() * 20 - 10).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                        _ => $"0x{random.Next():x8}",
                    });
                    if (random.Next(3) == 0) sb.Append(' ').Append(Pick(random, Numbers));
                    sb.Append(random.Next(20) == 0 ? "\r\n" : "\n");
                }
                return (options with { Stdin = Encoding.UTF8.GetBytes(sb.ToString()) }, $"{sb.Length} characters of numbers");
        }
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
