using Fp4Sim.Numerics.Rounding;

namespace Fp4Sim.Training.Train;

/// <summary>
/// Windows of context + 1 bytes: the first context bytes are the inputs, the last context the targets (shifted by one).
/// </summary>
internal sealed class BatchSampler
{
    private readonly ReadOnlyMemory<byte> _stream;
    private readonly SplitMix64 _random;

    /// <summary>Random windows of <paramref name="stream"/>; the same <paramref name="seed"/> gives the same batches.</summary>
    public BatchSampler(ReadOnlyMemory<byte> stream, int context, int batchSize, ulong seed)
    {
        RequireLength(stream, context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _stream = stream;
        _random = new SplitMix64(seed);
        Context = context;
        BatchSize = batchSize;
    }

    /// <summary>Tokens per window.</summary>
    public int Context { get; }

    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The next batch: window starts uniform in [0, length − context − 1], drawn in order.</summary>
    public (byte[] Inputs, byte[] Targets) Next()
    {
        var starts = new int[BatchSize];
        for (int i = 0; i < BatchSize; i++) starts[i] = _random.NextInt(_stream.Length - Context);
        return Gather(_stream.Span, starts, Context);
    }

    /// <summary>
    /// <paramref name="count"/> fixed windows spread evenly over <paramref name="stream"/> (first at 0, last at the end):
    /// the validation set, the same for every setting and seed.
    /// </summary>
    public static (byte[] Inputs, byte[] Targets) EvenlySpaced(ReadOnlyMemory<byte> stream, int context, int count)
    {
        RequireLength(stream, context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        long last = stream.Length - context - 1;
        int[] starts = [.. Enumerable.Range(0, count).Select(i => count == 1 ? 0 : (int)(last * i / (count - 1)))];
        return Gather(stream.Span, starts, context);
    }

    private static (byte[] Inputs, byte[] Targets) Gather(ReadOnlySpan<byte> stream, int[] starts, int context)
    {
        var inputs = new byte[starts.Length * context];
        var targets = new byte[starts.Length * context];
        for (int i = 0; i < starts.Length; i++)
        {
            stream.Slice(starts[i], context).CopyTo(inputs.AsSpan(i * context));
            stream.Slice(starts[i] + 1, context).CopyTo(targets.AsSpan(i * context));
        }
        return (inputs, targets);
    }

    private static void RequireLength(ReadOnlyMemory<byte> stream, int context)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context);
        if (stream.Length < context + 1)
            throw new ArgumentException($"a stream of {stream.Length} bytes is shorter than one window of {context + 1} bytes");
    }
}
