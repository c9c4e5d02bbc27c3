namespace Fp4Sim.Cli.Tests;

/// <summary>Outputs are checked before any work, by the one question that matters: can a file be created there.</summary>
public sealed class OutputPathsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fp4sim-paths-").FullName;

    /// <summary>A folder no one can create files in, root included (tests may run as root, which ignores permissions).</summary>
    private const string Unwritable = "/proc";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_file_in_a_writable_folder_is_fine_and_the_probe_leaves_nothing()
    {
        Assert.Null(OutputPaths.Unwritable(Path.Combine(_dir, "x.csv")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Folders_missing_folders_and_read_only_folders_are_named()
    {
        Assert.Contains("it is a directory", OutputPaths.Unwritable(_dir));
        Assert.Contains("does not exist", OutputPaths.Unwritable(Path.Combine(_dir, "missing", "x.csv")));
        Assert.StartsWith("cannot write '/proc/x.csv': ", OutputPaths.Unwritable(Path.Combine(Unwritable, "x.csv")));
    }

    [Fact]
    public void An_output_folder_may_be_created_under_a_writable_one_but_not_through_a_file()
    {
        Assert.Null(OutputPaths.UnwritableFolder(Path.Combine(_dir, "a", "b")));
        File.WriteAllText(Path.Combine(_dir, "f"), "");
        Assert.Contains("is a file", OutputPaths.UnwritableFolder(Path.Combine(_dir, "f", "b")));
        Assert.StartsWith("cannot write into '/proc/fp4sim/b': ", OutputPaths.UnwritableFolder(Path.Combine(Unwritable, "fp4sim", "b")));
    }

    [Fact]
    public void Rtl_generate_into_an_unwritable_folder_is_exit_3()
    {
        CliResult r = CliRunner.Run("rtl", "generate", "--unit", "fp_mac", "--format", "e2m1", "--acc", "fixed:16.2", "--out", "/proc/fp4sim");
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith("fp4sim: rtl generate: cannot write into '/proc/fp4sim'", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void Cost_checks_every_output_before_writing_any()
    {
        string csv = Path.Combine(_dir, "cost.csv");
        CliResult r = CliRunner.Run("cost", "--set", "sweep", "--csv", csv, "--svg", Path.Combine(_dir, "missing", "a.svg"));
        Assert.Equal(3, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.False(File.Exists(csv));
    }
}
