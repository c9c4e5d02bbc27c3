using System.Diagnostics;

namespace Fp4Sim.Numerics.IO;

/// <summary>
/// What a running command has made that must not outlive it: temporary files and folders, and the external tools
/// it started. A signal handler (the CLI's SIGINT/SIGTERM) calls <see cref="Abandon"/>, which kills the tools and
/// deletes the temporaries. Renames that publish finished outputs run inside <see cref="Publish"/>, so a signal
/// arriving then waits for the whole set to be renamed: outputs appear complete or not at all.
/// </summary>
public static class Temporaries
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal);
    private static readonly HashSet<Process> Processes = [];
    private static bool _abandoned;

    /// <summary>Whether <see cref="Abandon"/> has run: the process is being ended by whoever called it.</summary>
    public static bool IsAbandoned
    {
        get
        {
            lock (Gate) return _abandoned;
        }
    }

    /// <summary>
    /// Creates a temporary with <paramref name="create"/> and registers <paramref name="path"/>, as one step with respect
    /// to <see cref="Abandon"/>: a clean-up cannot run between the two and miss it, nor run before and let it be made.
    /// </summary>
    public static T Create<T>(string path, Func<T> create)
    {
        lock (Gate)
        {
            if (_abandoned) throw new OperationCanceledException("the command was interrupted");
            T made = create();
            Paths.Add(Path.GetFullPath(path));
            return made;
        }
    }

    /// <summary>The path is no longer temporary: it was renamed into place or deleted by its owner.</summary>
    public static void Forget(string path)
    {
        lock (Gate) Paths.Remove(Path.GetFullPath(path));
    }

    /// <summary>Registers a started tool to kill (with its children) if the command is abandoned (at once, if it already was).</summary>
    public static void Add(Process process)
    {
        lock (Gate)
        {
            if (_abandoned) Kill(process);
            else Processes.Add(process);
        }
    }

    /// <summary>The tool has exited or was killed by its owner.</summary>
    public static void Forget(Process process)
    {
        lock (Gate) Processes.Remove(process);
    }

    /// <summary>
    /// Runs <paramref name="publish"/> (renames of finished outputs) as one step with respect to <see cref="Abandon"/>:
    /// an abandon that arrives meanwhile waits for it; one that came before makes this throw instead of publishing.
    /// </summary>
    public static void Publish(Action publish)
    {
        lock (Gate)
        {
            if (_abandoned) throw new OperationCanceledException("the command was interrupted");
            publish();
        }
    }

    /// <summary>
    /// Kills every registered tool and deletes every registered temporary; nothing can be published afterwards.
    /// Returns the number of paths deleted. Safe to call from a signal handler thread, and more than once.
    /// </summary>
    public static int Abandon()
    {
        lock (Gate)
        {
            _abandoned = true;
            foreach (Process process in Processes) Kill(process);
            Processes.Clear();
            int deleted = 0;
            foreach (string path in Paths)
            {
                try
                {
                    if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                    else File.Delete(path);
                    deleted++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort: the process is exiting; one undeletable file must not keep the rest.
                }
            }
            Paths.Clear();
            return deleted;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(2000); // a killed tool may still be writing into a folder about to be deleted
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited.
        }
    }

    /// <summary>A new temporary folder under the system temp directory, registered; the caller deletes and forgets it.</summary>
    public static string CreateFolder(string prefix)
    {
        lock (Gate)
        {
            if (_abandoned) throw new OperationCanceledException("the command was interrupted");
            string dir = Directory.CreateTempSubdirectory(prefix).FullName;
            Paths.Add(dir);
            return dir;
        }
    }

    /// <summary>Deletes a folder made by <see cref="CreateFolder"/> and forgets it; a leftover is not an error.</summary>
    public static void DeleteFolder(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; the original outcome matters more.
        }
        Forget(dir);
    }
}
