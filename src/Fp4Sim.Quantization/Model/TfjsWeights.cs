namespace Fp4Sim.Quantization.Model;

/// <summary>
/// Loads the weights of a TensorFlow.js graph model: <c>model.json</c>'s <c>weightsManifest</c> lists, per group, the
/// shard files (concatenated in order) and the weights stored in them back to back — <c>prod(shape)</c> little-endian
/// float32 or int32 values each, no padding. Everything the manifest claims is checked against the files before a
/// single weight byte is read: fields and dtypes, shapes, distinct names, shards present, and the weights' total size
/// equal to the shards' total size.
/// </summary>
public static class TfjsWeights
{
    /// <summary>The manifest's file name inside a model directory.</summary>
    public const string ManifestFileName = "model.json";

    /// <summary>Loads every weight of the model in <paramref name="modelDirectory"/>, in manifest order.</summary>
    /// <exception cref="ModelFileException">A file is missing, malformed or inconsistent (the message says which and how).</exception>
    public static TensorSet Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        string manifestPath = Path.Combine(modelDirectory, ManifestFileName);
        IReadOnlyList<TfjsWeightGroup> groups = TfjsManifest.Read(manifestPath, modelDirectory);
        foreach (TfjsWeightGroup group in groups)
            CheckLayout(manifestPath, group, MeasureShards(manifestPath, group));

        var tensors = new List<NamedTensor>();
        foreach (TfjsWeightGroup group in groups)
        {
            using var shards = new ShardReader(manifestPath, group.ShardPaths);
            foreach (TfjsWeight weight in group.Weights)
                tensors.Add(TensorBytes.Read(weight.Name, weight.Shape, weight.DType, checked((int)weight.ElementCount), shards.Fill));
        }

        return new TensorSet(manifestPath, tensors);
    }

    private static long MeasureShards(string manifestPath, TfjsWeightGroup group)
    {
        long total = 0;
        for (int i = 0; i < group.ShardPaths.Count; i++)
        {
            var shard = new FileInfo(group.ShardPaths[i]);
            if (!shard.Exists)
                throw new ModelFileException(
                    manifestPath, $"shard {i + 1} of {group.ShardPaths.Count} of {group.Label} is missing: {shard.FullName}");
            total += shard.Length;
        }

        return total;
    }

    // The weights must fill the shards exactly: too few bytes would read past the end, too many means the manifest
    // and the shards disagree about the layout, and every weight after the disagreement would be read misaligned.
    private static void CheckLayout(string manifestPath, TfjsWeightGroup group, long shardBytes)
    {
        long needed = 0;
        foreach (TfjsWeight weight in group.Weights)
        {
            long remaining = shardBytes - needed;
            if (weight.ByteCount > remaining)
                throw new ModelFileException(
                    manifestPath,
                    $"weight '{weight.Name}' has shape {TensorShape.Format(weight.Shape)} = {weight.ElementCount} "
                    + $"{weight.DType.DisplayName()} values = {weight.ByteCount} bytes but only {remaining} bytes remain in the shards "
                    + $"({group.Label}: {group.Weights.Count} weights need {TotalBytes(group)} bytes, "
                    + $"its {group.ShardPaths.Count} shards hold {shardBytes})");
            needed += weight.ByteCount;
        }

        if (needed != shardBytes)
            throw new ModelFileException(
                manifestPath,
                $"{group.Label}: {group.Weights.Count} weights need {needed} bytes but its {group.ShardPaths.Count} shards hold "
                + $"{shardBytes} ({shardBytes - needed} bytes left over after the last weight)");
    }

    // Each weight is below 2^31 elements of 4 bytes, so even thousands of them cannot overflow a long.
    private static long TotalBytes(TfjsWeightGroup group) => group.Weights.Sum(weight => weight.ByteCount);
}
