using System.Text.Json;

namespace Fp4Sim.Quantization.Model;

/// <summary>One weight as a TensorFlow.js manifest declares it.</summary>
internal sealed record TfjsWeight(string Name, int[] Shape, TensorDType DType, long ElementCount)
{
    /// <summary>The weight's bytes in the shards: 4 per element, as float32 and int32 are the only loaded dtypes.</summary>
    public long ByteCount => ElementCount * DType.SizeInBytes();
}

/// <summary>
/// One <c>weightsManifest</c> entry: shard files (full paths, in order) whose concatenation holds the weights,
/// back to back in declaration order.
/// </summary>
internal sealed record TfjsWeightGroup(int Index, IReadOnlyList<string> ShardPaths, IReadOnlyList<TfjsWeight> Weights)
{
    /// <summary>How the group is named in messages.</summary>
    public string Label => $"weightsManifest[{Index}]";
}

/// <summary>
/// Reads and checks the <c>weightsManifest</c> of a TensorFlow.js <c>model.json</c> (the model topology is not
/// needed and not read): every field present and well-typed, dtypes loadable, shapes countable, names distinct, shard
/// paths inside the model directory.
/// </summary>
internal static class TfjsManifest
{
    /// <summary>The weight groups declared by <paramref name="manifestPath"/>, in file order.</summary>
    public static IReadOnlyList<TfjsWeightGroup> Read(string manifestPath, string modelDirectory)
    {
        using JsonDocument document = ModelJson.Parse(manifestPath, ReadAllBytes(manifestPath));
        JsonElement root = document.RootElement;
        ModelJson.Expect(manifestPath, "the top level", root, JsonValueKind.Object);
        JsonElement manifest = ModelJson.Require(manifestPath, "the top level", root, "weightsManifest", JsonValueKind.Array);

        var names = new HashSet<string>(StringComparer.Ordinal); // names are unique across groups: one TensorSet holds all
        var groups = new List<TfjsWeightGroup>();
        foreach (JsonElement group in manifest.EnumerateArray())
            groups.Add(ReadGroup(manifestPath, modelDirectory, group, groups.Count, names));
        return groups;
    }

    private static byte[] ReadAllBytes(string manifestPath)
    {
        try
        {
            return File.ReadAllBytes(manifestPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFileException(manifestPath, "not found (no TensorFlow.js graph model in this directory)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(manifestPath, $"cannot be read: {e.Message}", e);
        }
    }

    private static TfjsWeightGroup ReadGroup(
        string manifestPath, string modelDirectory, JsonElement group, int index, HashSet<string> names)
    {
        string label = $"weightsManifest[{index}]";
        ModelJson.Expect(manifestPath, label, group, JsonValueKind.Object);

        var shardPaths = new List<string>();
        foreach (JsonElement path in ModelJson.Require(manifestPath, label, group, "paths", JsonValueKind.Array).EnumerateArray())
            shardPaths.Add(ResolveShard(manifestPath, modelDirectory, $"{label}.paths[{shardPaths.Count}]", path));

        var weights = new List<TfjsWeight>();
        foreach (JsonElement weight in ModelJson.Require(manifestPath, label, group, "weights", JsonValueKind.Array).EnumerateArray())
        {
            TfjsWeight parsed = ReadWeight(manifestPath, $"{label}.weights[{weights.Count}]", weight);
            if (!names.Add(parsed.Name))
                throw new ModelFileException(manifestPath, $"weight name '{parsed.Name}' appears twice");
            weights.Add(parsed);
        }

        if (weights.Count > 0 && shardPaths.Count == 0)
            throw new ModelFileException(manifestPath, $"{label} declares {weights.Count} weights but no shard files");
        return new TfjsWeightGroup(index, shardPaths, weights);
    }

    // Shard paths are relative URLs in the format; one that is absolute or climbs out with '..' is refused, so a
    // manifest can only make the loader read files inside its own directory.
    private static string ResolveShard(string manifestPath, string modelDirectory, string label, JsonElement path)
    {
        ModelJson.Expect(manifestPath, label, path, JsonValueKind.String);
        string relative = path.GetString()!;
        if (relative.Length == 0)
            throw new ModelFileException(manifestPath, $"{label} is an empty shard path");
        if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Contains(".."))
            throw new ModelFileException(manifestPath, $"{label} = '{relative}' leaves the model directory");
        return Path.Combine(modelDirectory, relative);
    }

    private static TfjsWeight ReadWeight(string manifestPath, string label, JsonElement weight)
    {
        ModelJson.Expect(manifestPath, label, weight, JsonValueKind.Object);
        string name = ModelJson.RequireString(manifestPath, label, weight, "name");
        if (name.Length == 0)
            throw new ModelFileException(manifestPath, $"{label} has an empty name");
        string owner = $"weight '{name}'";

        // Quantized weights are stored as uint8/uint16/float16 codes plus a scale; their 'dtype' still reads float32,
        // so the quantization entry has to be checked before the dtype or the byte count would silently be wrong.
        if (weight.TryGetProperty("quantization", out JsonElement quantization))
        {
            string stored = quantization.ValueKind == JsonValueKind.Object
                && quantization.TryGetProperty("dtype", out JsonElement code) && code.ValueKind == JsonValueKind.String
                    ? code.GetString()!
                    : "unknown storage";
            throw new ModelFileException(
                manifestPath,
                $"{owner} is quantized ({stored}): quantized weights (uint8/float16) are not supported; export the model without quantization");
        }

        string dtypeName = ModelJson.RequireString(manifestPath, owner, weight, "dtype");
        TensorDType dtype = dtypeName switch
        {
            "float32" => TensorDType.Float32,
            "int32" => TensorDType.Int32,
            _ => throw new ModelFileException(
                manifestPath, $"dtype '{dtypeName}' of {owner} is not supported (float32 and int32 only)"),
        };
        (int[] shape, long count) = ModelJson.RequireShape(manifestPath, owner, weight);
        return new TfjsWeight(name, shape, dtype, count);
    }
}
