using Fp4Sim.Numerics.IO;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Numerics.Tests.IO;

/// <summary>A set of files appears together at the commit, or not at all; nothing temporary is left either way.</summary>
public sealed class AtomicFileSetTests : IDisposable
{
    private readonly TempFolder _folder = new("atomic-set");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Nothing_appears_before_the_commit_and_everything_after()
    {
        string old = _folder.Write("a.txt", "old");
        using (var files = new AtomicFileSet())
        {
            files.WriteText(old, "new a");
            using (var writer = new StreamWriter(files.Create(_folder.File("sub/deeper/b.txt")), leaveOpen: true)) writer.Write("new b");
            Assert.Equal("old", File.ReadAllText(old));
            Assert.False(File.Exists(_folder.File("sub/deeper/b.txt")));
            files.Commit();
            Assert.Equal([old, _folder.File("sub/deeper/b.txt")], files.Paths);
        }
        Assert.Equal("new a", File.ReadAllText(old));
        Assert.Equal("new b", File.ReadAllText(_folder.File("sub/deeper/b.txt")));
        Assert.Equal(["a.txt", "sub"], Names(_folder.Path));
        Assert.Equal(["b.txt"], Names(_folder.File("sub/deeper")));
    }

    [Fact]
    public void An_uncommitted_set_leaves_the_old_files_and_removes_the_folders_it_made()
    {
        string old = _folder.Write("a.txt", "old");
        using (var files = new AtomicFileSet())
        {
            files.WriteText(old, "new a");
            files.WriteText(_folder.File("sub/deeper/b.txt"), "new b");
        }
        Assert.Equal("old", File.ReadAllText(old));
        Assert.Equal(["a.txt"], Names(_folder.Path));
    }

    [Fact]
    public void Bytes_are_written_as_they_are_and_published_with_the_text()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF];
        using (var files = new AtomicFileSet())
        {
            files.WriteText(_folder.File("a.csv"), "x\n");
            files.WriteBytes(_folder.File("charts/a.png"), png);
            Assert.False(File.Exists(_folder.File("charts/a.png")));
            files.Commit();
        }
        Assert.Equal(png, File.ReadAllBytes(_folder.File("charts/a.png")));
        Assert.Equal("x\n", File.ReadAllText(_folder.File("a.csv")));
    }

    [Fact]
    public void A_target_staged_twice_is_refused()
    {
        using var files = new AtomicFileSet();
        files.WriteText(_folder.File("a.txt"), "1");
        Assert.Throws<ArgumentException>(() => files.WriteText(_folder.File("./a.txt"), "2"));
    }

    private static string[] Names(string dir) =>
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
