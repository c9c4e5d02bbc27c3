namespace Fp4Sim.Cli.Tests;

/// <summary>
/// SIGINT and SIGTERM in the middle of writing (docs/cli.md §4): the real process exits 130/143 with one line, its
/// temporary files, yosys work folders and yosys itself are gone, and every output is the old one or the new one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fp4sim-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool Any(string dir, string pattern) =>
        Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir, pattern, SearchOption.AllDirectories).Any();

    private static string[] Leftovers(string dir) =>
        Directory.GetFileSystemEntries(dir, "*.tmp", SearchOption.AllDirectories);

    [Theory]
    [InlineData(2, 130, "interrupted")]
    [InlineData(15, 143, "terminated")]
    public void Synthesis_interrupted_removes_its_work_folder_and_stops_yosys(int signal, int exitCode, string word)
    {
        string tmp = Path.Combine(_dir, "tmp"), csv = Path.Combine(_dir, "cost.csv");
        Directory.CreateDirectory(tmp);
        var options = new CliProcessOptions
        {
            Environment = new Dictionary<string, string> { ["TMPDIR"] = tmp },
            SignalWhen = () => Any(tmp, "synth.ys"), // yosys is running on a work folder
            Signal = signal,
        };
        CliProcessResult r = CliProcess.Run(options, "cost", "--set", "table6", "--synth", "--csv", csv);
        Assert.True(r.Signalled, "the synthesis ended before a work folder was seen");
        ProgramTests.AssertOneErrorLine(r, exitCode, word);
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Rtl_defaults_interrupted_leaves_the_old_set_or_the_new_one_never_a_mix()
    {
        string output = Path.Combine(_dir, "generated");
        Assert.Equal(0, CliProcess.Run("rtl", "defaults", "--out", output).ExitCode);
        // Mark every file of the old set: the new run writes them unmarked, so a mix would show.
        string[] files = Directory.GetFiles(output, "*", SearchOption.AllDirectories);
        foreach (string file in files) File.AppendAllText(file, OldMark);
        var options = new CliProcessOptions { SignalWhen = () => Any(output, "*.tmp"), Signal = 15 };
        CliProcessResult r = CliProcess.Run(options, "rtl", "defaults", "--out", output);
        Assert.True(r.Signalled, "rtl defaults ended before a temporary file was seen");
        ProgramTests.AssertOneErrorLine(r, 143, "terminated");
        Assert.Empty(Leftovers(output));
        int marked = files.Count(f => File.ReadAllText(f).EndsWith(OldMark, StringComparison.Ordinal));
        Assert.True(marked == 0 || marked == files.Length, $"{marked} of {files.Length} files are from the old set");
    }

    private const string OldMark = "\n// old set\n";

    [Fact]
    public void Rtl_vectors_interrupted_leaves_no_partial_files()
    {
        string output = Path.Combine(_dir, "vectors");
        var options = new CliProcessOptions { SignalWhen = () => Any(output, "*.tmp"), Signal = 2 };
        CliProcessResult r = CliProcess.Run(options,
            "rtl", "vectors", "--unit", "fp_mac", "--format", "e4m3", "--acc", "fixed:32.8", "--count", "10000000", "--out", output);
        Assert.True(r.Signalled, "rtl vectors ended before a temporary file was seen");
        ProgramTests.AssertOneErrorLine(r, 130, "interrupted");
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Any(),
            "files were published before the set was complete");
    }
}
