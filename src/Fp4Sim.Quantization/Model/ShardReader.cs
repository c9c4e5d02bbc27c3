namespace Fp4Sim.Quantization.Model;

/// <summary>
/// Reads a group's shard files as one byte stream, opening each in turn, so a weight that straddles two shards is
/// read into its array directly. The layout was checked against the shard lengths beforehand; running out here
/// means a shard changed while it was being read.
/// </summary>
internal sealed class ShardReader(string manifestPath, IReadOnlyList<string> shardPaths) : IDisposable
{
    private int _nextShard;
    private FileStream? _current;
    private string _currentPath = "";

    /// <summary>Fills <paramref name="destination"/> with the next bytes of the concatenated shards.</summary>
    public void Fill(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_current is null) OpenNext();
            int read;
            try
            {
                read = _current!.Read(destination);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelFileException(_currentPath, $"cannot be read: {e.Message}", e);
            }

            if (read == 0)
            {
                _current!.Dispose();
                _current = null;
                continue;
            }

            destination = destination[read..];
        }
    }

    /// <summary>Closes the shard being read.</summary>
    public void Dispose() => _current?.Dispose();

    private void OpenNext()
    {
        if (_nextShard == shardPaths.Count)
            throw new ModelFileException(manifestPath, "the shards ended before the last weight (did they change while being read?)");
        _currentPath = shardPaths[_nextShard++];
        try
        {
            _current = new FileStream(_currentPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(_currentPath, $"cannot be opened: {e.Message}", e);
        }
    }
}
